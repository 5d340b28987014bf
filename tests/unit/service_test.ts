import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import { BdError } from "../../src/model/errors.ts";

function open(prefix = "t"): Beads {
  const dir = Deno.makeTempDirSync({ prefix: "bd-unit-" });
  return initWorkspace({ cwd: dir, env: {}, prefix, actor: "tester" }).beads;
}

const code = (c: string) => (e: unknown) => e instanceof BdError && e.code === c;
const readyIds = (b: Beads, opts = {}) => b.ready({ limit: 0, ...opts }).map((i) => i.id).sort();

Deno.test("ready excludes an issue whose blocker is in progress, and frees it when the blocker closes", () => {
  const b = open();
  const api = b.create({ title: "API" }).id;
  const db = b.create({ title: "DB" }).id;
  b.addDependency(api, db);
  b.update(db, { status: "in_progress" });
  assert.deepEqual(readyIds(b), []);
  b.closeIssue(db, "done");
  assert.deepEqual(readyIds(b), [api]);
});

Deno.test("related, discovered-from and parent-child edges do not block by themselves", () => {
  const b = open();
  const a = b.create({ title: "A" }).id;
  const c = b.create({ title: "C" }).id;
  const d = b.create({ title: "D" }).id;
  const e = b.create({ title: "E" }).id;
  b.addDependency(a, c, "related");
  b.addDependency(d, c, "discovered-from");
  b.addDependency(e, c, "parent-child");
  assert.deepEqual(readyIds(b), [a, c, d, e].sort());
});

Deno.test("children of a blocked epic are blocked transitively (edges and hierarchical IDs)", () => {
  const b = open();
  const blocker = b.create({ title: "blocker" }).id;
  const epic = b.create({ title: "epic", issue_type: "epic" }).id;
  const child = b.create({ title: "child", parent: epic }).id;
  const grandchild = b.create({ title: "grandchild", parent: child }).id;
  assert.equal(child, `${epic}.1`);
  assert.equal(grandchild, `${epic}.1.1`);
  b.addDependency(epic, blocker);
  assert.deepEqual(readyIds(b), [blocker]);
  const blocked = b.blocked().map((i) => i.id).sort();
  assert.deepEqual(blocked, [epic, child, grandchild].sort());
  b.closeIssue(blocker);
  assert.deepEqual(readyIds(b), [epic, child, grandchild].sort());
  assert.deepEqual(readyIds(b, { parent: epic }), [child, grandchild].sort());
});

Deno.test("deferred issues are not ready until their time", () => {
  const b = open();
  const later = b.create({ title: "later", defer_until: new Date(Date.now() + 86400e3).toISOString() }).id;
  const past = b.create({ title: "past", defer_until: "2020-01-01T00:00:00Z" }).id;
  assert.deepEqual(readyIds(b), [past]);
  b.update(later, { defer_until: "" });
  assert.deepEqual(readyIds(b), [later, past].sort());
});

Deno.test("ready sorts: priority = priority then oldest; hybrid puts recent issues first by priority", () => {
  const b = open();
  // Each created in its own millisecond: within a priority the order is by creation time.
  const tick = () => {
    for (const t = Date.now(); Date.now() === t;) { /* wait for the clock */ }
  };
  const p3 = b.create({ title: "p3", priority: 3 }).id;
  tick();
  const p1 = b.create({ title: "p1", priority: 1 }).id;
  tick();
  const p1b = b.create({ title: "p1b", priority: 1 }).id;
  assert.deepEqual(b.ready({ sort: "priority" }).map((i) => i.id), [p1, p1b, p3]);
  assert.deepEqual(b.ready({ sort: "oldest" }).map((i) => i.id), [p3, p1, p1b]);
  assert.deepEqual(b.ready({ sort: "hybrid" }).map((i) => i.id), [p1, p1b, p3]);
  assert.deepEqual(b.ready({ limit: 1 }).map((i) => i.id), [p1]);
});

Deno.test("status closed sets closed_at; leaving closed clears closed_at and close_reason", () => {
  const b = open();
  const id = b.create({ title: "x" }).id;
  const closed = b.closeIssue(id, "Fixed");
  assert.equal(closed.status, "closed");
  assert.ok(closed.closed_at);
  assert.equal(closed.close_reason, "Fixed");
  const reopened = b.reopenIssue(id);
  assert.equal(reopened.status, "open");
  assert.equal(reopened.closed_at, undefined);
  assert.equal(reopened.close_reason, undefined);
  const viaUpdate = b.update(id, { status: "closed" });
  assert.ok(viaUpdate.closed_at);
  assert.equal(viaUpdate.close_reason, "Closed");
  const back = b.update(id, { status: "open" });
  assert.equal(back.closed_at, undefined);
});

Deno.test("self-dependencies and cycles are refused", () => {
  const b = open();
  const a = b.create({ title: "a" }).id;
  const c = b.create({ title: "c" }).id;
  const d = b.create({ title: "d" }).id;
  assert.throws(() => b.addDependency(a, a), code("VALIDATION"));
  b.addDependency(a, c);
  b.addDependency(c, d);
  assert.throws(() => b.addDependency(d, a), code("CYCLE"));
  assert.throws(() => b.addDependency(d, a, "parent-child"), code("CYCLE"));
  b.addDependency(d, a, "related"); // related is not directional
  assert.deepEqual(b.cycles(), []);
});

Deno.test("claim is refused with CONFLICT when someone else holds the issue", () => {
  const b = open();
  const id = b.create({ title: "work" }).id;
  const alice = b.as("alice");
  assert.equal(alice.claim(id).assignee, "alice");
  assert.equal(alice.claim(id).status, "in_progress"); // idempotent for the holder
  assert.throws(() => b.as("bob").claim(id), code("CONFLICT"));
  assert.equal(b.as("bob").claimNextReady(), null);
});

