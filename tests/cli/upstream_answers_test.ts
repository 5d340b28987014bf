/**
 * Scripts written for upstream bd 1.0.5 get upstream's answers: due dates read in its layers
 * (m = months), parents by parent-child edge before ID prefix, and dependency counts that count
 * only `blocks` edges.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { bd, bdOk, createIssue, startServer, workspace } from "../helpers.ts";
import { SCHEMA_VERSION } from "../../src/store/migrate.ts";

const DAY = 86400e3;
type Obj = Record<string, unknown>;

Deno.test("--due +3m is three months and 1y a year, as upstream; tomorrow and next monday work for --due, --defer and the list filters", async () => {
  const dir = await workspace();
  const before = Date.now();
  const months = (await bdOk(dir, ["create", "in three months", "--due", "+3m", "--json"])).json();
  const due = Date.parse(months.due_at);
  assert.ok(
    due - before > 85 * DAY && due - before < 95 * DAY,
    `+3m is about 90 days, not 3 minutes: ${months.due_at}`,
  );
  const year = (await bdOk(dir, ["create", "next year", "--due", "1y", "--json"])).json();
  assert.ok(Date.parse(year.due_at) - before > 360 * DAY, year.due_at);
  const soon = (await bdOk(dir, ["create", "soon", "--due", "tomorrow", "--defer", "next monday", "--json"])).json();
  assert.ok(Math.abs(Date.parse(soon.due_at) - (before + DAY)) < 120e3, `tomorrow is a day from now: ${soon.due_at}`);
  const monday = new Date(soon.defer_until);
  assert.equal(monday.getDay(), 1, `next monday is a Monday: ${soon.defer_until}`);
  assert.ok(monday.getTime() > before && monday.getTime() - before <= 14 * DAY);
  await bdOk(dir, ["update", year.id, "--due", "in 2 weeks"]);
  const moved = (await bdOk(dir, ["show", year.id, "--json"])).json()[0];
  assert.ok(Math.abs(Date.parse(moved.due_at) - (before + 14 * DAY)) < 120e3, moved.due_at);
  const within = (await bdOk(dir, ["list", "--due-before", "+1m", "--json"])).json().map((i: Obj) => i.title).sort();
  assert.deepEqual(within, ["next year", "soon"]);
  const later = (await bdOk(dir, ["list", "--due-after", "next week", "--json"])).json().map((i: Obj) => i.title)
    .sort();
  assert.deepEqual(later, ["in three months", "next year"]);
  const created = (await bdOk(dir, ["list", "--created-after", "yesterday", "--json"])).json();
  assert.equal(created.length, 3);
  await bdOk(dir, ["defer", months.id, "--until", "+2w"]);
  const deferred = (await bdOk(dir, ["show", months.id, "--json"])).json()[0];
  assert.ok(Math.abs(Date.parse(deferred.defer_until) - (before + 14 * DAY)) < 2 * 3600e3, deferred.defer_until);
});

Deno.test("a time bd cannot read is refused in upstream's words, with a JSON error, and nothing is written", async () => {
  const dir = await workspace();
  const r = await bd(dir, ["create", "x", "--due", "3q", "--json"]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const err = JSON.parse(r.stderr);
  assert.equal(err.error, 'invalid --due format "3q". Examples: +6h, tomorrow, next monday, 2025-01-15');
  assert.equal(err.code, "VALIDATION");
  const text = await bd(dir, ["create", "x", "--defer", "tomorrow-ish"]);
  assert.equal(
    text.stderr.trim(),
    'Error: invalid --defer format "tomorrow-ish". Examples: +1h, tomorrow, next monday, 2025-01-15',
  );
  const filter = await bd(dir, ["list", "--created-after", "whenever"]);
  assert.equal(filter.code, 1);
  assert.match(filter.stderr, /parsing --created-after: cannot parse time expression: "whenever"/);
  assert.deepEqual((await bdOk(dir, ["list", "--json"])).json(), [], "nothing was created");
});

const ids = (rows: Obj[]) => rows.map((i) => i.id as string).sort();

Deno.test("reparenting: after update --parent NEW, the edge decides everywhere: children, list --parent, ready, blocked, epic status, triage and GraphQL", async () => {
  const dir = await workspace();
  const old = await createIssue(dir, "old epic", "-t", "epic");
  const next = await createIssue(dir, "new epic", "-t", "epic");
  const moved = await createIssue(dir, "moved child", "--parent", old);
  const stays = await createIssue(dir, "stays", "--parent", old);
  const grandchild = await createIssue(dir, "under the moved one", "--parent", moved);
  assert.equal(moved, `${old}.1`, "a hierarchical ID, which stays");
  const blocker = await createIssue(dir, "blocks the old epic");
  await bdOk(dir, ["dep", "add", old, blocker]);
  const ready = async () => ids((await bdOk(dir, ["ready", "--json", "--limit", "0"])).json());
  assert.ok(!(await ready()).includes(moved), "under the blocked old epic, the child waits");

  await bdOk(dir, ["update", moved, "--parent", next]);
  const children = async (id: string) => ids((await bdOk(dir, ["children", id, "--json"])).json());
  assert.deepEqual(await children(old), [stays], "children OLD no longer lists it");
  assert.deepEqual(await children(next), [moved, grandchild].sort(), "NEW has it, and its own child with it");
  const underOld = ids((await bdOk(dir, ["list", "--parent", old, "--json"])).json());
  assert.deepEqual(underOld, [stays]);
  assert.deepEqual(ids((await bdOk(dir, ["show", next, "--children", "--json"])).json()), [moved]);
  assert.equal((await bdOk(dir, ["show", moved, "--json"])).json()[0].parent, next);
  assert.equal(
    (await bdOk(dir, ["show", grandchild, "--json"])).json()[0].parent,
    moved,
    "by its ID, under the moved one",
  );
  const nowReady = await ready();
  assert.ok(nowReady.includes(moved) && nowReady.includes(grandchild), "the old epic's blocker no longer holds it");
  assert.ok(!nowReady.includes(stays), "the child left behind still waits");
  const blocked = ids((await bdOk(dir, ["blocked", "--json"])).json());
  assert.ok(!blocked.includes(moved) && blocked.includes(stays));

  await bdOk(dir, ["close", moved, grandchild]);
  const epics = (await bdOk(dir, ["epic", "status", "--json"])).json() as {
    epic: Obj;
    total_children: number;
    closed_children: number;
  }[];
  const count = (id: string) => epics.find((e) => e.epic.id === id)!;
  assert.deepEqual([count(old).total_children, count(old).closed_children], [1, 0]);
  assert.deepEqual([count(next).total_children, count(next).closed_children], [1, 1], "its one direct child, closed");

  const triage = (await bdOk(dir, ["triage", "--json", "--limit", "0"])).json();
  const hub = triage.bottlenecks.find((b: Obj) => b.id === blocker);
  assert.equal(hub.unblocks, 2, "the blocker holds up the old epic and the child left under it, not the moved one");

  const s = await startServer(dir);
  try {
    const r = await fetch(s.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query($o: ID!, $n: ID!, $m: ID!) {
          o: issue(id: $o) { children { id } } n: issue(id: $n) { children { id } } m: issue(id: $m) { parent { id } isBlocked }
        }`,
        variables: { o: old, n: next, m: moved },
      }),
    });
    const data = (await r.json()).data;
    assert.deepEqual(data.o.children.map((c: Obj) => c.id), [stays]);
    assert.deepEqual(data.n.children.map((c: Obj) => c.id), [moved]);
    assert.deepEqual(data.m.parent, { id: next });
  } finally {
    await s.stop();
  }
});

Deno.test("an issue whose ID names a parent, with no parent-child edge, still counts under it (upstream's fallback)", async () => {
  const dir = await workspace();
  const parent = await createIssue(dir, "parent");
  const blocker = await createIssue(dir, "blocker");
  const child = await createIssue(dir, "child", "--parent", parent);
  await bdOk(dir, ["dep", "remove", child, parent]);
  assert.deepEqual(ids((await bdOk(dir, ["children", parent, "--json"])).json()), [child]);
  await bdOk(dir, ["dep", "add", parent, blocker]);
  const ready = ids((await bdOk(dir, ["ready", "--json", "--limit", "0"])).json());
  assert.deepEqual(ready, [blocker], "the blocked parent holds its child by ID");
});

Deno.test("dependency_count and dependent_count count blocks edges only, as upstream: list, ready, search and GraphQL", async () => {
  const dir = await workspace();
  const epic = await createIssue(dir, "epic", "-t", "epic");
  const a = await createIssue(dir, "a", "--parent", epic);
  const b = await createIssue(dir, "b");
  const c = await createIssue(dir, "c");
  await bdOk(dir, ["dep", "add", a, b]); // a blocks-depends on b
  await bdOk(dir, ["dep", "add", a, c, "--type", "related"]);
  await bdOk(dir, ["dep", "add", c, a, "--type", "discovered-from"]);
  const counts = (rows: Obj[]) =>
    Object.fromEntries(rows.map((i) => [i.title, [i.dependency_count, i.dependent_count]]));
  const listed = counts((await bdOk(dir, ["list", "--json"])).json());
  assert.deepEqual(listed, { epic: [0, 0], a: [1, 0], b: [0, 1], c: [0, 0] });
  assert.deepEqual(counts((await bdOk(dir, ["search", "a", "--json"])).json()).a, [1, 0]);
  const help = (await bdOk(dir, ["list", "--help"])).stdout;
  assert.match(help, /dependency_count.*blocks/s);
  const s = await startServer(dir);
  try {
    const r = await fetch(s.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ issue(id: "${a}") { dependencyCount dependentCount dependencies { type } } }` }),
    });
    const issue = (await r.json()).data.issue;
    assert.equal(issue.dependencyCount, 1);
    assert.equal(issue.dependentCount, 0);
    assert.equal(issue.dependencies.length, 3, "every edge is still there to read");
  } finally {
    await s.stop();
  }
});

Deno.test("a database from before the parent rule is migrated: its views and kept blocked set follow the edge", async () => {
  const dir = await workspace();
  const old = await createIssue(dir, "old epic", "-t", "epic");
  const next = await createIssue(dir, "new epic", "-t", "epic");
  const moved = await createIssue(dir, "moved", "--parent", old);
  await bdOk(dir, ["update", moved, "--parent", next]);
  const blocker = await createIssue(dir, "blocker");
  await bdOk(dir, ["dep", "add", old, blocker]);
  // As schema 18 left it: the view counted every ID prefix, and the kept set agreed with it.
  const db = new DatabaseSync(`${dir}/.beads/test.db`);
  db.exec(`DROP VIEW IF EXISTS blocked_issues; DROP VIEW IF EXISTS ready_issues; DROP VIEW blocked_issue_ids;
    CREATE VIEW blocked_issue_ids AS WITH RECURSIVE blocked(id) AS (
      SELECT d.issue_id FROM dependencies d JOIN issues b ON b.id = d.depends_on_id
      WHERE d.type = 'blocks' AND b.status <> 'closed'
      UNION SELECT d.issue_id FROM blocked b CROSS JOIN dependencies d ON d.depends_on_id = b.id AND d.type = 'parent-child'
      UNION SELECT c.id FROM blocked b CROSS JOIN issues c ON c.id > b.id || '.' AND c.id < b.id || '/'
    ) SELECT id FROM blocked;
    CREATE VIEW ready_issues AS SELECT i.* FROM issues i WHERE i.status = 'open' AND i.id NOT IN (SELECT id FROM blocked_issue_ids);
    INSERT OR IGNORE INTO blocked_cache (issue_id) VALUES ('${moved}');
    PRAGMA user_version = 18;`);
  assert.ok(db.prepare("SELECT 1 FROM blocked_issue_ids WHERE id = ?").get(moved), "the old rule holds it");
  db.close();
  const ready = ids((await bdOk(dir, ["ready", "--json", "--limit", "0"])).json());
  assert.ok(ready.includes(moved), "after the migration the edge decides");
  await createIssue(dir, "a write rebuilds the kept set");
  const after = new DatabaseSync(`${dir}/.beads/test.db`);
  try {
    assert.equal(Number(after.prepare("PRAGMA user_version").get()!.user_version), SCHEMA_VERSION);
    assert.ok(after.prepare("SELECT 1 FROM ready_issues WHERE id = ?").get(moved), "the view agrees");
    assert.ok(!after.prepare("SELECT 1 FROM blocked_cache WHERE issue_id = ?").get(moved), "and so does the kept set");
  } finally {
    after.close();
  }
});
