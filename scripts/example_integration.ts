/**
 * The founding document's Integration Pattern, in TypeScript against bd's library API:
 * 1. add the application's tables (myapp_executions, myapp_checkpoints) to bd's database,
 * 2. use bd to find and claim ready work, 3. record executions, 4. query across the layers.
 *
 * Usage: deno run -A scripts/example_integration.ts [WORKSPACE_DIR]   (a temp dir by default)
 */
import { initWorkspace, openWorkspace } from "../src/mod.ts";

const dir = Deno.args[0] ?? await Deno.makeTempDir({ prefix: "bd-example-" });
Deno.chdir(dir);

// A workspace with some work in it (skipped when the directory already has one).
let bd;
try {
  bd = openWorkspace({ actor: "orchestrator" });
} catch {
  bd = initWorkspace({ prefix: "myapp", actor: "orchestrator" });
  const schema = bd.create({ title: "Design the schema", priority: 0 });
  const api = bd.create({ title: "Build the API", priority: 1 });
  bd.create({ title: "Write the docs", priority: 2 });
  bd.addDependency(api.id, schema.id); // the API waits for the schema
}

// 1. Initialize your database schema (the document's SQL, in the same SQLite file).
bd.db.exec(`
CREATE TABLE IF NOT EXISTS myapp_executions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id TEXT NOT NULL,
    status TEXT NOT NULL,
    agent_id TEXT,
    started_at DATETIME,
    completed_at DATETIME,
    error TEXT,
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS myapp_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id INTEGER NOT NULL,
    step_name TEXT NOT NULL,
    step_data TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (execution_id) REFERENCES myapp_executions(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_executions_issue ON myapp_executions(issue_id);
CREATE INDEX IF NOT EXISTS idx_executions_status ON myapp_executions(status);
CREATE INDEX IF NOT EXISTS idx_checkpoints_execution ON myapp_checkpoints(execution_id);
`);

// 2. Use bd to find ready work, and claim it atomically (no other agent gets the same issue).
console.log("ready:", bd.ready({ limit: 10 }).map((i) => `${i.id} ${i.title}`));
const raw = bd.db.raw;
for (let agent = 1; agent <= 2; agent++) {
  const issue = bd.as(`agent-${agent}`).claimNextReady();
  if (!issue) break;
  // 3. Record the execution in the application's own table.
  const exec = raw.prepare(
    "INSERT INTO myapp_executions (issue_id, status, agent_id, started_at) VALUES (?, 'running', ?, datetime('now')) RETURNING id",
  ).get(issue.id, `agent-${agent}`) as { id: number };
  raw.prepare("INSERT INTO myapp_checkpoints (execution_id, step_name, step_data) VALUES (?, 'assessment', ?)")
    .run(exec.id, JSON.stringify({ completed: true }));
  console.log(`agent-${agent} claimed ${issue.id} (execution ${exec.id})`);
}

// 4. Query across layers: bd's issues joined with the application's executions.
const rows = raw.prepare(`
SELECT i.id, i.title, i.priority, i.status AS issue_status, e.id AS execution_id,
       e.status AS execution_status, e.agent_id, COUNT(c.id) AS checkpoint_count
FROM issues i
INNER JOIN myapp_executions e ON i.id = e.issue_id
LEFT JOIN myapp_checkpoints c ON e.id = c.execution_id
WHERE e.status = 'running'
GROUP BY i.id, e.id
ORDER BY i.priority ASC, e.started_at ASC`).all();
console.log(JSON.stringify(rows.map((r) => ({ ...r }))));
bd.close();
