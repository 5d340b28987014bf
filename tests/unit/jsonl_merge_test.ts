/** The merge rule (`mergeJsonl`) and conflict-marker resolution, on small and generated data. */
import assert from "node:assert/strict";
import { mergeJsonl, resolveConflictText, splitConflictMarkers } from "../../src/core/sync/jsonl_merge.ts";
import { generate, rng } from "../../scripts/gen_data.ts";

type Obj = Record<string, unknown>;
const line = (o: Obj) => JSON.stringify(o);
const file = (...objs: Obj[]) => objs.map((o) => line(o) + "\n").join("");
const parse = (text: string) => text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
const issue = (id: string, extra: Obj = {}): Obj => ({
  id,
  title: `issue ${id}`,
  status: "open",
  priority: 2,
  issue_type: "task",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  ...extra,
});

/** Merges both ways round and checks the bytes do not depend on which side is "ours". */
function merge(base: string, left: string, right: string): Obj[] {
  const a = mergeJsonl(base, left, right).text;
  const b = mergeJsonl(base, right, left).text;
  assert.equal(a, b, "the merge is symmetric");
  return parse(a);
}

Deno.test("merge: new issues on both sides are all kept, sorted by ID", () => {
  const base = file(issue("t-1"));
  const out = merge(base, file(issue("t-1"), issue("t-3")), file(issue("t-1"), issue("t-2")));
  assert.deepEqual(out.map((o) => o.id), ["t-1", "t-2", "t-3"]);
});

Deno.test("merge: fields changed on different sides both survive", () => {
  const base = file(issue("t-1"));
  const left = file(issue("t-1", { title: "new title", updated_at: "2026-01-02T00:00:00Z" }));
  const right = file(issue("t-1", { priority: 0, updated_at: "2026-01-03T00:00:00Z" }));
  const [out] = merge(base, left, right);
  assert.equal(out.title, "new title");
  assert.equal(out.priority, 0);
  assert.equal(out.updated_at, "2026-01-03T00:00:00.001Z", "the merge is newer than both sides");
});

Deno.test("merge: a field changed on both sides takes the later updated_at", () => {
  const base = file(issue("t-1"));
  const left = file(issue("t-1", { title: "older", updated_at: "2026-01-02T00:00:00Z" }));
  const right = file(issue("t-1", { title: "newer", updated_at: "2026-01-03T00:00:00Z" }));
  assert.equal(merge(base, left, right)[0].title, "newer");
});

Deno.test("merge: status, closed_at and close_reason travel together", () => {
  const base = file(issue("t-1"));
  const left = file(issue("t-1", {
    status: "closed",
    closed_at: "2026-01-02T00:00:00Z",
    close_reason: "done",
    updated_at: "2026-01-02T00:00:00Z",
  }));
  const right = file(issue("t-1", { status: "in_progress", updated_at: "2026-01-03T00:00:00Z" }));
  const [out] = merge(base, left, right);
  assert.equal(out.status, "in_progress");
  assert.equal(out.closed_at, undefined);
  assert.equal(out.close_reason, undefined);
});

Deno.test("merge: labels, dependencies and comments merge as sets; removals on one side stick", () => {
  const dep = (to: string, type = "blocks") => ({
    issue_id: "t-1",
    depends_on_id: to,
    type,
    created_at: "2026-01-01T00:00:00Z",
  });
  const base = file(issue("t-1", { labels: ["a", "b"], dependencies: [dep("t-9")] }));
  const left = file(issue("t-1", {
    labels: ["a", "c"], // removed b, added c
    dependencies: [dep("t-9"), dep("t-8")],
    updated_at: "2026-01-02T00:00:00Z",
  }));
  const right = file(issue("t-1", {
    labels: ["a", "b", "d"],
    dependencies: [dep("t-9"), dep("t-9", "supersedes")], // a parallel edge of another type
    comments: [{ author: "bob", text: "hi", created_at: "2026-01-03T00:00:00Z" }],
    updated_at: "2026-01-03T00:00:00Z",
  }));
  const [out] = merge(base, left, right);
  assert.deepEqual(out.labels, ["a", "c", "d"]);
  assert.deepEqual(
    (out.dependencies as Obj[]).map((d) => `${d.depends_on_id}/${d.type}`),
    ["t-8/blocks", "t-9/blocks", "t-9/supersedes"],
  );
  assert.equal((out.comments as Obj[]).length, 1);
});

Deno.test("merge: a tombstone beats an older edit and loses to a newer one", () => {
  const base = file(issue("t-1"), issue("t-2"));
  const tomb = (id: string, at: string) => ({ id, status: "tombstone", deleted_at: at, deleted_by: "a" });
  const left = file(tomb("t-1", "2026-01-05T00:00:00Z"), tomb("t-2", "2026-01-05T00:00:00Z"));
  const right = file(
    issue("t-1", { title: "edited before the delete", updated_at: "2026-01-04T00:00:00Z" }),
    issue("t-2", { title: "edited after the delete", updated_at: "2026-01-06T00:00:00Z" }),
  );
  const out = merge(base, left, right);
  assert.equal(out[0].status, "tombstone");
  assert.equal(out[1].title, "edited after the delete");
});