Deno.test("every mutation bumps updated_at and writes an event", async () => {
  const b = open();
  const id = b.create({ title: "x" }).id;
  const other = b.create({ title: "y" }).id;
  let last = b.issue(id).updated_at;
  const steps: [string, () => unknown][] = [
    ["updated", () => b.update(id, { priority: 1 })],
    ["label_added", () => b.addLabel(id, "l1")],
    ["label_removed", () => b.removeLabel(id, "l1")],
    ["dependency_added", () => b.addDependency(id, other)],
    ["dependency_removed", () => b.removeDependency(id, other)],
    ["commented", () => b.addComment(id, "hi")],
    ["claimed", () => b.claim(id)],
    ["closed", () => b.closeIssue(id)],
    ["reopened", () => b.reopenIssue(id)],
  ];
  for (const [type, step] of steps) {
    await new Promise((r) => setTimeout(r, 2));
    step();
    const now = b.issue(id).updated_at;
    assert.ok(now > last, `${type} bumped updated_at`);
    last = now;
    assert.ok(b.events(id).some((e) => e.event_type === type), `event ${type}`);
  }
  assert.equal(b.events(id)[0].event_type, "created");
});

Deno.test("IDs resolve from the hash alone or a unique part; ambiguity is an error", () => {
  const b = open("proj");
  const id = b.create({ title: "one", id: "proj-abc1" }).id;
  b.create({ title: "two", id: "proj-abc2" });
  assert.equal(b.resolveId("abc1"), id);
  assert.equal(b.resolveId("proj-abc1"), id);
  assert.equal(b.resolveId("c1"), id);
  assert.throws(
    () => b.resolveId("abc"),
    (e: unknown) => code("AMBIGUOUS_ID")(e) && /matches 2 issues/.test((e as Error).message),
  );
  assert.throws(
    () => b.resolveId("zzz"),
    (e: unknown) => code("NOT_FOUND")(e) && /no issue found matching "zzz"/.test((e as Error).message),
  );
});

Deno.test("delete removes the issue with its edges, labels and comments and leaves a tombstone", () => {
  const b = open();
  const a = b.create({ title: "a", labels: ["x"] }).id;
  const c = b.create({ title: "c" }).id;
  b.addDependency(c, a);
  b.addComment(a, "note");
  b.delete(a, "dup");
  assert.throws(() => b.issue(a), code("NOT_FOUND"));
  assert.deepEqual(b.dependencies(c).dependencies, []);
  const n = (sql: string) => Number(b.db.get<{ n: number }>(sql, a)!.n);
  assert.equal(n("SELECT count(*) AS n FROM labels WHERE issue_id = ?"), 0);
  assert.equal(n("SELECT count(*) AS n FROM comments WHERE issue_id = ?"), 0);
  assert.equal(n("SELECT count(*) AS n FROM tombstones WHERE id = ?"), 1);
});

Deno.test("a failing step inside a batch rolls back alone (savepoints)", () => {
  const b = open();
  const a = b.create({ title: "a" }).id;
  b.mutate(() => {
    b.update(a, { priority: 0 });
    assert.throws(() => b.update(a, { priority: 9 }), code("VALIDATION"));
    assert.throws(() => b.addDependency(a, "nope"), code("NOT_FOUND"));
  });
  assert.equal(b.issue(a).priority, 0);
});

Deno.test("the cached blocked set follows changes made by other programs (triggers mark it stale)", async () => {
  const b = open();
  const api = b.create({ title: "API" }).id;
  const db = b.create({ title: "DB" }).id;
  b.addDependency(api, db); // refreshes the cache inside bd's transaction
  assert.deepEqual(readyIds(b), [db]);
  const { DatabaseSync } = await import("node:sqlite");
  const other = new DatabaseSync(b.paths.dbPath); // e.g. the sqlite3 shell or an application
  other.prepare("UPDATE issues SET status = 'closed' WHERE id = ?").run(db);
  assert.deepEqual(readyIds(b), [api], "a status change by another connection frees the dependent");
  other.prepare("UPDATE issues SET status = 'open' WHERE id = ?").run(db);
  other.prepare("DELETE FROM dependencies WHERE issue_id = ?").run(api);
  assert.deepEqual(readyIds(b), [api, db].sort(), "an edge removed by another connection");
  other.prepare("INSERT INTO dependencies (issue_id, depends_on_id, type) VALUES (?, ?, 'blocks')").run(db, api);
  assert.deepEqual(readyIds(b), [api]);
  other.close();
  b.update(api, { notes: "a bd write refreshes the cache" });
  assert.deepEqual(readyIds(b), [api]);
  assert.equal(b.blocked().map((i) => i.id).join(), db);
});

Deno.test("issue objects keep contract key order: scalars, then labels, then imported extras", async () => {
  const b = open("t");
  const { importText } = await import("../../src/core/sync/jsonl_import.ts");
  importText(
    b,
    JSON.stringify({
      id: "t-x1",
      title: "imported",
      owner: "o",
      work_type: "w",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
      labels: ["a"],
    }) + "\n",
  );
  const keys = Object.keys(b.issue("t-x1"));
  assert.ok(keys.indexOf("owner") < keys.indexOf("labels"), keys.join());
  assert.ok(keys.indexOf("labels") < keys.indexOf("work_type"), keys.join());
  const updated = b.update("t-x1", { notes: "n" });
  assert.deepEqual(Object.keys(updated).slice(-2), ["labels", "work_type"]);
});
