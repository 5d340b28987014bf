/** Custom statuses through GraphQL: the vocabulary, each issue's category, and blockers that are done. */
import assert from "node:assert/strict";
import { gqlWorkspace } from "./gql_helpers.ts";

Deno.test("GraphQL statuses, issueTypes and Issue.statusCategory follow status.custom; a done blocker blocks nothing", async () => {
  const g = gqlWorkspace();
  const b = g.beads;
  b.configSet("status.custom", "in_review:active,shipped:done");
  b.configSet("types.custom", "incident");
  const blocker = b.create({ title: "blocker" }).id;
  const waiter = b.create({ title: "waiter" }).id;
  b.addDependency(waiter, blocker);
  const before = await g.gql(`query($id: ID!) { issue(id: $id) { statusCategory isReady blockedBy { id } } }`, {
    id: waiter,
  });
  assert.deepEqual(before.data.issue, { statusCategory: "active", isReady: false, blockedBy: [{ id: blocker }] });
  const moved = await g.gql(
    `mutation($id: ID!) { updateIssue(input: { id: $id, status: "shipped" }) { issue { status statusCategory } } }`,
    { id: blocker },
  );
  assert.deepEqual(moved.data.updateIssue.issue, { status: "shipped", statusCategory: "done" });
  const r = await g.gql(
    `query($id: ID!) {
    statuses { name category custom }
    issueTypes
    issue(id: $id) { isReady blockedBy { id } }
    ready(limit: 10) { id }
  }`,
    { id: waiter },
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(
    r.data.statuses.map((s: { name: string; category: string; custom: boolean }) => [s.name, s.category, s.custom]),
    [
      ["open", "active", false],
      ["in_progress", "wip", false],
      ["blocked", "wip", false],
      ["deferred", "frozen", false],
      ["closed", "done", false],
      ["in_review", "active", true],
      ["shipped", "done", true],
    ],
  );
  assert.deepEqual(r.data.issueTypes, ["bug", "feature", "task", "epic", "chore", "decision", "incident"]);
  assert.deepEqual(r.data.issue, { isReady: true, blockedBy: [] });
  assert.deepEqual(r.data.ready.map((i: { id: string }) => i.id), [waiter]);
  const bad = await g.gql(`mutation($id: ID!) { updateIssue(input: { id: $id, status: "nope" }) { issue { id } } }`, {
    id: waiter,
  });
  assert.equal(bad.errors[0].extensions.code, "VALIDATION");
  assert.match(bad.errors[0].message, /custom statuses in_review, shipped/);
  g.close();
});
