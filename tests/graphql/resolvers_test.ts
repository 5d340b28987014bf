import assert from "node:assert/strict";
import { gqlWorkspace } from "./gql_helpers.ts";

Deno.test("issue() accepts partial IDs and returns null for unknown ones; fields are camelCase", async () => {
  const g = gqlWorkspace();
  const id =
    g.beads.create({ title: "Hello", description: "d", acceptance_criteria: "ac", priority: 1, labels: ["x"] }).id;
  const r = await g.gql(
    `query($id: ID!) { issue(id: $id) { id title description acceptanceCriteria priority issueType status labels createdBy createdAt extra } missing: issue(id: "zzzz") { id } }`,
    {
      id: id.slice(2),
    },
  );
  assert.equal(r.errors, undefined);
  assert.equal(r.data.issue.id, id);
  assert.equal(r.data.issue.acceptanceCriteria, "ac");
  assert.deepEqual(r.data.issue.labels, ["x"]);
  assert.equal(r.data.issue.createdBy, "server");
  assert.equal(r.data.issue.createdAt, g.beads.issue(id).created_at);
  assert.equal(r.data.missing, null);
  g.close();
});

Deno.test("ready over GraphQL is the service's ready, with the same filters and sorts", async () => {
  const g = gqlWorkspace();
  const a = g.beads.create({ title: "a", priority: 3 }).id;
  const b = g.beads.create({ title: "b", priority: 0, labels: ["ui"] }).id;
  const c = g.beads.create({ title: "c" }).id;
  g.beads.addDependency(c, a);
  for (const sort of ["hybrid", "priority", "oldest"] as const) {
    const r = await g.gql(`{ ready(limit: 50, sort: ${sort.toUpperCase()}) { id isReady isBlocked } }`);
    assert.deepEqual(
      r.data.ready.map((i: { id: string }) => i.id),
      g.beads.ready({ sort, limit: 50 }).map((i) => i.id),
    );
    assert.ok(r.data.ready.every((i: { isReady: boolean; isBlocked: boolean }) => i.isReady && !i.isBlocked));
  }
  const f = await g.gql(`{ ready(filter: { labels: ["ui"] }) { id } blocked { id blockedBy { id } } }`);
  assert.deepEqual(f.data.ready.map((i: { id: string }) => i.id), [b]);
  assert.deepEqual(f.data.blocked, [{ id: c, blockedBy: [{ id: a }] }]);
  g.close();
});

Deno.test("issues() pages with stable cursors: items created between pages are neither skipped nor repeated", async () => {
  const g = gqlWorkspace();
  for (let i = 0; i < 7; i++) g.beads.create({ title: `t${i}`, id: `g-${String(i).padStart(2, "0")}` });
  const q =
    `query($after: String) { issues(first: 3, after: $after, orderBy: { field: ID }) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`;
  const p1 = (await g.gql(q)).data.issues;
  assert.deepEqual(p1.nodes.map((n: { id: string }) => n.id), ["g-00", "g-01", "g-02"]);
  assert.equal(p1.totalCount, 7);
  g.beads.create({ title: "early", id: "g-000" }); // sorts before the cursor: must not appear
  g.beads.create({ title: "late", id: "g-99" });
  const p2 = (await g.gql(q, { after: p1.pageInfo.endCursor })).data.issues;
  const p3 = (await g.gql(q, { after: p2.pageInfo.endCursor })).data.issues;
  assert.deepEqual([...p2.nodes, ...p3.nodes].map((n: { id: string }) => n.id), [
    "g-03",
    "g-04",
    "g-05",
    "g-06",
    "g-99",
  ]);
  assert.equal(p3.pageInfo.hasNextPage, false);
  const bad = await g.gql(`{ issues(after: "garbage") { totalCount } }`);
  assert.equal(bad.errors[0].extensions.code, "VALIDATION");
  const byPriority = await g.gql(
    `{ issues(first: 100, filter: { titleContains: "t" }, orderBy: { field: PRIORITY, direction: DESC }) { nodes { id } } }`,
  );
  assert.equal(byPriority.data.issues.nodes.length, 8); // t0..t6 and "late"
  g.close();
});

