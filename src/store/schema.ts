/**
 * The schema and its versioned migrations (tracked in `PRAGMA user_version`). Migrations only
 * ever add: `issues` and `dependencies` are never dropped or recreated, because a cascade would
 * wipe the rows that applications keep in their own tables (contract §9). Only SQLite features
 * up to 3.35 are used, so other clients can open the file.
 */
import type { Db } from "./db.ts";

/**
 * The blocked rule (contract §6) as SQL, in one place: an issue is blocked if it has a `blocks`
 * dependency on an active (not closed) issue, or if a parent (by `parent-child` edge or by
 * hierarchical ID `P.n`) is blocked. CROSS JOIN pins the join order of the recursive steps: the
 * queued row first, then an index lookup (SQLite 3.53 otherwise scans every parent-child edge
 * per queued row — measured 1.1 s instead of 30 ms at 10k issues).
 */
export const BLOCKED_IDS_SQL = `
WITH RECURSIVE blocked(id) AS (
  SELECT d.issue_id FROM dependencies d
  JOIN issues blocker ON blocker.id = d.depends_on_id
  WHERE d.type = 'blocks' AND blocker.status <> 'closed'
  UNION
  SELECT d.issue_id FROM blocked b
  CROSS JOIN dependencies d ON d.depends_on_id = b.id AND d.type = 'parent-child'
  UNION
  SELECT c.id FROM blocked b
  CROSS JOIN issues c ON c.id > b.id || '.' AND c.id < b.id || '/'
)
SELECT id FROM blocked`;

