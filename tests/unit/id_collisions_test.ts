/** Two different issues under one ID: import keeps both, moving local rows (an application's too). */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import { exportText } from "../../src/core/sync/jsonl_io.ts";
import { importText } from "../../src/core/sync/jsonl_import.ts";
import { mergeJsonl } from "../../src/core/sync/jsonl_merge.ts";
import { BLOCKED_IDS_SQL } from "../../src/store/schema.ts";
import { generate } from "../../scripts/gen_data.ts";

const open = () =>
  initWorkspace({ cwd: Deno.makeTempDirSync({ prefix: "bd-collide-" }), env: {}, prefix: "c", actor: "t" }).beads;
const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, s)).toISOString();
const issue = (id: string, title: string, created: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    title,
    status: "open",
    priority: 2,
    issue_type: "task",
    created_at: at(created),
    updated_at: at(created),
    ...extra,
  });

Deno.test("import follows a move made by another clone's merge: rows, dependents, children and application rows", () => {
  const beads = open();
  // This clone's view: its own c-abc (with a child, a dependent and an application row).
  importText(
    beads,
    [
      issue("c-abc", "mine", 10),
      issue("c-abc.1", "my child", 11),
      issue("c-dep", "needs mine", 12, {
        dependencies: [{ issue_id: "c-dep", depends_on_id: "c-abc", type: "blocks", created_at: at(12) }],
      }),
    ].join("\n") + "\n",
  );
  beads.db.exec(
    `CREATE TABLE myapp_runs (id INTEGER PRIMARY KEY, issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE);
    INSERT INTO myapp_runs (issue_id) VALUES ('c-abc'), ('c-abc.1');`,
  );
  beads.db.run("INSERT INTO labels (issue_id, label) VALUES ('c-abc', 'mine')");
  // The other clone merged: its own c-abc (created first) kept the ID, ours went to c-x9q.
  const file = [
    issue("c-abc", "theirs", 5),
    issue("c-abc.1", "their child", 6),
    issue("c-dep", "needs mine", 12, {
      dependencies: [{ issue_id: "c-dep", depends_on_id: "c-x9q", type: "blocks", created_at: at(12) }],
    }),
    issue("c-x9q", "mine", 10),
    issue("c-x9q.1", "my child", 11),
  ].join("\n") + "\n";
  const summary = importText(beads, file);
  assert.deepEqual(summary.moved?.map((m) => [m.which, m.from, m.to]), [
    ["local", "c-abc", "c-x9q"],
    ["local", "c-abc.1", "c-x9q.1"],
  ]);
  const title = (id: string) => beads.db.get<{ title: string }>("SELECT title FROM issues WHERE id = ?", id)?.title;
  assert.equal(title("c-abc"), "theirs");
  assert.equal(title("c-abc.1"), "their child");
  assert.equal(title("c-x9q"), "mine");
  assert.equal(title("c-x9q.1"), "my child");
  assert.deepEqual(
    beads.db.all<{ issue_id: string }>("SELECT issue_id FROM myapp_runs ORDER BY id").map((r) => r.issue_id),
    ["c-x9q", "c-x9q.1"],
    "the application's rows moved with the issue",
  );
  const deps = beads.db.all<{ d: string }>("SELECT depends_on_id AS d FROM dependencies WHERE issue_id = 'c-dep'");
  assert.deepEqual(deps.map((r) => r.d), ["c-x9q"], "the dependent points at the moved issue only");
  const cached = beads.db.all<{ id: string }>("SELECT issue_id AS id FROM blocked_cache ORDER BY id").map((r) => r.id);
  const oracle = beads.db.all<{ id: string }>(`SELECT DISTINCT id FROM (${BLOCKED_IDS_SQL}) ORDER BY id`).map((r) =>
    r.id
  );
  assert.deepEqual(cached, oracle);
  assert.equal(beads.db.get<{ n: number }>("SELECT count(*) AS n FROM pragma_foreign_key_check")?.n, 0);
  assert.deepEqual(beads.db.all("SELECT issue_id, label FROM labels").map((r) => ({ ...r })), [{
    issue_id: "c-x9q",
    label: "mine",
  }]);
  beads.close();
});

Deno.test("a clashing file without the local issue imports beside it; a second import changes nothing", () => {
  const beads = open();
  importText(beads, issue("c-abc", "mine", 10) + "\n");
  const file = issue("c-abc", "theirs", 5) + "\n" +
    issue("c-zzz", "needs theirs", 6, {
      dependencies: [{ issue_id: "c-zzz", depends_on_id: "c-abc", type: "blocks", created_at: at(6) }],
    }) + "\n";
  const first = importText(beads, file);
  const moved = first.moved![0];
  assert.equal(moved.which, "incoming");
  assert.equal(moved.from, "c-abc");
  assert.match(first.notes![0], /imported c-abc as c-\w+/);
  const title = (id: string) => beads.db.get<{ title: string }>("SELECT title FROM issues WHERE id = ?", id)?.title;
  assert.equal(title("c-abc"), "mine");
  assert.equal(title(moved.to), "theirs");
  const deps = beads.db.all<{ d: string }>("SELECT depends_on_id AS d FROM dependencies WHERE issue_id = 'c-zzz'");
  assert.deepEqual(deps.map((r) => r.d), [moved.to]);
  const again = importText(beads, file);
  assert.equal(again.created, 0);
  assert.equal(beads.db.get<{ n: number }>("SELECT count(*) AS n FROM issues")?.n, 3);
  beads.close();
});