Deno.test("every mutation works, returns its payload and writes events and the JSONL", async () => {
  const g = gqlWorkspace();
  const created = await g.gql(
    `mutation { createIssue(input: { clientMutationId: "m1", title: "New", priority: 1, issueType: "bug", labels: ["a"] }) { clientMutationId issue { id priority issueType labels } } }`,
  );
  assert.equal(created.data.createIssue.clientMutationId, "m1");
  const id = created.data.createIssue.issue.id;
  const other = g.beads.create({ title: "other" }).id;
  const steps = [
    `updateIssue(input: { id: "${id}", notes: "n", status: "in_progress" }) { issue { notes status } }`,
    `addLabel(input: { issueId: "${id}", label: "b" }) { result issue { labels } }`,
    `removeLabel(input: { issueId: "${id}", label: "a" }) { result }`,
    `addDependency(input: { issueId: "${id}", dependsOnId: "${other}" }) { dependency { type dependsOnId } issue { blockedBy { id } } }`,
    `removeDependency(input: { issueId: "${id}", dependsOnId: "${other}" }) { dependency { type } }`,
    `addComment(input: { issueId: "${id}", text: "hi" }) { comment { author text } }`,
    `closeIssue(input: { id: "${id}", reason: "Fixed" }) { issue { status closeReason closedAt } }`,
    `reopenIssue(input: { id: "${id}" }) { issue { status closedAt } }`,
    `claimIssue(input: { id: "${id}" }) { issue { assignee status } }`,
  ];
  for (const s of steps) {
    const r = await g.gql(`mutation { ${s} }`);
    assert.equal(r.errors, undefined, `${s}: ${JSON.stringify(r.errors)}`);
  }
  const final = g.beads.issue(id);
  assert.equal(final.assignee, "server");
  assert.deepEqual(final.labels, ["b"]);
  const events = g.beads.events(id).map((e) => e.event_type);
  for (
    const t of [
      "created",
      "updated",
      "label_added",
      "label_removed",
      "dependency_added",
      "dependency_removed",
      "commented",
      "closed",
      "reopened",
      "claimed",
    ]
  ) {
    assert.ok(events.includes(t), t);
  }
  const jsonl = Deno.readTextFileSync(`${g.dir}/.beads/issues.jsonl`);
  assert.match(jsonl, /"assignee":"server"/);
  const del = await g.gql(`mutation { deleteIssue(input: { id: "${other}" }) { deletedIssueId } }`);
  assert.equal(del.data.deleteIssue.deletedIssueId, other);
  assert.match(Deno.readTextFileSync(`${g.dir}/.beads/issues.jsonl`), /"status":"tombstone"/);
  g.close();
});

Deno.test("errors carry the CLI's codes; unexpected errors are masked", async () => {
  const g = gqlWorkspace();
  const a = g.beads.create({ title: "a" }).id;
  const b = g.beads.create({ title: "b" }).id;
  g.beads.addDependency(a, b);
  const code = async (q: string) => (await g.gql(q)).errors?.[0]?.extensions?.code;
  assert.equal(await code(`mutation { closeIssue(input: { id: "nope" }) { issue { id } } }`), "NOT_FOUND");
  assert.equal(
    await code(`mutation { addDependency(input: { issueId: "${b}", dependsOnId: "${a}" }) { dependency { type } } }`),
    "CYCLE",
  );
  assert.equal(await code(`mutation { createIssue(input: { title: "" }) { issue { id } } }`), "VALIDATION");
  assert.equal(
    await code(`mutation { createIssue(input: { title: "x", priority: 9 }) { issue { id } } }`),
    "VALIDATION",
  );
  assert.equal(
    await code(`mutation { updateIssue(input: { id: "${a}", status: "doing" }) { issue { id } } }`),
    "VALIDATION",
  );
  await g.gql(`mutation { claimIssue(input: { id: "${a}" }) { issue { id } } }`, {}, { "x-bd-actor": "alice" });
  assert.equal(await code(`mutation { claimIssue(input: { id: "${a}" }) { issue { id } } }`), "CONFLICT");
  assert.equal(await code(`{ issue(id: "g") { id } }`), "AMBIGUOUS_ID");
  // A failure in the database layer that is not a BdError is masked.
  g.beads.db.exec("DROP VIEW blocked_issues"); // harmless to the resolvers
  g.beads.db.exec("ALTER TABLE labels RENAME TO labels_gone");
  const masked = await g.gql(`{ issue(id: "${a}") { labels } }`);
  assert.equal(masked.errors[0].extensions.code, "INTERNAL_SERVER_ERROR");
  assert.doesNotMatch(JSON.stringify(masked), /labels_gone|no such table|SELECT/);
  g.close();
});

Deno.test("the X-BD-Actor header sets the actor, else the server's actor", async () => {
  const g = gqlWorkspace();
  const r = await g.gql(`mutation { createIssue(input: { title: "x" }) { issue { createdBy } } }`, {}, {
    "X-BD-Actor": "agent-7",
  });
  assert.equal(r.data.createIssue.issue.createdBy, "agent-7");
  const s = await g.gql(`mutation { createIssue(input: { title: "y" }) { issue { createdBy } } }`);
  assert.equal(s.data.createIssue.issue.createdBy, "server");
  g.close();
});

