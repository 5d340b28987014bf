/**
 * The schema and its versioned migrations (tracked in `PRAGMA user_version`), and the adoption
 * of databases other bds wrote. Migrations only ever add: `issues` and `dependencies` are never
 * dropped or recreated, because a cascade would wipe the rows that applications keep in their
 * own tables (contract §9). Only SQLite features up to 3.35 are used, so other clients can open
 * the file.
 */
import type { Db } from "./db.ts";
import { DatabaseSync } from "node:sqlite";
import { BdError } from "../model/errors.ts";
import { quoteIdent } from "./sql_ident.ts";
import { isNotDone, isReadyStatus } from "./status_rules.ts";
import { parseCustomStatusesLeniently } from "../model/status_categories.ts";
import { BLOCKED_IDS_SQL, recountIssues } from "./schema.ts";
import { COUNT_TRIGGERS_SQL, GRAPH_TRIGGERS_SQL } from "./triggers.ts";

/** A schema step: DDL, or a function for steps that must look at what is there first. */
type Migration = string | ((db: Db) => void);

export const MIGRATIONS: readonly Migration[] = [
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
    PRIMARY KEY (issue_id, depends_on_id, type),
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

  -- Custom statuses and their categories, kept from config status.custom (store/status_rules.ts).
  CREATE TABLE IF NOT EXISTS custom_statuses (
    name TEXT PRIMARY KEY, category TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE VIEW IF NOT EXISTS blocked_issue_ids AS ${BLOCKED_IDS_SQL};
  CREATE VIEW IF NOT EXISTS ready_issues AS
    SELECT i.* FROM issues i
    WHERE ${isReadyStatus("i.status")}
      AND (i.defer_until IS NULL OR julianday(i.defer_until) <= julianday('now'))
      AND i.id NOT IN (SELECT id FROM blocked_issue_ids);
  CREATE VIEW IF NOT EXISTS blocked_issues AS
    SELECT i.*, (
      SELECT count(*) FROM dependencies d JOIN issues b ON b.id = d.depends_on_id
      WHERE d.issue_id = i.id AND d.type = 'blocks' AND ${isNotDone("b.status")}
    ) AS blocked_by_count
    FROM issues i
    WHERE ${isNotDone("i.status")} AND i.id IN (SELECT id FROM blocked_issue_ids);
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
  // 7: several edges between the same two issues with different types (blocks and supersedes,
  // written by bd itself) are all kept: dependencies are identified by (issue, target, type).
  (db) => keyDependenciesByType(db),
  // 8: JSONL records of kinds bd does not know (a newer bd's), kept verbatim and written back.
  `CREATE TABLE IF NOT EXISTS jsonl_records (line TEXT PRIMARY KEY, kind TEXT NOT NULL);`,
  // 9: deferred issues whose time has come are found without a scan (bd defer --until).
  `CREATE INDEX IF NOT EXISTS idx_issues_deferred_until ON issues(defer_until) WHERE status = 'deferred';`,
  // 10: the blocked set is kept up to date incrementally. The triggers also record the issues
  // whose blocked state a change may alter (blocked_seeds); a refresh recomputes only them and
  // their descendants. Renames, and the first refresh after this migration, recompute it all.
  `
  CREATE TABLE IF NOT EXISTS blocked_seeds (issue_id TEXT PRIMARY KEY) WITHOUT ROWID;
  ${GRAPH_TRIGGERS_SQL}
  UPDATE metadata SET value = '-1' WHERE key = 'blocked_cache_version';
  `,
  // 11: ready orders by time then ID; with the ID in the index too, issues that share a creation
  // time (bulk imports) come out in order and ready stops at its limit instead of sorting them all.
  `
  DROP INDEX IF EXISTS idx_issues_open_created;
  CREATE INDEX idx_issues_open_created ON issues(julianday(created_at), id) WHERE status = 'open';
  DROP INDEX IF EXISTS idx_issues_open_priority;
  CREATE INDEX idx_issues_open_priority ON issues(priority, julianday(created_at), id) WHERE status = 'open';
  `,
  // 12: stats without reading every issue: lead times of closed issues, and the open issues that
  // wait for a defer time, each from a small partial index (100k issues: ~90 ms -> ~30 ms).
  `
  CREATE INDEX IF NOT EXISTS idx_issues_closed_lead ON issues(julianday(closed_at) - julianday(created_at))
    WHERE status = 'closed' AND closed_at IS NOT NULL;
  CREATE INDEX IF NOT EXISTS idx_issues_open_defer ON issues(defer_until)
    WHERE status = 'open' AND defer_until IS NOT NULL AND defer_until <> '';
  `,
  // 13: issue counts by status, and of the blocked set by status, kept by triggers (all writers)
  // and by the blocked set's refresh: stats without reading every active issue (100k: ~45 ms).
  (db) => {
    db.exec(`CREATE TABLE IF NOT EXISTS issue_counts (
      scope TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (scope, status)
    ) WITHOUT ROWID;`);
    db.exec(COUNT_TRIGGERS_SQL);
    recountIssues(db);
  },
  // 14: an issue's status by its ID without reading its row: the open-blocker lookups of
  // 'bd blocked' read the index alone (100k issues: the blockers of 42k blocked issues, 210 -> 130 ms).
  `CREATE INDEX IF NOT EXISTS idx_issues_id_status ON issues(id, status);`,
  // 15: the top-level issue count (it sets a new hash ID's length) kept with the others: create
  // no longer counts every ID (10k issues: ~2.5 ms per create).
  (db) => {
    db.exec(COUNT_TRIGGERS_SQL);
    recountIssues(db, ["all"]);
  },
  // 16: each JSONL record's line as bd last flushed or imported it (store/jsonl_base.ts): the base
  // against which an import tells the file's changes from this clone's, so removals travel.
  `CREATE TABLE IF NOT EXISTS jsonl_base (key TEXT PRIMARY KEY, line TEXT NOT NULL);`,
  // 17: how many open issues each open issue blocks, transitively (store/impact.ts): ready work in
  // impact order without walking the graph on every call; valid while graph_version is unchanged.
  `
  CREATE TABLE IF NOT EXISTS impact_cache (issue_id TEXT PRIMARY KEY, unblocks INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS idx_impact_cache_unblocks ON impact_cache(unblocks DESC, issue_id);
  INSERT OR IGNORE INTO metadata (key, value) VALUES ('impact_cache_version', '-1');
  `,
  // 18: custom statuses with categories (upstream's status.custom, \`name:category\`): a \`done\` one
  // unblocks like closed, an \`active\` one is ready like open. The rules read them from a table kept
  // with the config; the views and the status trigger are rebuilt to use it.
  (db) => {
    db.exec(`CREATE TABLE IF NOT EXISTS custom_statuses (
      name TEXT PRIMARY KEY, category TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;`);
    // Upstream bd keeps a table of this name with (name, category): adopt it, adding the order.
    if (!columnsOf(db, "custom_statuses").some((c) => c.name === "position")) {
      db.exec("ALTER TABLE custom_statuses ADD COLUMN position INTEGER NOT NULL DEFAULT 0");
    }
    const configured = db.get<{ value: string }>("SELECT value FROM config WHERE key = 'status.custom'")?.value;
    parseCustomStatusesLeniently(configured ?? "").forEach((s, position) =>
      db.run(
        "INSERT OR IGNORE INTO custom_statuses (name, category, position) VALUES (?, ?, ?)",
        s.name,
        s.category,
        position,
      )
    );
    for (const v of BD_VIEWS) db.exec(`DROP VIEW IF EXISTS ${v}`);
    db.exec(`CREATE VIEW IF NOT EXISTS blocked_issue_ids AS ${BLOCKED_IDS_SQL};`);
    db.exec(viewsSql());
    db.exec(GRAPH_TRIGGERS_SQL);
    db.exec(`UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
      UPDATE metadata SET value = '-1' WHERE key = 'blocked_cache_version';`);
    // status.custom and types.custom travel in the JSONL from now on (core/sync/jsonl.ts,
    // SHARED_CONFIG_KEYS): the ones already set are flushed with the next write.
    db.run(
      `INSERT OR IGNORE INTO dirty_issues (issue_id, marked_at)
       SELECT char(65535) || '3' || key, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM config
       WHERE key IN ('status.custom', 'types.custom')`,
    );
  },
  // 19: upstream's parent rule (parent_rule.ts): the parent-child edge first, the ID prefix only
  // for an issue without one. The views hold the blocked rule, so they are rebuilt, and the kept
  // blocked set is recomputed.
  (db) => {
    for (const v of BD_VIEWS) db.exec(`DROP VIEW IF EXISTS ${v}`);
    db.exec(`CREATE VIEW IF NOT EXISTS blocked_issue_ids AS ${BLOCKED_IDS_SQL};`);
    db.exec(viewsSql());
    db.exec(`UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version';
      UPDATE metadata SET value = '-1' WHERE key = 'blocked_cache_version';`);
  },
  // 20: named API tokens for bd serve (store/tokens.ts): a name and the SHA-256 of the token,
  // never the token. Kept in the database only: no export, no sync, no config.
  `CREATE TABLE IF NOT EXISTS api_tokens (
    name TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
  ) WITHOUT ROWID;`,
  // 21: claim leases (store/leases.ts): who holds a claimed issue until when. Kept beside the issue,
  // not in it, so a heartbeat neither bumps updated_at nor rewrites issues.jsonl: leases are this
  // tracker's coordination, not data that travels.
  `CREATE TABLE IF NOT EXISTS claim_leases (
    issue_id TEXT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    taken_from TEXT -- the holder whose lapsed claim this took over, until their heartbeat hears of it
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS idx_claim_leases_expires ON claim_leases(expires_at);
  CREATE INDEX IF NOT EXISTS idx_claim_leases_holder ON claim_leases(holder);
  CREATE INDEX IF NOT EXISTS idx_claim_leases_taken_from ON claim_leases(taken_from) WHERE taken_from IS NOT NULL;`,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** bd's views: recreated when a database another bd wrote is adopted (theirs had other rules). */
const BD_VIEWS = ["blocked_issues", "ready_issues", "blocked_issue_ids"];

/** Columns without which a table named like bd's cannot be bd's. */
const REQUIRED_COLUMNS: Record<string, string[]> = {
  issues: ["id", "title", "status", "priority", "created_at", "updated_at"],
  dependencies: ["issue_id", "depends_on_id"],
  labels: ["issue_id", "label"],
  comments: ["issue_id", "text"],
  events: ["issue_id", "event_type"],
  config: ["key", "value"],
  metadata: ["key", "value"],
  dirty_issues: ["issue_id"],
  tombstones: ["id"],
  child_counters: ["parent_id", "last_child"],
};

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

function userVersion(db: Db): number {
  return Number(db.get<{ user_version: number }>("PRAGMA user_version")?.user_version ?? 0);
}

function tablesOf(db: Db): Set<string> {
  return new Set(
    db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name),
  );
}

function columnsOf(db: Db, table: string): ColumnInfo[] {
  // The table name comes from bd's own list or sqlite_master, never from input.
  return db.all<ColumnInfo>(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, table);
}

let expected: Map<string, ColumnInfo[]> | undefined;

/** The columns of bd's tables as this build creates them (built once, in memory, when needed). */
function expectedColumns(): Map<string, ColumnInfo[]> {
  if (expected) return expected;
  const mem = new DatabaseSync(":memory:");
  for (const m of MIGRATIONS) if (typeof m === "string") mem.exec(m);
  expected = new Map();
  for (const t of Object.keys(REQUIRED_COLUMNS)) {
    expected.set(
      t,
      mem.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`).all(
        t,
      ) as unknown as ColumnInfo[],
    );
  }
  mem.close();
  return expected;
}

/**
 * Refuses, before anything is written, a database bd cannot safely adopt: one a newer bd wrote,
 * or one with a table named like bd's that lacks the columns bd needs.
 */
function checkAdoptable(db: Db, path: string, version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new BdError(
      "VALIDATION",
      `${path} was written by a newer bd (schema ${version}; this bd knows up to ${SCHEMA_VERSION}): upgrade bd to use it. Nothing was changed`,
    );
  }
  const tables = tablesOf(db);
  for (const [table, required] of Object.entries(REQUIRED_COLUMNS)) {
    if (!tables.has(table)) continue;
    const have = new Set(columnsOf(db, table).map((c) => c.name));
    const missing = required.filter((c) => !have.has(c));
    if (missing.length) {
      throw new BdError(
        "VALIDATION",
        `${path} has a table "${table}" that is not bd's (it lacks ${
          missing.join(", ")
        }), so bd cannot use this database. Nothing was changed: rename that table, or point bd at another database with --db`,
      );
    }
  }
}

/** Adds the columns bd needs that an older bd's tables lack; columns bd does not know stay. */
function addMissingColumns(db: Db): void {
  const tables = tablesOf(db);
  for (const [table, cols] of expectedColumns()) {
    if (!tables.has(table)) continue;
    const have = new Set(columnsOf(db, table).map((c) => c.name));
    for (const c of cols) {
      if (have.has(c.name)) continue;
      const constant = c.dflt_value !== null && !/^CURRENT_|\(/i.test(c.dflt_value);
      // SQLite adds a NOT NULL column only with a constant default; others are added nullable
      // and filled once.
      const decl = constant
        ? `${c.name} ${c.type}${c.notnull ? " NOT NULL" : ""} DEFAULT ${c.dflt_value}`
        : `${c.name} ${c.type}`;
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${decl}`);
      if (!constant && c.dflt_value !== null) db.exec(`UPDATE ${table} SET ${c.name} = ${c.dflt_value}`);
    }
  }
}

