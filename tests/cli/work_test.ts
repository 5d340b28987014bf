import assert from "node:assert/strict";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

Deno.test("ready honours every flag of the contract", async () => {
  const dir = await workspace();
  const epic = await createIssue(dir, "epic", "-t", "epic", "-p", "1");
  const child = await createIssue(dir, "child", "--parent", epic, "-l", "ui,web");
  const bug = await createIssue(dir, "bug", "-t", "bug", "-p", "0", "-a", "alice", "-l", "web");
  const blocked = await createIssue(dir, "blocked", "--deps", bug);
  await createIssue(dir, "deferred", "--defer", "+2d");
  const all = (await bdOk(dir, ["ready", "--json", "--limit", "0"])).json();
  assert.deepEqual(ids(all).sort(), [epic, child, bug].sort());
  assert.ok(!ids(all).includes(blocked));
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--limit", "1"])).json()), [bug]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--priority", "0"])).json()), [bug]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--assignee", "alice"])).json()), [bug]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--unassigned"])).json()).sort(), [epic, child].sort());
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--label", "ui", "--label", "web"])).json()), [child]);
  assert.deepEqual(
    ids((await bdOk(dir, ["ready", "--json", "--label-any", "ui,web"])).json()).sort(),
    [child, bug].sort(),
  );
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--type", "epic"])).json()), [epic]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--parent", epic])).json()), [child]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--sort", "oldest"])).json()), [epic, child, bug]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json", "--sort", "priority"])).json()), [bug, epic, child]);
  const bad = await bd(dir, ["ready", "--sort", "random"]);
  assert.equal(bad.code, 1);
  const human = await bdOk(dir, ["ready"]);
  assert.match(human.stdout, /^\n📋 Ready work \(3 issues with no blockers\):\n\n1\. \[● P\d\] \[\w+\] \S+: /);
});

Deno.test("ready --claim claims the first ready issue atomically; [] when nothing is ready", async () => {
  const dir = await workspace();
  const only = await createIssue(dir, "only");
  const claimed = (await bdOk(dir, ["ready", "--claim", "--json"])).json();
  assert.equal(claimed.length, 1);
  assert.equal(claimed[0].id, only);
  assert.equal(claimed[0].status, "in_progress");
  assert.equal(claimed[0].assignee, "tester");
  assert.equal((await bdOk(dir, ["ready", "--claim", "--json"])).stdout, "[]\n");
});

Deno.test("blocked lists blockers; --parent narrows to an epic", async () => {
  const dir = await workspace();
  const epic = await createIssue(dir, "epic", "-t", "epic");
  const a = await createIssue(dir, "a", "--parent", epic);
  const b = await createIssue(dir, "b");
  const c = await createIssue(dir, "c");
  await bdOk(dir, ["dep", "add", a, b]);
  await bdOk(dir, ["dep", "add", a, c]);
  await bdOk(dir, ["dep", "add", epic, c]);
  const rows = (await bdOk(dir, ["blocked", "--json"])).json();
  const byId = Object.fromEntries(rows.map((r: { id: string }) => [r.id, r]));
  assert.deepEqual(byId[a].blocked_by.sort(), [b, c].sort());
  assert.equal(byId[a].blocked_by_count, 2);
  assert.deepEqual(byId[epic].blocked_by, [c]);
  assert.deepEqual(ids((await bdOk(dir, ["blocked", "--parent", epic, "--json"])).json()), [a]);
});

Deno.test("dep add/remove/list/tree/cycles print the contract's shapes", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "a");
  const b = await createIssue(dir, "b");
  const c = await createIssue(dir, "c");
  assert.deepEqual((await bdOk(dir, ["dep", "add", a, b, "--json"])).json(), {
    status: "added",
    issue_id: a,
    depends_on_id: b,
    type: "blocks",
  });
  assert.deepEqual((await bdOk(dir, ["dep", "add", b, c, "--type", "related", "--json"])).json().type, "related");
  assert.match((await bdOk(dir, ["dep", "add", c, a, "-t", "discovered-from"])).stdout, /Added dependency/);
  const list = (await bdOk(dir, ["dep", "list", a, "--json"])).json();
  assert.deepEqual(list.map((d: { depends_on_id: string }) => d.depends_on_id), [b]);
  const tree = (await bdOk(dir, ["dep", "tree", a, "--json"])).json();
  assert.deepEqual(tree.map((n: { id: string; depth: number }) => [n.id, n.depth]), [[a, 0], [b, 1], [c, 2]]);
  assert.equal(tree[1].parent_id, a);
  assert.equal(tree[0].truncated, false);
  const cut = (await bdOk(dir, ["dep", "tree", a, "--max-depth", "1", "--json"])).json();
  assert.equal(cut.length, 2);
  assert.equal(cut[1].truncated, true);
  const up = (await bdOk(dir, ["dep", "tree", c, "--direction", "up", "--json"])).json();
  assert.deepEqual(up.map((n: { id: string }) => n.id), [c, b, a]);
  assert.deepEqual((await bdOk(dir, ["dep", "cycles", "--json"])).json(), []);
  assert.deepEqual((await bdOk(dir, ["dep", "remove", a, b, "--json"])).json(), {
    status: "removed",
    issue_id: a,
    depends_on_id: b,
    type: "blocks",
  });
  const again = await bd(dir, ["dep", "remove", a, b, "--json"]);
  assert.equal(again.code, 1);
  assert.equal(JSON.parse(again.stderr).code, "NOT_FOUND");
});

