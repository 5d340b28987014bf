import assert from "node:assert/strict";
import { gqlWorkspace } from "./gql_helpers.ts";

Deno.test("GraphQL triage, ready(sort: IMPACT) and Issue.unblocks give the service's answers", async () => {
  const g = gqlWorkspace();
  const b = g.beads;
  const hub = b.create({ title: "hub", priority: 3 }).id;
  const waiting = [1, 2, 3].map((n) => b.create({ title: `waits ${n}` }).id);
  for (const w of waiting) b.addDependency(w, hub);
  const epic = b.create({ title: "epic", issue_type: "epic" }).id;
  const child = b.create({ title: "child", parent: epic }).id;
  b.addDependency(epic, waiting[0]);
  const plain = b.create({ title: "plain", priority: 0 }).id;
  const r = await g.gql(`{
    triage(limit: 5) {
      open ready blocked inProgress
      criticalPath { id unblocks }
      bottlenecks { issue { id title } unblocks blocks { id } }
      quickWins { issue { id } unblocks }
      stale { id }
      cycles { id }
      epics { epic { id } remaining criticalPathLength criticalPath { id } }
    }
    ready(sort: IMPACT, limit: 2) { id unblocks }
  }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const t = r.data.triage;
  const service = b.triage({ limit: 5 });
  assert.deepEqual(t.criticalPath.map((i: { id: string }) => i.id), service.critical_path.map((i) => i.id));
  assert.deepEqual(t.criticalPath[0], { id: hub, unblocks: 5 }, "hub → waits 1 → epic's child (through the epic)");
  assert.equal(t.bottlenecks[0].issue.id, hub);
  assert.equal(t.bottlenecks[0].unblocks, 5);
  assert.deepEqual(t.bottlenecks[0].blocks.map((i: { id: string }) => i.id).sort(), waiting.slice().sort());
  assert.deepEqual(t.quickWins, [{ issue: { id: hub }, unblocks: 5 }]);
  assert.deepEqual(t.epics, [{
    epic: { id: epic },
    remaining: 1,
    criticalPathLength: 1,
    criticalPath: [{ id: child }],
  }]);
  assert.equal(t.open, service.open);
  assert.equal(t.blocked, 5, "three waiting, the epic and its child");
  assert.deepEqual(r.data.ready, [{ id: hub, unblocks: 5 }, { id: plain, unblocks: 0 }]);
  const claimed = await g.gql(`mutation { claimNextReady(sort: IMPACT) { id } }`);
  assert.equal(claimed.data.claimNextReady.id, hub);
  const bad = await g.gql(`{ triage(limit: -1) { open } }`);
  assert.equal(bad.errors[0].extensions.code, "VALIDATION");
  g.close();
});

Deno.test("GraphQL filters take the CLI's exclusions: excludeLabels, excludeTypes, noLabels, overdue, deferred", async () => {
  const g = gqlWorkspace();
  const b = g.beads;
  const tagged = b.create({ title: "tagged", labels: ["infra"] }).id;
  const epic = b.create({ title: "epic", issue_type: "epic" }).id;
  const late = b.create({ title: "late", due_at: "2020-01-01T00:00:00Z" }).id;
  const ready = await g.gql(`{ ready(filter: {excludeLabels: ["infra"], excludeTypes: ["epic"]}) { id } }`);
  assert.deepEqual(ready.data.ready.map((i: { id: string }) => i.id), [late]);
  const list = await g.gql(`{ issues(filter: {noLabels: true, overdue: true}) { nodes { id } } }`);
  assert.deepEqual(list.data.issues.nodes.map((i: { id: string }) => i.id), [late]);
  const bad = await g.gql(`{ ready(filter: {excludeTypes: ["bogus"]}) { id } }`);
  assert.equal(bad.errors[0].extensions.code, "VALIDATION");
  assert.ok(tagged && epic);
  g.close();
});