/**
 * bd's bookkeeping tables that must outlive the issue they name: an event is written after an
 * issue is deleted (its history stays readable), and a deleted issue is marked dirty so that its
 * tombstone is flushed. Older bds declared foreign keys to issues on them, which refuse exactly
 * that; adopting such a database rebuilds these tables without those keys (every row, column
 * and index kept).
 */
const BOOKKEEPING_WITHOUT_FOREIGN_KEYS = ["events", "dirty_issues"];

const REFERENCES = String
  .raw`REFERENCES\s+[^\s(]+\s*\([^)]*\)(\s+ON\s+(DELETE|UPDATE)\s+(CASCADE|SET\s+NULL|SET\s+DEFAULT|RESTRICT|NO\s+ACTION))*`;
/** `, FOREIGN KEY (...) REFERENCES t(...) [ON ...]` in a CREATE TABLE. */
const TABLE_FOREIGN_KEY = new RegExp(String.raw`,\s*FOREIGN\s+KEY\s*\([^)]*\)\s*` + REFERENCES, "gi");
/** A column's own `REFERENCES t(...) [ON ...]`. */
const COLUMN_FOREIGN_KEY = new RegExp(String.raw`\s+` + REFERENCES, "gi");

function dropForeignKeys(db: Db, table: string): void {
  if (!tablesOf(db).has(table)) return;
  if (db.all(`SELECT 1 AS x FROM pragma_foreign_key_list(?)`, table).length === 0) return;
  const sql = db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)!.sql;
  const stripped = sql.replace(TABLE_FOREIGN_KEY, "").replace(COLUMN_FOREIGN_KEY, "");
  const newName = `bd_${table}_new`;
  const create = stripped.replace(/^CREATE\s+TABLE\s+("[^"]+"|\S+)/i, `CREATE TABLE ${newName}`);
  const indexes = db.all<{ sql: string }>(
    "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL",
    table,
  );
  const cols = columnsOf(db, table).map((c) => quoteIdent(c.name)).join(", ");
  db.exec(create);
  db.exec(`INSERT INTO ${newName} (${cols}) SELECT ${cols} FROM ${quoteIdent(table)}`);
  db.exec(`DROP TABLE ${quoteIdent(table)}`);
  db.exec("PRAGMA legacy_alter_table = ON");
  try {
    db.exec(`ALTER TABLE ${newName} RENAME TO ${quoteIdent(table)}`);
  } finally {
    db.exec("PRAGMA legacy_alter_table = OFF");
  }
  for (const i of indexes) db.exec(i.sql);
  if (db.all(`SELECT 1 AS x FROM pragma_foreign_key_list(?)`, table).length) {
    throw new BdError("INTERNAL", `could not remove the foreign keys of ${table} while adopting the database`);
  }
}