Deno.test("dep cycles finds cycles written by other tools into the database", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "a");
  const b = await createIssue(dir, "b");
  await bdOk(dir, ["dep", "add", a, b]);
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(`${dir}/.beads/test.db`);
  db.prepare("INSERT INTO dependencies (issue_id, depends_on_id, type) VALUES (?, ?, 'blocks')").run(b, a);
  db.close();
  const cycles = (await bdOk(dir, ["dep", "cycles", "--json"])).json();
  assert.equal(cycles.length, 1);
  assert.deepEqual(cycles[0].map((i: { id: string }) => i.id).sort(), [a, b].sort());
});

Deno.test("labels and comments", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "a");
  const b = await createIssue(dir, "b");
  assert.deepEqual((await bdOk(dir, ["label", "add", a, b, "urgent", "--json"])).json(), [
    { issue_id: a, label: "urgent", status: "added" },
    { issue_id: b, label: "urgent", status: "added" },
  ]);
  await bdOk(dir, ["label", "add", a, "backend"]);
  assert.deepEqual((await bdOk(dir, ["label", "list", a, "--json"])).json(), ["backend", "urgent"]);
  assert.deepEqual((await bdOk(dir, ["label", "list-all", "--json"])).json(), [
    { label: "backend", count: 1 },
    { label: "urgent", count: 2 },
  ]);
  assert.deepEqual((await bdOk(dir, ["label", "remove", b, "urgent", "--json"])).json(), [{
    issue_id: b,
    label: "urgent",
    status: "removed",
  }]);
  const c1 = (await bdOk(dir, ["comments", "add", a, "first", "--json"])).json();
  assert.deepEqual(Object.keys(c1), ["id", "issue_id", "author", "text", "created_at"]);
  await bdOk(dir, ["comment", a, "second"]);
  await bdOk(dir, ["comments", "add", a, "-f", "-"], { stdin: "from\nstdin" });
  const comments = (await bdOk(dir, ["comments", a, "--json"])).json();
  assert.deepEqual(comments.map((c: { text: string }) => c.text), ["first", "second", "from\nstdin"]);
  assert.equal(comments[0].author, "tester");
});

Deno.test("stats, count, search, stale and epic status", async () => {
  const dir = await workspace();
  const epic = await createIssue(dir, "Launch epic", "-t", "epic");
  const c1 = await createIssue(dir, "Child one", "--parent", epic, "-d", "has the word zebra");
  const c2 = await createIssue(dir, "Child two", "--parent", epic);
  const blocker = await createIssue(dir, "Blocker");
  await bdOk(dir, ["dep", "add", c2, blocker]);
  await bdOk(dir, ["close", c1]);
  const stats = (await bdOk(dir, ["stats", "--json"])).json();
  for (
    const k of [
      "total_issues",
      "open_issues",
      "in_progress_issues",
      "closed_issues",
      "blocked_issues",
      "deferred_issues",
      "ready_issues",
      "average_lead_time_hours",
    ]
  ) {
    assert.equal(typeof stats[k], "number", k);
    assert.equal(stats.summary[k], stats[k]);
  }
  assert.equal(stats.total_issues, 4);
  assert.equal(stats.closed_issues, 1);
  assert.equal(stats.blocked_issues, 1);
  assert.equal(stats.ready_issues, 2);
  assert.deepEqual((await bdOk(dir, ["count", "--json"])).json(), { count: 4 });
  const grouped = (await bdOk(dir, ["count", "--by-status", "--json"])).json();
  assert.equal(grouped.total, 4);
  assert.deepEqual(grouped.groups, [{ group: "closed", count: 1 }, { group: "open", count: 3 }]);
  assert.deepEqual(ids((await bdOk(dir, ["search", "zebra", "--json"])).json()), [c1]);
  assert.deepEqual(ids((await bdOk(dir, ["search", "child", "--status", "open", "--json"])).json()), [c2]);
  assert.deepEqual((await bdOk(dir, ["stale", "--days", "1", "--json"])).json(), []);
  assert.equal((await bdOk(dir, ["stale", "--days", "0", "--json"])).json().length, 3);
  const epics = (await bdOk(dir, ["epic", "status", "--json"])).json();
  assert.equal(epics[0].epic.id, epic);
  assert.equal(epics[0].total_children, 2);
  assert.equal(epics[0].closed_children, 1);
  assert.equal(epics[0].eligible_for_close, false);
});

Deno.test("config get/set/list/unset", async () => {
  const dir = await workspace();
  assert.deepEqual((await bdOk(dir, ["config", "set", "jira.url", "https://x", "--json"])).json(), {
    key: "jira.url",
    value: "https://x",
  });
  assert.equal((await bdOk(dir, ["config", "get", "jira.url"])).stdout, "https://x\n");
  assert.equal((await bdOk(dir, ["config", "list", "--json"])).json()["issue_prefix"], "test");
  await bdOk(dir, ["config", "unset", "jira.url"]);
  const missing = await bd(dir, ["config", "get", "jira.url", "--json"]);
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stderr).code, "NOT_FOUND");
  await bdOk(dir, ["config", "set", "issue_prefix", "new"]);
  assert.match(await createIssue(dir, "renamed"), /^new-/);
});