const MIGRATIONS: string[] = [
  // 1: the core schema.
  `
  CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    design TEXT NOT NULL DEFAULT '',
    acceptance_criteria TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    priority INTEGER NOT NULL DEFAULT 2,
    issue_type TEXT NOT NULL DEFAULT 'task',
    assignee TEXT,
    owner TEXT,
    estimated_minutes INTEGER,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_by TEXT,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at DATETIME,
    close_reason TEXT,
    due_at DATETIME,
    defer_until DATETIME,
    external_ref TEXT,
    extra TEXT -- JSON object: imported fields bd does not know, kept for export
  );
  CREATE INDEX IF NOT EXISTS idx_issues_status ON issues(status);
  CREATE INDEX IF NOT EXISTS idx_issues_priority ON issues(priority);
  CREATE INDEX IF NOT EXISTS idx_issues_assignee ON issues(assignee);
  CREATE INDEX IF NOT EXISTS idx_issues_created_at ON issues(created_at);

  -- issue_id depends on depends_on_id. depends_on_id has no foreign key on purpose: an import
  -- may carry edges to issues that arrive later, and those edges must not be lost.
  CREATE TABLE IF NOT EXISTS dependencies (
    issue_id TEXT NOT NULL,
    depends_on_id TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'blocks',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_by TEXT,
    extra TEXT,
    PRIMARY KEY (issue_id, depends_on_id),
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE
  );
  CREATE INDEX IF NOT EXISTS idx_dependencies_depends_on ON dependencies(depends_on_id, type);

  CREATE TABLE IF NOT EXISTS labels (
    issue_id TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (issue_id, label),
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE
  );
  CREATE INDEX IF NOT EXISTS idx_labels_label ON labels(label);

  CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE
  );
  CREATE INDEX IF NOT EXISTS idx_comments_issue ON comments(issue_id);

  -- The audit trail. No foreign key: the history of a deleted issue stays readable.
  CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    actor TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    comment TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
  );
  CREATE INDEX IF NOT EXISTS idx_events_issue ON events(issue_id);

  CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- bd's own bookkeeping (JSONL hash, ...), apart from user config.
  CREATE TABLE IF NOT EXISTS metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- Issues changed since the last JSONL flush.
  CREATE TABLE IF NOT EXISTS dirty_issues (issue_id TEXT PRIMARY KEY, marked_at DATETIME NOT NULL);
  -- Deleted issues, exported as tombstone lines so other clones delete them too.
  CREATE TABLE IF NOT EXISTS tombstones (
    id TEXT PRIMARY KEY,
    deleted_at DATETIME NOT NULL,
    deleted_by TEXT NOT NULL,
    delete_reason TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL -- the whole tombstone line as JSON
  );
  -- Next child number for hierarchical IDs (P.1, P.2, ...).
  CREATE TABLE IF NOT EXISTS child_counters (parent_id TEXT PRIMARY KEY, last_child INTEGER NOT NULL);

  CREATE VIEW IF NOT EXISTS blocked_issue_ids AS ${BLOCKED_IDS_SQL};
  CREATE VIEW IF NOT EXISTS ready_issues AS
    SELECT i.* FROM issues i
    WHERE i.status = 'open'
      AND (i.defer_until IS NULL OR julianday(i.defer_until) <= julianday('now'))
      AND i.id NOT IN (SELECT id FROM blocked_issue_ids);
  CREATE VIEW IF NOT EXISTS blocked_issues AS
    SELECT i.*, (
      SELECT count(*) FROM dependencies d JOIN issues b ON b.id = d.depends_on_id
      WHERE d.issue_id = i.id AND d.type = 'blocks' AND b.status <> 'closed'
    ) AS blocked_by_count
    FROM issues i
    WHERE i.status <> 'closed' AND i.id IN (SELECT id FROM blocked_issue_ids);
  `,
  // 2: an index on dependencies(type) alone misled the planner into scanning every edge of a
  // type per row (blocked: 5.5 s at 10k issues); lookups go through (issue_id, ...) and
  // (depends_on_id, type) instead.
  `DROP INDEX IF EXISTS idx_dependencies_type;`,
  // 3: the blocked set, cached. Triggers bump graph_version on every change that can alter it
  // (whoever writes: bd, the sqlite3 shell, an application); bd refreshes the cache inside its
  // own write transactions, and readers use it only while its version matches.
  `
  CREATE TABLE IF NOT EXISTS blocked_cache (issue_id TEXT PRIMARY KEY) WITHOUT ROWID;
  INSERT OR IGNORE INTO metadata (key, value) VALUES ('graph_version', '1'), ('blocked_cache_version', '0');
  CREATE TRIGGER IF NOT EXISTS bd_graph_issue_insert AFTER INSERT ON issues BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  CREATE TRIGGER IF NOT EXISTS bd_graph_issue_delete AFTER DELETE ON issues BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  CREATE TRIGGER IF NOT EXISTS bd_graph_issue_status AFTER UPDATE OF status, id ON issues
  WHEN OLD.status IS NOT NEW.status OR OLD.id IS NOT NEW.id BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  CREATE TRIGGER IF NOT EXISTS bd_graph_dep_insert AFTER INSERT ON dependencies BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  CREATE TRIGGER IF NOT EXISTS bd_graph_dep_delete AFTER DELETE ON dependencies BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  CREATE TRIGGER IF NOT EXISTS bd_graph_dep_update AFTER UPDATE ON dependencies BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  `,
  // 4: fire only when the blocked set can change: a new issue matters only as a hierarchical
  // child or as the target of edges that waited for it; a status change only when it crosses
  // closed/not closed (claims and in_progress do not). Refreshing costs ~0.4 s at 100k issues.
  `
  DROP TRIGGER IF EXISTS bd_graph_issue_insert;
  CREATE TRIGGER bd_graph_issue_insert AFTER INSERT ON issues
  WHEN instr(NEW.id, '.') > 0 OR EXISTS (SELECT 1 FROM dependencies WHERE depends_on_id = NEW.id) BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  DROP TRIGGER IF EXISTS bd_graph_issue_status;
  CREATE TRIGGER bd_graph_issue_status AFTER UPDATE OF status, id ON issues
  WHEN (OLD.status = 'closed') IS NOT (NEW.status = 'closed') OR OLD.id IS NOT NEW.id BEGIN
    UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
  END;
  `,
  // 5: ready work in order without sorting every open issue: partial indexes over open issues
  // by creation time (julianday, since imported timestamps carry mixed offsets) and by priority.
  // ready walks them and stops at its limit (100k issues: 30 ms -> 0.3 ms).
  `
  CREATE INDEX IF NOT EXISTS idx_issues_open_created ON issues(julianday(created_at)) WHERE status = 'open';
  CREATE INDEX IF NOT EXISTS idx_issues_open_priority ON issues(priority, julianday(created_at)) WHERE status = 'open';
  `,
  // 6: the default list (not closed, by priority then newest) in index order as well.
  `
  CREATE INDEX IF NOT EXISTS idx_issues_active_priority ON issues(priority, julianday(created_at) DESC) WHERE status <> 'closed';
  CREATE INDEX IF NOT EXISTS idx_issues_active_priority_id ON issues(priority, id) WHERE status <> 'closed';
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database up to SCHEMA_VERSION; each step runs in its own write transaction. */
export function migrate(db: Db): void {
  const current = Number(db.get<{ user_version: number }>("PRAGMA user_version")?.user_version ?? 0);
  if (current >= SCHEMA_VERSION) return;
  db.write(() => {
    // Re-read inside the lock: another process may have migrated meanwhile.
    const now = Number(db.get<{ user_version: number }>("PRAGMA user_version")?.user_version ?? 0);
    for (let v = now; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}
