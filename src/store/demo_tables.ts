/**
 * The demo's application tables: the founding document's Integration Pattern (an orchestrator's
 * executions and checkpoints beside bd's issues), created and filled as an application would.
 */
import type { Db } from "./db.ts";

const SCHEMA = `
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
CREATE INDEX IF NOT EXISTS idx_myapp_executions_issue ON myapp_executions(issue_id);
CREATE TABLE IF NOT EXISTS myapp_checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id INTEGER NOT NULL,
  step_name TEXT NOT NULL,
  step_data TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (execution_id) REFERENCES myapp_executions(id) ON DELETE CASCADE
);`;

/** Creates the tables and records one execution of `issueId` with its checkpoints; returns its id. */
export function recordDemoExecution(
  db: Db,
  issueId: string,
  e: { status: string; agent: string; startedAt: string; completedAt?: string; error?: string },
  steps: { name: string; data: unknown }[],
): number {
  db.exec(SCHEMA);
  const id = db.run(
    `INSERT INTO myapp_executions (issue_id, status, agent_id, started_at, completed_at, error) VALUES (?, ?, ?, ?, ?, ?)`,
    issueId,
    e.status,
    e.agent,
    e.startedAt,
    e.completedAt ?? null,
    e.error ?? null,
  ).lastInsertRowid;
  for (const s of steps) {
    db.run(
      "INSERT INTO myapp_checkpoints (execution_id, step_name, step_data, created_at) VALUES (?, ?, ?, ?)",
      id,
      s.name,
      JSON.stringify(s.data),
      e.startedAt,
    );
  }
  return id;
}