Deno.test("merge: a line removed on one side goes unless the other side changed it", () => {
  const base = file(issue("t-1"), issue("t-2"));
  const left = file(issue("t-2", { title: "changed", updated_at: "2026-01-02T00:00:00Z" }));
  const right = file(issue("t-1"));
  assert.deepEqual(merge(base, left, right).map((o) => o.id), ["t-2"]);
});

Deno.test("merge: memories and records of unknown kinds are merged and placed after the issues", () => {
  const mem = (key: string, value: string) => ({ _type: "memory", key, value });
  const base = file(issue("t-1"), mem("k1", "v1"));
  const left = file(issue("t-1"), mem("k1", "v1"), mem("k2", "left"), { _type: "future", x: 1 });
  const right = file(issue("t-1"), mem("k1", "changed"), mem("a0", "right"));
  const out = merge(base, left, right);
  assert.deepEqual(out.map((o) => o.id ?? o.key ?? o._type), ["t-1", "a0", "k1", "k2", "future"]);
  assert.equal(out[2].value, "changed");
});

Deno.test("merge: a shared setting changed on both sides keeps one value, after the other records; one removed goes", () => {
  const cfg = (key: string, value: string) => ({ _type: "config", key, value });
  const base = file(issue("t-1"), cfg("status.custom", "a:done"), cfg("types.custom", "spike"));
  const left = file(issue("t-1"), cfg("status.custom", "a:wip"), { _type: "future", x: 1 });
  const right = file(issue("t-1"), cfg("status.custom", "a:active"), cfg("types.custom", "spike"));
  const out = merge(base, left, right);
  assert.deepEqual(out.map((o) => o.id ?? o.key ?? o._type), ["t-1", "future", "status.custom"]);
  assert.deepEqual(out, merge(base, right, left), "the same value whichever side is ours");
  // A key that is not shared is a record of a kind bd does not know: kept line by line.
  const other = merge("", file(cfg("ui.theme", "dark")), file(cfg("ui.theme", "light")));
  assert.deepEqual(other.map((o) => o.value), ["dark", "light"]);
});

Deno.test("merge: malformed input is an error that names the side and the line", () => {
  assert.throws(() => mergeJsonl("", "{oops\n", ""), /left, line 1: invalid JSON/);
  assert.throws(() => mergeJsonl("", "", '{"title":"x"}\n'), /right, line 1: missing "id"/);
});

Deno.test("conflict markers split into ours, base and theirs, and resolve by the rule", () => {
  const text = [
    line(issue("t-1")),
    "<<<<<<< HEAD",
    line(issue("t-2", { title: "ours", updated_at: "2026-01-02T00:00:00Z" })),
    "||||||| base",
    line(issue("t-2")),
    "=======",
    line(issue("t-2", { priority: 0, updated_at: "2026-01-03T00:00:00Z" })),
    line(issue("t-3")),
    ">>>>>>> theirs",
    "",
  ].join("\n");
  const parts = splitConflictMarkers(text);
  assert.equal(parts.conflicts, 1);
  const result = resolveConflictText(text);
  const out = parse(result.text);
  assert.deepEqual(out.map((o) => o.id), ["t-1", "t-2", "t-3"]);
  assert.equal(out[1].title, "ours");
  assert.equal(out[1].priority, 0);
  assert.throws(() => splitConflictMarkers("<<<<<<< a\n{}\n"), /ends inside a conflict/);
  assert.throws(() => splitConflictMarkers("=======\n"), /line 1: unexpected conflict marker/);
});

Deno.test("merge at 10k issues: random edits on both sides, symmetric, nothing lost, fast", () => {
  const base = generate(10_000, 7, "m").join("\n") + "\n";
  const rand = rng(99);
  const edit = (who: string) =>
    base.split("\n").filter(Boolean).map((l) => {
      const o = JSON.parse(l);
      const r = rand();
      if (r < 0.05) {
        o.title = `${o.title} (${who})`;
        o.updated_at = new Date(Date.parse(o.updated_at) + 1000 * (who === "L" ? 1 : 2)).toISOString();
      }
      return JSON.stringify(o);
    }).concat([JSON.stringify(issue(`m-new-${who}`))]).join("\n") + "\n";
  const left = edit("L"), right = edit("R");
  const started = performance.now();
  const result = mergeJsonl(base, left, right);
  const ms = performance.now() - started;
  assert.equal(result.text, mergeJsonl(base, right, left).text);
  const ids = parse(result.text).map((o) => o.id as string);
  assert.equal(ids.length, 10_002);
  assert.deepEqual(ids, [...ids].sort());
  assert.ok(ms < 5000, `merge took ${ms} ms`);
});

// ------------------------------------------------------------- one ID, two issues

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

