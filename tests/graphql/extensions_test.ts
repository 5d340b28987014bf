import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";
import { type Gql, gqlWorkspace } from "./gql_helpers.ts";

const FIXTURES = join(ROOT, "tests", "fixtures", "extending");
const docSql = (name: string) => Deno.readTextFileSync(join(FIXTURES, name));

/** A workspace with the founding document's tables (as written there) and some rows. */
function orchestrator(config?: unknown): Gql & { a: string; b: string; blocker: string } {
  const g = gqlWorkspace("myapp");
  const a = g.beads.create({ title: "Implement auth", priority: 1 }).id;
  const b = g.beads.create({ title: "Write docs" }).id;
  const blocker = g.beads.create({ title: "Design", priority: 0 }).id;
  g.beads.addDependency(b, blocker);
  g.beads.db.exec(docSql("02_integration_schema.sql"));
  g.beads.db.exec(docSql("04_vc_orchestrator.sql").split("-- VC can now claim")[0]);
  g.beads.db.exec(`
    INSERT INTO myapp_executions (issue_id, status, agent_id, started_at) VALUES
      ('${a}', 'running', 'agent-1', '2025-01-01 10:00:00'),
      ('${a}', 'failed', 'agent-2', '2025-01-01 09:00:00'),
      ('${blocker}', 'pending', NULL, NULL);
    INSERT INTO myapp_checkpoints (execution_id, step_name, step_data) VALUES
      (1, 'assessment', '{"completed": true}'), (1, 'execution', '{"error": null, "files": 3}');
    INSERT INTO vc_executor_instances (id, issue_id, executor_type, status, created_at) VALUES
      ('ex-1', '${a}', 'code', 'pending', '2025-01-01 00:00:00');
    INSERT INTO vc_execution_state (executor_id, phase, state_data) VALUES ('ex-1', 'assessment', '{"ok": 1}');
  `);
  const cfg = config ?? {
    extensions: [
      { name: "myapp", prefix: "myapp_", writable: true, tables: { myapp_checkpoints: { json: ["step_data"] } } },
      {
        name: "vc",
        include: ["vc_executor_instances", "vc_execution_state"],
        tables: { vc_execution_state: { json: ["state_data"] } },
      },
    ],
  };
  Deno.writeTextFileSync(join(g.dir, ".beads", "graphql.json"), JSON.stringify(cfg));
  return Object.assign(g, { a, b, blocker });
}