Deno.test("claimNextReady claims each issue once and returns null when nothing is ready", async () => {
  const g = gqlWorkspace();
  for (let i = 0; i < 5; i++) g.beads.create({ title: `w${i}` });
  const results = await Promise.all(
    Array.from(
      { length: 8 },
      (_, i) => g.gql(`mutation { claimNextReady { id assignee } }`, {}, { "x-bd-actor": `agent-${i}` }),
    ),
  );
  const claimed = results.map((r) => r.data.claimNextReady).filter(Boolean);
  assert.equal(claimed.length, 5);
  assert.equal(new Set(claimed.map((c: { id: string }) => c.id)).size, 5);
  assert.equal(results.filter((r) => r.data.claimNextReady === null).length, 3);
  g.close();
});

Deno.test("nested fields are batched: 100 issues with dependencies, labels and blockers in a bounded number of statements", async () => {
  const g = gqlWorkspace();
  const ids: string[] = [];
  g.beads.mutate(() => {
    for (let i = 0; i < 120; i++) ids.push(g.beads.create({ title: `n${i}`, labels: [`l${i % 3}`] }).id);
    for (let i = 1; i < 120; i++) g.beads.addDependency(ids[i], ids[i - 1], i % 2 ? "blocks" : "related");
  });
  const before = g.beads.db.statementCount;
  const r = await g.gql(
    `{ issues(first: 100) { nodes { id labels isBlocked dependencies { type dependsOn { id title labels } } blockedBy { id } comments { text } parent { id } } } }`,
  );
  const used = g.beads.db.statementCount - before;
  assert.equal(r.errors, undefined);
  assert.equal(r.data.issues.nodes.length, 100);
  assert.ok(used <= 15, `used ${used} statements`);
  g.close();
});

Deno.test("stats, search, dependencyTree, cycles and labels", async () => {
  const g = gqlWorkspace();
  const a = g.beads.create({ title: "alpha zebra", labels: ["x"] }).id;
  const b = g.beads.create({ title: "beta" }).id;
  g.beads.addDependency(a, b);
  const r = await g.gql(
    `{ stats { totalIssues readyIssues blockedIssues averageLeadTimeHours } search(query: "zebra") { id }
    dependencyTree(id: "${a}") { depth parentId dependencyType issue { id } } cycles { id } labels { label count } }`,
  );
  assert.equal(r.errors, undefined);
  assert.deepEqual(r.data.stats, { totalIssues: 2, readyIssues: 1, blockedIssues: 1, averageLeadTimeHours: 0 });
  assert.deepEqual(r.data.search, [{ id: a }]);
  assert.deepEqual(r.data.dependencyTree.map((n: { issue: { id: string }; depth: number }) => [n.issue.id, n.depth]), [[
    a,
    0,
  ], [b, 1]]);
  assert.deepEqual(r.data.cycles, []);
  assert.deepEqual(r.data.labels, [{ label: "x", count: 1 }]);
  g.close();
});

Deno.test("request limits: depth, aliases, tokens and page size are refused with clear coded errors", async () => {
  const g = gqlWorkspace();
  g.beads.create({ title: "x" });
  const deep = `{ ready { ${"parent { ".repeat(15)}id${" }".repeat(15)} } }`;
  assert.equal((await g.gql(deep)).errors[0].extensions.code, "QUERY_TOO_DEEP");
  const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: stats { totalIssues }`).join(" ")} }`;
  assert.equal((await g.gql(aliases)).errors[0].extensions.code, "TOO_MANY_ALIASES");
  const tokens = `{ ready { ${Array.from({ length: 2100 }, () => "id").join(" ")} } }`;
  assert.equal((await g.gql(tokens)).errors[0].extensions.code, "TOO_MANY_TOKENS");
  assert.equal((await g.gql(`{ ready(limit: 1000) { id } }`)).errors[0].extensions.code, "VALIDATION");
  const inner =
    "dependencies { dependsOn { dependents { issue { id labels comments { text } events { eventType } } } } }";
  const costly = `{ ${
    Array.from({ length: 25 }, (_, i) => `a${i}: issues(first: 100) { nodes { id ${inner} blockedBy { ${inner} } } }`)
      .join(" ")
  } }`;
  const cost = (await g.gql(costly)).errors[0];
  assert.equal(cost.extensions.code, "QUERY_TOO_COSTLY");
  assert.match(cost.message, /^Query Cost limit of \d+ exceeded/);
  g.close();
});

Deno.test("GraphQL writes meet the import rules too: an ID with a control character is refused, nothing written", async () => {
  const g = gqlWorkspace();
  const r = await g.gql(`mutation($id: ID) { createIssue(input: { title: "x", id: $id }) { issue { id } } }`, {
    id: "g-a\u0007b",
  });
  assert.equal(r.errors[0].extensions.code, "VALIDATION");
  assert.match(r.errors[0].message, /PREFIX-HASH/);
  assert.equal(g.beads.count({}), 0);
  g.close();
});