Deno.test("merge: an ID minted on both clones for two issues keeps both; the later one moves with its references", () => {
  const base = file(issue("t-aaa"));
  const mine = issue("t-x1", { title: "left's issue", created_at: at(1000), updated_at: at(1000) });
  const theirs = issue("t-x1", { title: "right's issue", created_at: at(2000), updated_at: at(2000) });
  const child = issue("t-x1.1", { title: "right's child", created_at: at(2500), updated_at: at(2500) });
  const dependent = issue("t-bbb", {
    title: "needs right's issue",
    created_at: at(3000),
    updated_at: at(3000),
    dependencies: [{ issue_id: "t-bbb", depends_on_id: "t-x1", type: "blocks" }],
  });
  const commented = issue("t-x1", {
    ...theirs,
    comments: [{ issue_id: "t-x1", author: "r", text: "hi", created_at: at(2100) }],
  });
  const left = file(issue("t-aaa"), mine);
  const right = file(issue("t-aaa"), commented, child, dependent);
  const result = mergeJsonl(base, left, right);
  const out = merge(base, left, right);
  const byTitle = new Map(out.map((o) => [o.title, o]));
  assert.equal(out.length, 5, "no issue lost");
  assert.equal(byTitle.get("left's issue")!.id, "t-x1", "the first-created issue keeps the ID");
  const moved = byTitle.get("right's issue")!;
  assert.match(moved.id as string, /^t-[0-9a-z]{3}$/);
  assert.notEqual(moved.id, "t-x1");
  assert.deepEqual(result.moved, [{ side: "right", from: "t-x1", to: moved.id }]);
  assert.equal(byTitle.get("right's child")!.id, `${moved.id}.1`, "its child moves with it");
  assert.equal((byTitle.get("needs right's issue")!.dependencies as Obj[])[0].depends_on_id, moved.id);
  assert.equal((moved.comments as Obj[])[0].issue_id, moved.id);
  assert.deepEqual(out.map((o) => o.id), out.map((o) => o.id).sort(), "still sorted");
});

Deno.test("merge: colliding children and sequential IDs take the next free number", () => {
  const base = file(issue("t-1"), issue("t-1.1"));
  const l = issue("t-1.2", { title: "left child", created_at: at(1), updated_at: at(1) });
  const r = issue("t-1.2", { title: "right child", created_at: at(2), updated_at: at(2) });
  const ls = issue("t-2", { title: "left seq", created_at: at(1), updated_at: at(1) });
  const rs = issue("t-2", { title: "right seq", created_at: at(2), updated_at: at(2) });
  const out = merge(base, file(issue("t-1"), issue("t-1.1"), l, ls), file(issue("t-1"), issue("t-1.1"), r, rs));
  const ids = Object.fromEntries(out.map((o) => [o.title, o.id]));
  assert.equal(ids["left child"], "t-1.2");
  assert.equal(ids["right child"], "t-1.3");
  assert.equal(ids["left seq"], "t-2");
  assert.equal(ids["right seq"], "t-3");
});

Deno.test("merge: one issue added on both sides (same created_at) is still merged as one", () => {
  const a = issue("t-x", { title: "same", labels: ["a"] });
  const b = issue("t-x", { title: "same", labels: ["b"], updated_at: at(5) });
  const out = merge("", file(a), file(b));
  assert.equal(out.length, 1);
  assert.deepEqual(out[0].labels, ["a", "b"]);
});

Deno.test("merge: a clone that renumbered a collision is followed by the other's later edits", () => {
  // Clone A pushed t-x1 (a). Clone B merged it with its own t-x1 (b, created first): a's issue
  // became t-new. Clone A, meanwhile, edited its t-x1 and added a dependency on it.
  const a = issue("t-x1", { title: "A's issue", created_at: at(2000), updated_at: at(2000) });
  const b = issue("t-x1", { title: "B's issue", created_at: at(1000), updated_at: at(1000) });
  const firstMerge = mergeJsonl(file(issue("t-aaa")), file(issue("t-aaa"), a), file(issue("t-aaa"), b));
  const newId = firstMerge.moved[0].to;
  const upstream = firstMerge.text;
  const base = file(issue("t-aaa"), a);
  const aEdited = { ...a, priority: 0, updated_at: at(9000) };
  const w = issue("t-www", {
    title: "needs A's issue",
    created_at: at(8000),
    updated_at: at(8000),
    dependencies: [{ issue_id: "t-www", depends_on_id: "t-x1", type: "blocks" }],
  });
  const out = merge(base, file(issue("t-aaa"), aEdited, w), upstream);
  const byTitle = new Map(out.map((o) => [o.title, o]));
  assert.equal(out.length, 4);
  assert.equal(byTitle.get("B's issue")!.id, "t-x1");
  assert.equal(byTitle.get("A's issue")!.id, newId);
  assert.equal(byTitle.get("A's issue")!.priority, 0, "A's edit lands on its moved issue");
  assert.equal((byTitle.get("needs A's issue")!.dependencies as Obj[])[0].depends_on_id, newId);
});