/**
 * Migration 7: rebuilds `dependencies` with the key (issue_id, depends_on_id, type), copying every
 * row and every column (ones bd does not know too), and the indexes and triggers applications
 * put on it. Nothing references `dependencies` by foreign key in bd's schema; if an application
 * table does, the table is left as it is (parallel edges of different types are then refused
 * with a clear error rather than lost).
 */
function keyDependenciesByType(db: Db): void {
  const cols = columnsOf(db, "dependencies");
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name).join(",");
  if (pk === "issue_id,depends_on_id,type") return;
  const referenced = [...tablesOf(db)].some((t) =>
    t !== "dependencies" &&
    db.all<{ table: string }>(`SELECT "table" FROM pragma_foreign_key_list(?)`, t).some((fk) =>
      fk.table === "dependencies"
    )
  );
  if (referenced) return;
  const ours = expectedColumns().get("dependencies")!;
  const known = new Set(ours.map((c) => c.name));
  const foreign = cols.filter((c) => !known.has(c.name));
  const defs = [
    ...ours.map((c) =>
      `${c.name} ${c.type}${c.notnull ? " NOT NULL" : ""}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ""}`
    ),
    ...foreign.map((c) => `${quoteIdent(c.name)} ${c.type}`),
  ];
  const copied = cols.map((c) => quoteIdent(c.name));
  const values = cols.map((c) =>
    c.name === "type"
      ? "coalesce(type, 'blocks')"
      : c.name === "created_at"
      ? "coalesce(created_at, CURRENT_TIMESTAMP)"
      : quoteIdent(c.name)
  );
  const appObjects = db.all<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE tbl_name = 'dependencies' AND type IN ('index', 'trigger')
     AND sql IS NOT NULL AND name NOT LIKE 'bd\\_%' ESCAPE '\\' AND name NOT LIKE 'idx_dependencies_%'`,
  );
  for (const v of BD_VIEWS) db.exec(`DROP VIEW IF EXISTS ${v}`);
  db.exec(`CREATE TABLE bd_dependencies_new (
    ${defs.join(",\n    ")},
    PRIMARY KEY (issue_id, depends_on_id, type),
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE
  )`);
  db.exec(
    `INSERT OR IGNORE INTO bd_dependencies_new (${copied.join(", ")}) SELECT ${values.join(", ")} FROM dependencies`,
  );
  db.exec("DROP TABLE dependencies");
  // Application views that name `dependencies` must not stop the rename (they resolve again after it).
  db.exec("PRAGMA legacy_alter_table = ON");
  try {
    db.exec("ALTER TABLE bd_dependencies_new RENAME TO dependencies");
  } finally {
    db.exec("PRAGMA legacy_alter_table = OFF");
  }
  db.exec("CREATE INDEX IF NOT EXISTS idx_dependencies_depends_on ON dependencies(depends_on_id, type)");
  for (const o of appObjects) db.exec(o.sql);
  // bd's triggers went with the old table, and its views were dropped above: recreate them.
  db.exec(MIGRATIONS[2] as string);
  db.exec(MIGRATIONS[3] as string);
  db.exec(`CREATE VIEW IF NOT EXISTS blocked_issue_ids AS ${BLOCKED_IDS_SQL};`);
  db.exec(viewsSql());
}

/** The ready/blocked views of migration 1 (recreated after a rebuild or an adoption). */
function viewsSql(): string {
  const m = MIGRATIONS[0] as string;
  return m.slice(m.indexOf("CREATE VIEW IF NOT EXISTS ready_issues"));
}

/**
 * Brings the database up to SCHEMA_VERSION. The check that decides "nothing to do" is one read
 * of `PRAGMA user_version`. A database another bd wrote (version 0 with bd's tables in it, or an
 * older version of ours) is checked first (refused untouched if bd cannot adopt it), copied once
 * to `<file>.backup-<time>` beside it, then migrated in one transaction, additively: missing
 * tables, columns, indexes, views and triggers are added; tables, columns and rows bd does not
 * know are kept, and so are the applications' tables and their foreign keys.
 */
export function migrate(db: Db, path = "the database"): void {
  const current = userVersion(db);
  if (current === SCHEMA_VERSION) return;
  checkAdoptable(db, path, current);
  const adopting = current === 0 && tablesOf(db).has("issues");
  if ((adopting || current > 0) && path !== ":memory:" && path !== "the database") backup(db, path);
  db.write(() => {
    // Re-read inside the lock: another process may have migrated meanwhile.
    const now = userVersion(db);
    if (now >= SCHEMA_VERSION) return;
    if (now === 0) {
      addMissingColumns(db);
      for (const t of BOOKKEEPING_WITHOUT_FOREIGN_KEYS) dropForeignKeys(db, t);
      for (const v of BD_VIEWS) db.exec(`DROP VIEW IF EXISTS ${v}`);
    }
    for (let v = now; v < SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v];
      if (typeof step === "string") db.exec(step);
      else step(db);
    }
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}

/** Copies the database beside itself before its first migration (a consistent snapshot). */
function backup(db: Db, path: string): void {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const target = `${path}.backup-${stamp}-${userVersion(db)}`;
  try {
    db.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
  } catch (e) {
    if (/already exists|output file already/i.test(String(e))) return; // another process made it
    throw new BdError("INTERNAL", `cannot back up ${path} before migrating it: ${(e as Error).message}`);
  }
}