Deno.test("ready issues with their executions and checkpoints in one query (the document's tables)", async () => {
  const g = orchestrator();
  const r = await g.gql(
    `{ ready { id myappExecutions { status agentId startedAt checkpoints { stepName stepData } issue { id } } vcExecutorInstances { id executionState { phase stateData } } } }`,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const byId = Object.fromEntries(r.data.ready.map((i: { id: string }) => [i.id, i]));
  const a = byId[g.a];
  assert.deepEqual(a.myappExecutions.map((e: { status: string }) => e.status).sort(), ["failed", "running"]);
  const running = a.myappExecutions.find((e: { status: string }) => e.status === "running");
  assert.equal(running.startedAt, "2025-01-01 10:00:00", "SQLite's own timestamp text passes through");
  assert.deepEqual(running.checkpoints, [
    { stepName: "assessment", stepData: { completed: true } },
    { stepName: "execution", stepData: { error: null, files: 3 } },
  ]);
  assert.equal(running.issue.id, g.a);
  assert.deepEqual(a.vcExecutorInstances, [{
    id: "ex-1",
    executionState: [{ phase: "assessment", stateData: { ok: 1 } }],
  }]);
  assert.ok(!byId[g.b], "blocked issue is not ready");
  g.close();
});

Deno.test("the stitched SDL follows the naming rules and maps SQLite types to scalars", async () => {
  const g = orchestrator();
  const { createBdServer } = await import("../../src/graphql/server.ts");
  const { printSchema } = await import("graphql");
  const sdl = printSchema(createBdServer(g.beads).schemas.get());
  for (
    const expected of [
      /type MyappExecution \{\n\s+id: Int!\n\s+issueId: String!\n\s+status: String!\n\s+agentId: String\n\s+startedAt: DateTime\n/,
      /issue: Issue\n/,
      /checkpoints: \[MyappCheckpoint!\]!/,
      /myappExecutions: \[MyappExecution!\]!/,
      /type MyappCheckpoint \{[^}]*stepData: JSON[^}]*execution: MyappExecution/,
      /type VcExecutorInstance \{[^}]*executionState: \[VcExecutionState!\]!/,
      /vcExecutorInstances: \[VcExecutorInstance!\]!/,
      /myappExecution\(id: Int!\): MyappExecution/,
      /myappExecutions\(where: MyappExecutionWhere, orderBy: MyappExecutionOrder, first: Int = 50, after: String\): MyappExecutionConnection/,
      /insertMyappExecution\(input: MyappExecutionInsert!\): MyappExecution/,
      /vcExecutorInstance\(id: String!\): VcExecutorInstance/,
    ]
  ) assert.match(sdl, expected);
  assert.doesNotMatch(sdl, /insertVcExecutorInstance/, "vc is read-only by default");
  g.close();
});

Deno.test("typed where filters (eq, in, comparison, isNull, and/or), orderBy and cursor pagination", async () => {
  const g = orchestrator();
  const q = async (
    args: string,
  ) => (await g.gql(
    `{ myappExecutions(${args}) { totalCount nodes { id status } pageInfo { hasNextPage endCursor } } }`,
  ));
  // deno-lint-ignore no-explicit-any
  const ids = (r: { data?: any }) => r.data.myappExecutions.nodes.map((n: { id: number }) => n.id);
  assert.deepEqual(ids(await q(`where: { status: { eq: "running" } }`)), [1]);
  assert.deepEqual(ids(await q(`where: { status: { in: ["running", "pending"] } }`)), [1, 3]);
  assert.deepEqual(ids(await q(`where: { id: { gte: 2 } }`)), [2, 3]);
  assert.deepEqual(ids(await q(`where: { agentId: { isNull: true } }`)), [3]);
  assert.deepEqual(
    ids(
      await q(`where: { or: [{ status: { eq: "failed" } }, { and: [{ id: { gt: 2 } }, { status: { neq: "x" } }] }] }`),
    ),
    [2, 3],
  );
  assert.deepEqual(ids(await q(`orderBy: { field: STARTED_AT, direction: DESC }`)), [1, 2, 3]);
  const p1 = await q(`first: 2, orderBy: { field: STATUS }`);
  assert.deepEqual(ids(p1), [2, 3]);
  assert.equal(p1.data.myappExecutions.pageInfo.hasNextPage, true);
  const p2 = await q(`first: 2, orderBy: { field: STATUS }, after: "${p1.data.myappExecutions.pageInfo.endCursor}"`);
  assert.deepEqual(ids(p2), [1]);
  assert.equal(p2.data.myappExecutions.totalCount, 3);
  const byPk = await g.gql(
    `{ myappExecution(id: 2) { agentId } vcExecutorInstance(id: "ex-1") { status issue { title } } }`,
  );
  assert.deepEqual(byPk.data, {
    myappExecution: { agentId: "agent-2" },
    vcExecutorInstance: { status: "pending", issue: { title: "Implement auth" } },
  });
  g.close();
});

Deno.test("writable tables get insert/update/delete that respect constraints and foreign keys", async () => {
  const g = orchestrator();
  const ins = await g.gql(
    `mutation { insertMyappExecution(input: { issueId: "${g.b}", status: "pending", agentId: "a9" }) { id issue { id } } }`,
  );
  assert.equal(ins.errors, undefined, JSON.stringify(ins.errors));
  const id = ins.data.insertMyappExecution.id;
  assert.equal(ins.data.insertMyappExecution.issue.id, g.b);
  const upd = await g.gql(
    `mutation { updateMyappExecution(id: ${id}, set: { status: "done", error: null }) { status } }`,
  );
  assert.equal(upd.data.updateMyappExecution.status, "done");
  const json = await g.gql(
    `mutation { insertMyappCheckpoint(input: { executionId: ${id}, stepName: "s", stepData: { deep: [1, 2] } }) { stepData } }`,
  );
  assert.deepEqual(json.data.insertMyappCheckpoint.stepData, { deep: [1, 2] });
  const fk = await g.gql(`mutation { insertMyappExecution(input: { issueId: "no-such-issue", status: "x" }) { id } }`);
  assert.equal(fk.errors[0].extensions.code, "VALIDATION");
  assert.match(fk.errors[0].message, /foreign key/);
  const missing = await g.gql(`mutation { insertMyappExecution(input: { issueId: "${g.b}" }) { id } }`);
  assert.equal(
    missing.errors[0].extensions.code,
    "GRAPHQL_VALIDATION_FAILED",
    "required columns are required in the input type",
  );
  const del = await g.gql(`mutation { deleteMyappExecution(id: ${id}) { id } }`);
  assert.equal(del.data.deleteMyappExecution.id, id);
  const gone = await g.gql(`mutation { deleteMyappExecution(id: ${id}) { id } }`);
  assert.equal(gone.errors[0].extensions.code, "NOT_FOUND");
  g.close();
});

Deno.test("deleting an issue cascades into extension rows", async () => {
  const g = orchestrator();
  await g.gql(`mutation { deleteIssue(input: { id: "${g.a}" }) { deletedIssueId } }`);
  const r = await g.gql(
    `{ myappExecutions { totalCount } myappCheckpoints { totalCount } vcExecutorInstances { totalCount } vcExecutionStates: vcExecutionStateList { totalCount } }`,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data, {
    myappExecutions: { totalCount: 1 },
    myappCheckpoints: { totalCount: 0 },
    vcExecutorInstances: { totalCount: 0 },
    vcExecutionStates: { totalCount: 0 },
  });
  g.close();
});

Deno.test("hot reload: a new table (CREATE TABLE myapp_results) and a changed config appear without a restart", async () => {
  const g = orchestrator();
  assert.ok((await g.gql(`{ myappResults { totalCount } }`)).errors, "not there yet");
  g.beads.db.exec(docSql("08_pattern_results.sql").split("-- Get all results")[0]);
  g.beads.db.exec(
    `INSERT INTO myapp_results (issue_id, result_type, output_data) VALUES ('${g.a}', 'success', '{"tests": 12}')`,
  );
  const r = await g.gql(
    `{ myappResults { nodes { resultType outputData issue { id } } } issue(id: "${g.a}") { myappResults { resultType } } }`,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.myappResults.nodes[0].outputData, '{"tests": 12}', "text until the config says JSON");
  const cfg = JSON.parse(Deno.readTextFileSync(join(g.dir, ".beads", "graphql.json")));
  cfg.extensions[0].tables.myapp_results = { json: ["output_data"], typeName: "RunResult" };
  await new Promise((res) => setTimeout(res, 10)); // a distinct mtime
  Deno.writeTextFileSync(join(g.dir, ".beads", "graphql.json"), JSON.stringify(cfg));
  const r2 = await g.gql(`{ myappResults { nodes { outputData } } }`);
  assert.deepEqual(r2.data.myappResults.nodes[0].outputData, { tests: 12 });
  g.close();
});

Deno.test("config problems are reported and the bad parts skipped; core types can never be shadowed", async () => {
  const g = orchestrator({
    extensions: [
      { name: "bad", include: ["nope_table", "issues"] },
      { name: "empty", prefix: "zzz_" },
      { name: "clash", include: ["myapp_results_missing"] },
      {
        name: "shadow",
        include: ["myapp_executions"],
        tables: { myapp_executions: { typeName: "Issue", hide: ["ghost"] } },
      },
      { name: "nopk", include: ["myapp_nopk"] },
    ],
  });
  g.beads.db.exec("CREATE TABLE myapp_nopk (a TEXT, b TEXT)");
  const { loadExtensionConfig } = await import("../../src/graphql/extensions/stitch.ts");
  const { planExtensions } = await import("../../src/graphql/extensions/plan.ts");
  const plan = planExtensions(g.beads, loadExtensionConfig(g.beads));
  const messages = plan.problems.map((p) => p.message).join("\n");
  assert.match(messages, /unknown table "nope_table"/);
  assert.match(messages, /"issues" is one of bd's own tables/);
  assert.match(messages, /prefix "zzz_" matches no table/);
  assert.match(messages, /column "ghost" does not exist/);
  assert.match(messages, /"Issue" .* clashes with a core type/);
  assert.match(messages, /myapp_nopk" has no primary key/);
  assert.equal(plan.tables.length, 0);
  // The core API still works, unchanged.
  const r = await g.gql(`{ ready { id title } }`);
  assert.equal(r.errors, undefined);
  g.close();
});

Deno.test("two foreign keys to the same table get distinct reverse names", async () => {
  const g = orchestrator();
  g.beads.db.exec(
    `CREATE TABLE myapp_links (id INTEGER PRIMARY KEY, from_issue TEXT REFERENCES issues(id), to_issue TEXT REFERENCES issues(id))`,
  );
  g.beads.db.exec(`INSERT INTO myapp_links (from_issue, to_issue) VALUES ('${g.a}', '${g.b}')`);
  const r = await g.gql(
    `{ issue(id: "${g.a}") { myappLinksByFromIssue { toIssueRef { id } } myappLinksByToIssue { id } } }`,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.issue.myappLinksByFromIssue[0].toIssueRef.id, g.b);
  g.close();
});

Deno.test("SQL injection through filter values and through names in the config does nothing", async () => {
  const g = orchestrator({
    extensions: [
      { name: "evil", include: ['myapp_executions"; DROP TABLE issues; --'] },
      {
        name: "myapp",
        prefix: "myapp_",
        tables: {
          myapp_executions: { fields: { status: 'status" FROM issues; --' }, hide: ['x"; DROP TABLE issues'] },
        },
      },
    ],
  });
  const r = await g.gql(`{ myappCheckpoints(where: { stepName: { eq: "x' OR '1'='1" } }) { totalCount } }`);
  assert.equal(r.data.myappCheckpoints.totalCount, 0);
  const r2 = await g.gql(
    `{ myappCheckpoints(where: { stepName: { in: ["assessment", "') OR 1=1; DROP TABLE issues; --"] } }) { totalCount } }`,
  );
  assert.equal(r2.data.myappCheckpoints.totalCount, 1);
  const n = g.beads.db.get<{ n: number }>("SELECT count(*) AS n FROM issues")!.n;
  assert.equal(n, 3, "issues table intact");
  const { planExtensions } = await import("../../src/graphql/extensions/plan.ts");
  const { loadExtensionConfig } = await import("../../src/graphql/extensions/stitch.ts");
  const problems = planExtensions(g.beads, loadExtensionConfig(g.beads)).problems.map((p) => p.message).join("\n");
  assert.match(problems, /unknown table/);
  assert.match(problems, /not a valid GraphQL name/);
  g.close();
});

Deno.test("nested extension fields are batched: 50 ready issues with executions and checkpoints in a few statements", async () => {
  const g = orchestrator();
  g.beads.mutate(() => {
    for (let i = 0; i < 60; i++) {
      const id = g.beads.create({ title: `w${i}` }).id;
      g.beads.db.run("INSERT INTO myapp_executions (issue_id, status) VALUES (?, 'running')", id);
      g.beads.db.run(
        "INSERT INTO myapp_checkpoints (execution_id, step_name) SELECT max(id), 'a' FROM myapp_executions",
      );
    }
  });
  await g.gql(`{ stats { totalIssues } }`); // builds the stitched schema once (catalog reads)
  const before = g.beads.db.statementCount;
  const r = await g.gql(
    `{ ready(limit: 50) { id myappExecutions { status issue { id } checkpoints { stepName execution { id } } } } }`,
  );
  const used = g.beads.db.statementCount - before;
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.ready.length, 50);
  assert.ok(used <= 12, `used ${used} statements`);
  g.close();
});