Deno.test("at 10k issues on each side with colliding IDs, merge then import loses nothing and converges", () => {
  // Two clones load the same 10k base, then each adds 300 issues under IDs drawn from a small
  // space, so many collide (each other's and their own children's).
  const base = generate(10_000, 3, "c");
  const baseText = base.join("\n") + "\n";
  // Left's odd-numbered issues are older than right's, its even ones newer: both sides move some.
  const added = (who: string, created: (i: number) => number) =>
    Array.from({ length: 300 }, (_, i) => issue(`c-n${(i * 7) % 250}`, `${who} ${i}`, created(i))).filter((l, i, all) =>
      all.findIndex((m) => JSON.parse(m).id === JSON.parse(l).id) === i
    );
  const left = added("left", (i) => (i % 2 ? 100 + i : 1000 + i)), right = added("right", (i) => 500 + i);
  const leftText = [...base, ...left].sort().join("\n") + "\n";
  const rightText = [...base, ...right].sort().join("\n") + "\n";
  const merged = mergeJsonl(baseText, leftText, rightText);
  assert.equal(merged.text, mergeJsonl(baseText, rightText, leftText).text, "symmetric");
  const titles = merged.text.trim().split("\n").map((l) => JSON.parse(l).title);
  assert.equal(new Set(titles).size, titles.length);
  assert.equal(titles.length, 10_000 + left.length + right.length, "every issue of both sides is there");
  const fresh = open();
  importText(fresh, merged.text);
  const expected = exportText(fresh);
  fresh.close();
  for (const text of [leftText, rightText]) {
    const beads = open();
    importText(beads, text);
    const summary = importText(beads, merged.text);
    assert.ok(summary.moved && summary.moved.length > 0);
    assert.equal(exportText(beads), expected, "the database converges on the merge");
    beads.close();
  }
});

Deno.test("a deletion never takes a different issue that had the same ID elsewhere", () => {
  const tomb = (id: string, title: string, created: number, deleted: number) =>
    issue(id, title, created, { status: "tombstone", deleted_at: at(deleted), deleted_by: "x", delete_reason: "gone" });
  // Merge: one clone made c-abc and deleted it; the other made its own c-abc meanwhile.
  const left = tomb("c-abc", "made and dropped", 10, 30) + "\n";
  const right = issue("c-abc", "kept elsewhere", 20) + "\n";
  const merged = mergeJsonl("", left, right);
  assert.equal(merged.text, mergeJsonl("", right, left).text);
  const out = merged.text.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(out.length, 2);
  assert.equal(out.find((o) => o.title === "kept elsewhere").status, "open", "the live issue survives");

  // Import: a tombstone of another issue does not delete the local one ...
  const beads = open();
  importText(beads, issue("c-abc", "mine", 20) + "\n");
  importText(beads, tomb("c-abc", "theirs", 10, 40) + "\n");
  const title = (id: string) => beads.db.get<{ title: string }>("SELECT title FROM issues WHERE id = ?", id)?.title;
  assert.equal(title("c-abc"), "mine");
  // ... and a local tombstone does not bury a different incoming issue under that ID.
  importText(beads, tomb("c-old", "deleted here", 10, 50) + "\n");
  const summary = importText(beads, issue("c-old", "new elsewhere", 20) + "\n");
  assert.equal(summary.created, 1);
  assert.equal(title("c-old"), "new elsewhere");
  beads.close();
});

Deno.test("thousands of collisions (two sequential clones offline) merge in seconds, every issue kept", () => {
  // Sequential IDs collide for every issue both sides create: 3,000 each over a 10k base.
  const base = generate(10_000, 5, "c");
  const added = (who: string, offset: number) =>
    Array.from({ length: 3000 }, (_, i) => issue(`c-${100_000 + i}`, `${who} ${i}`, offset + i));
  const leftText = [...base, ...added("left", 10)].sort().join("\n") + "\n";
  const rightText = [...base, ...added("right", 5000)].sort().join("\n") + "\n";
  const started = performance.now();
  const merged = mergeJsonl(base.join("\n") + "\n", leftText, rightText);
  const ms = performance.now() - started;
  assert.equal(merged.moved.length, 3000);
  const titles = merged.text.trim().split("\n").map((l) => JSON.parse(l).title);
  assert.equal(new Set(titles).size, 16_000, "every issue of both sides, once");
  assert.ok(ms < 10_000, `merge took ${ms} ms`);
  // The clone whose 3,000 issues moved follows in one import.
  const beads = open();
  importText(beads, rightText);
  const t = performance.now();
  const summary = importText(beads, merged.text);
  const importMs = performance.now() - t;
  assert.equal(summary.moved?.filter((m) => m.which === "local").length, 3000);
  const fresh = open();
  importText(fresh, merged.text);
  assert.equal(exportText(beads), exportText(fresh));
  assert.ok(importMs < 20_000, `import took ${importMs} ms`);
  beads.close();
  fresh.close();
});

Deno.test("one issue whose creation time two writers spelled in different zones is still one issue", () => {
  const beads = open();
  // A database an older writer filled with local time without a zone; the file says -05:00.
  importText(beads, issue("c-tz", "same issue", 0) + "\n");
  beads.db.run("UPDATE issues SET created_at = '2026-06-01 00:00:00' WHERE id = 'c-tz'");
  const line = JSON.stringify({
    id: "c-tz",
    title: "same issue",
    status: "open",
    priority: 1,
    issue_type: "task",
    created_at: "2026-06-01T00:00:00-05:00",
    updated_at: at(99),
  });
  const summary = importText(beads, line + "\n");
  assert.equal(summary.moved, undefined);
  assert.equal(summary.updated, 1);
  assert.equal(beads.db.get<{ n: number }>("SELECT count(*) AS n FROM issues")?.n, 1);
  beads.close();
});
