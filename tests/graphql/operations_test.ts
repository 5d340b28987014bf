/** The everyday operations over GraphQL: memories, defer/undefer, duplicate/supersede, epics, lint, parallel edges. */
import assert from "node:assert/strict";
import { gqlWorkspace } from "./gql_helpers.ts";

Deno.test("memories over GraphQL are bd remember/recall/forget", async () => {
  const g = gqlWorkspace();
  const r = await g.gql(`mutation { remember(input: { value: "Use JWT for auth" }) { memory { key value } action } }`);
  assert.deepEqual(r.data.remember, {
    memory: { key: "use-jwt-for-auth", value: "Use JWT for auth" },
    action: "REMEMBERED",
  });
  const q = await g.gql(
    `{ memories(search: "jwt") { key } memory(key: "use-jwt-for-auth") { value } none: memory(key: "x") { key } }`,
  );
  assert.deepEqual(q.data, {
    memories: [{ key: "use-jwt-for-auth" }],
    memory: { value: "Use JWT for auth" },
    none: null,
  });
  const f = await g.gql(`mutation { forget(input: { key: "use-jwt-for-auth" }) { forgotten } }`);
  assert.equal(f.data.forget.forgotten, true);
  g.close();
});

Deno.test("defer, undefer, duplicate, supersede and close-eligible epics over GraphQL", async () => {
  const g = gqlWorkspace();
  const a = g.beads.create({ title: "a" }).id;
  const b = g.beads.create({ title: "b" }).id;
  const c = g.beads.create({ title: "c" }).id;
  const epic = g.beads.create({ title: "epic", issue_type: "epic" }).id;
  const child = g.beads.create({ title: "child", parent: epic }).id;
  const d = await g.gql(
    `mutation($id: ID!) { deferIssue(input: { id: $id, until: "+2d" }) { issue { status deferUntil isReady } } }`,
    { id: a },
  );
  assert.equal(d.data.deferIssue.issue.status, "deferred");
  assert.equal(d.data.deferIssue.issue.isReady, false);
  const u = await g.gql(`mutation($id: ID!) { undeferIssue(input: { id: $id }) { issue { status deferUntil } } }`, {
    id: a,
  });
  assert.deepEqual(u.data.undeferIssue.issue, { status: "open", deferUntil: null });
  const dup = await g.gql(
    `mutation($id: ID!, $of: ID!) { markDuplicate(input: { id: $id, of: $of }) { issue { status closeReason dependencies { type dependsOnId } } } }`,
    { id: b, of: a },
  );
  assert.equal(dup.data.markDuplicate.issue.status, "closed");
  assert.equal(dup.data.markDuplicate.issue.closeReason, `duplicate of ${a}`);
  assert.deepEqual(dup.data.markDuplicate.issue.dependencies, [{ type: "duplicates", dependsOnId: a }]);
  const sup = await g.gql(
    `mutation($id: ID!, $w: ID!) { markSuperseded(input: { id: $id, with: $w }) { issue { closeReason } } }`,
    { id: c, w: a },
  );
  assert.equal(sup.data.markSuperseded.issue.closeReason, `superseded by ${a}`);
  const self = await g.gql(`mutation($id: ID!) { markDuplicate(input: { id: $id, of: $id }) { issue { id } } }`, {
    id: a,
  });
  assert.equal(self.errors[0].extensions.code, "VALIDATION");
  g.beads.closeIssue(child);
  const dry = await g.gql(`mutation { closeEligibleEpics(dryRun: true) { id status } }`);
  assert.deepEqual(dry.data.closeEligibleEpics, [{ id: epic, status: "open" }]);
  const done = await g.gql(`mutation { closeEligibleEpics { id status } }`);
  assert.deepEqual(done.data.closeEligibleEpics, [{ id: epic, status: "closed" }]);
  g.close();
});

Deno.test("lint over GraphQL; parallel edges of different types with their extra fields", async () => {
  const g = gqlWorkspace();
  const bug = g.beads.create({ title: "bug", issue_type: "bug", description: "## Steps to Reproduce\n1. x" }).id;
  const l = await g.gql(`query($ids: [ID!]) { lint(ids: $ids) { issue { id } missing } }`, { ids: [bug] });
  assert.deepEqual(l.data.lint, [{ issue: { id: bug }, missing: ["Acceptance Criteria"] }]);
  const other = g.beads.create({ title: "other" }).id;
  g.beads.addDependency(bug, other, "blocks");
  g.beads.addDependency(bug, other, "supersedes");
  const e = await g.gql(`query($id: ID!) { issue(id: $id) { dependencies { type dependsOnId extra } isBlocked } }`, {
    id: bug,
  });
  assert.deepEqual(e.data.issue.dependencies.map((d: { type: string }) => d.type), ["blocks", "supersedes"]);
  assert.equal(e.data.issue.isBlocked, true);
  const rm = await g.gql(
    `mutation($a: ID!, $b: ID!) { removeDependency(input: { issueId: $a, dependsOnId: $b }) { dependency { type } } }`,
    { a: bug, b: other },
  );
  assert.equal(rm.errors[0].extensions.code, "VALIDATION");
  const ok = await g.gql(
    `mutation($a: ID!, $b: ID!) { removeDependency(input: { issueId: $a, dependsOnId: $b, type: "blocks" }) { dependency { type } issue { isBlocked } } }`,
    { a: bug, b: other },
  );
  assert.deepEqual(ok.data.removeDependency, { dependency: { type: "blocks" }, issue: { isBlocked: false } });
  g.close();
});
