/**
 * The founding document (EXTENDING.md): its SQL and its shell script, copied verbatim into
 * tests/fixtures/extending/, run against databases that bd created.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { bdCommand, bdOk, createIssue, ROOT, workspace } from "../helpers.ts";

const FIXTURES = join(ROOT, "tests", "fixtures", "extending");
const sql = (name: string) => Deno.readTextFileSync(join(FIXTURES, name));

/** Runs SQL through the sqlite3 shell, as the document's readers do (foreign keys off there). */
async function sqlite3(db: string, script: string): Promise<string> {
  const child = new Deno.Command("sqlite3", { args: ["-json", db], stdin: "piped", stdout: "piped", stderr: "piped" })
    .spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(script));
  await w.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(stderr, "");
  return new TextDecoder().decode(out.stdout);
}

/** Parses the `-json` output of several statements (one array per result set). */
function resultSets(text: string): Record<string, unknown>[][] {
  return text.trim() ? text.trim().split(/\n(?=\[)/).map((s) => JSON.parse(s)) : [];
}

async function myappWorkspace() {
  const dir = await workspace("myapp");
  const db = join(dir, ".beads", "myapp.db");
  const a = await createIssue(dir, "Implement auth", "-p", "1");
  const b = await createIssue(dir, "Write docs", "-p", "2");
  const blocker = await createIssue(dir, "Design schema", "-p", "0");
  await bdOk(dir, ["dep", "add", b, blocker]);
  await bdOk(dir, ["update", a, "--status", "in_progress"]);
  return { dir, db, a, b, blocker };
}

Deno.test("the Quick Example, the Integration schema and the cross-layer query run as written", async () => {
  const { dir, db, a } = await myappWorkspace();
  await sqlite3(db, sql("01_quick_example.sql"));
  await sqlite3(db, sql("02_integration_schema.sql"));
  await sqlite3(
    db,
    `INSERT INTO myapp_executions (issue_id, status, agent_id, started_at) VALUES ('${a}', 'running', 'agent-7', '2025-01-01 10:00:00');
     INSERT INTO myapp_checkpoints (execution_id, step_name, step_data) VALUES (1, 'assessment', '{"completed": true}');
     INSERT INTO myapp_checkpoints (execution_id, step_name, step_data) VALUES (1, 'execution', '{"error": "boom"}');`,
  );
  const [quick] = resultSets(await sqlite3(db, sql("01_quick_example.sql").split("-- Query across layers")[1]));
  assert.deepEqual(quick.map((r) => [r.id, r.execution_status, r.agent_id]), [[a, "running", "agent-7"]]);
  const [layers] = resultSets(await sqlite3(db, sql("03_query_across_layers.sql")));
  assert.equal(layers.length, 1);
  assert.equal(layers[0].issue_status, "in_progress");
  assert.equal(layers[0].checkpoint_count, 2);
  // bd keeps working with foreign tables in its database.
  assert.equal((await bdOk(dir, ["list", "--json"])).json().length, 3);
  assert.equal((await bdOk(dir, ["ready", "--json"])).json().length, 1);
  // Deleting the issue cascades into the application's tables through the foreign keys.
  await bdOk(dir, ["delete", a, "--force"]);
  const [[left]] = resultSets(
    await sqlite3(
      db,
      "SELECT (SELECT count(*) FROM myapp_executions) AS e, (SELECT count(*) FROM myapp_checkpoints) AS c;",
    ),
  );
  assert.deepEqual(left, { e: 0, c: 0 });
});

Deno.test("the VC orchestrator tables and its atomic claim with RETURNING * work on bd's schema", async () => {
  const { dir, db, a, b, blocker } = await myappWorkspace();
  const vc = sql("04_vc_orchestrator.sql");
  const [ddl, claim] = vc.split("-- VC can now claim ready work atomically");
  await sqlite3(db, ddl);
  await sqlite3(
    db,
    `INSERT INTO vc_executor_instances (id, issue_id, executor_type, status, created_at) VALUES
       ('ex-b', '${b}', 'code', 'pending', '2025-01-01 00:00:00'),
       ('ex-a', '${a}', 'code', 'pending', '2025-01-01 00:00:00'),
       ('ex-blocker', '${blocker}', 'code', 'pending', '2025-01-01 00:00:00');
     INSERT INTO vc_execution_state (executor_id, phase, state_data) VALUES ('ex-a', 'assessment', '{"ok":1}');`,
  );
  // ex-b's issue is blocked by an open issue; the claim takes the highest priority unblocked one.
  const [[first]] = resultSets(await sqlite3(db, claim));
  assert.equal(first.id, "ex-blocker");
  assert.equal(first.status, "executing");
  assert.equal(first.agent_name, "agent-1");
  const [[second]] = resultSets(await sqlite3(db, claim));
  assert.equal(second.id, "ex-a");
  assert.equal(resultSets(await sqlite3(db, claim)).length, 0, "ex-b stays blocked");
  await bdOk(dir, ["close", blocker]);
  const [[third]] = resultSets(await sqlite3(db, claim));
  assert.equal(third.id, "ex-b");
  await bdOk(dir, ["delete", a, "--force"]);
  const [[left]] = resultSets(
    await sqlite3(
      db,
      "SELECT (SELECT count(*) FROM vc_executor_instances) AS i, (SELECT count(*) FROM vc_execution_state) AS s;",
    ),
  );
  assert.deepEqual(left, { i: 2, s: 0 });
});

Deno.test("the Best Practices and Common Patterns examples run as written (with their parameters bound)", async () => {
  const { dir, db, a, b } = await myappWorkspace();
  // JSON state (best practice 5).
  const json = sql("05_json_state.sql");
  await sqlite3(db, json.split("-- Query JSON fields")[0]);
  await sqlite3(
    db,
    `INSERT INTO myapp_checkpoints (execution_id, step_name, step_data) VALUES (1, 'assessment', '{"completed": true, "error": null}');`,
  );
  const [rows] = resultSets(await sqlite3(db, json.split("-- Query JSON fields")[1]));
  assert.deepEqual(rows, [{ id: 1, completed: 1, error: null }]);
  // Patterns 1-3 in a second database, through a client with parameters (as the Go examples do).
  const other = await myappWorkspace();
  const conn = new DatabaseSync(other.db);
  const [p1ddl, p1claim] = sql("06_pattern_execution_tracking.sql").split("-- Claim an issue for execution");
  conn.exec(p1ddl);
  conn.prepare(p1claim).run(other.a, "agent-1");
  conn.prepare(p1claim).run(other.a, "agent-2");
  const execs = conn.prepare("SELECT issue_id, agent_id FROM myapp_executions").all().map((r) => ({ ...r }));
  assert.deepEqual(execs, [{ issue_id: other.a, agent_id: "agent-2" }]);
  const [p2ddl, p2latest] = sql("07_pattern_checkpoints.sql").split("-- Latest checkpoint for an execution");
  conn.exec(p2ddl);
  conn.prepare(
    "INSERT INTO myapp_checkpoints (execution_id, phase, checkpoint_data, created_at) VALUES (1, 'a', '{\"n\":1}', '2025-01-01 00:00:00')",
  ).run();
  conn.prepare(
    "INSERT INTO myapp_checkpoints (execution_id, phase, checkpoint_data, created_at) VALUES (1, 'b', '{\"n\":2}', '2025-01-02 00:00:00')",
  ).run();
  assert.deepEqual({ ...conn.prepare(p2latest).get(1) }, { checkpoint_data: '{"n":2}' });
  const [p3ddl, p3get] = sql("08_pattern_results.sql").split("-- Get all results for an issue");
  conn.exec(p3ddl);
  conn.prepare("INSERT INTO myapp_results (issue_id, result_type, output_data) VALUES (?, 'success', '{}')").run(
    other.b,
  );
  assert.equal(conn.prepare(p3get).all(other.b).length, 1);
  conn.close();
  // Direct database access as in the document.
  const direct = new DatabaseSync(db);
  const row = direct.prepare("SELECT title, priority FROM issues WHERE id = ?").get(a);
  assert.deepEqual({ ...row }, { title: "Implement auth", priority: 1 });
  direct.close();
  assert.equal((await bdOk(dir, ["show", b, "--json"])).json()[0].id, b);
  await bdOk(other.dir, ["delete", other.a, other.b, "--force"]);
  const after = new DatabaseSync(other.db);
  const count = (t: string) => Number(after.prepare(`SELECT count(*) AS n FROM ${t}`).get()!.n);
  assert.equal(count("myapp_executions"), 0);
  assert.equal(count("myapp_checkpoints"), 0);
  assert.equal(count("myapp_results"), 0);
  after.close();
});

Deno.test("the Programmatic Access shell script runs as written with bd on PATH", async () => {
  const { dir, db, b } = await myappWorkspace();
  await sqlite3(db, sql("02_integration_schema.sql"));
  const bin = await Deno.makeTempDir();
  const quoted = bdCommand().map((p) => `'${p.replaceAll("'", "'\\''")}'`).join(" ");
  await Deno.writeTextFile(join(bin, "bd"), `#!/bin/sh\nexec ${quoted} "$@"\n`);
  await Deno.chmod(join(bin, "bd"), 0o755);
  const script = join(FIXTURES, "programmatic_access.sh");
  const run = async () => {
    const out = await new Deno.Command("bash", {
      args: [script],
      cwd: dir,
      env: { PATH: `${bin}:${Deno.env.get("PATH")}`, NO_COLOR: "1", BD_ACTOR: "agent-1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  // The only ready issue is b's blocker ("Design schema", P0); a is in progress, b is blocked.
  const first = await run();
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Working on myapp-/);
  assert.match(first.stdout, /✓ Closed myapp-\w+: Completed by agent-1/);
  const second = await run(); // now b is unblocked and ready
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`Working on ${b}`));
  const third = await run();
  assert.equal(third.stdout.trim(), "No ready work");
  const conn = new DatabaseSync(db);
  const rows = conn.prepare("SELECT status, agent_id FROM myapp_executions ORDER BY id").all().map((r) => ({ ...r }));
  conn.close();
  assert.deepEqual(rows, [{ status: "completed", agent_id: "agent-1" }, { status: "completed", agent_id: "agent-1" }]);
});
