/**
 * Databases other bds wrote, adopted as they are opened: one fixture per schema era (the real
 * founding-era file, and eras written from bd's history), with applications' tables in them.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { bd, bdOk, FIXTURE_DATA } from "../helpers.ts";

const SEED = join(FIXTURE_DATA, "legacy-seed.db");
type Obj = Record<string, unknown>;

/** A workspace whose `.beads/<name>` is a database built by `build` (or a copy of `from`). */
async function legacyWorkspace(name: string, build: (db: DatabaseSync) => void): Promise<{ dir: string; db: string }> {
  const dir = await Deno.makeTempDir({ prefix: "bd-adopt-" });
  await Deno.mkdir(join(dir, ".beads"));
  const db = join(dir, ".beads", name);
  const conn = new DatabaseSync(db, { enableForeignKeyConstraints: false });
  build(conn);
  conn.close();
  return { dir, db };
}

const APP_TABLES = `
CREATE TABLE myapp_executions (id INTEGER PRIMARY KEY AUTOINCREMENT, issue_id TEXT NOT NULL, status TEXT NOT NULL,
  agent_id TEXT, started_at DATETIME, FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE);
CREATE INDEX idx_myapp_exec_issue ON myapp_executions(issue_id);
CREATE TABLE myapp_checkpoints (id INTEGER PRIMARY KEY AUTOINCREMENT, execution_id INTEGER NOT NULL, step TEXT,
  FOREIGN KEY (execution_id) REFERENCES myapp_executions(id) ON DELETE CASCADE);
`;

/** bd 0.2x, a fresh layout: compaction and hash columns in the middle, Go's bookkeeping tables. */
function era2025(db: DatabaseSync) {
  db.exec(`
  CREATE TABLE issues (id TEXT PRIMARY KEY, content_hash TEXT, title TEXT NOT NULL CHECK(length(title) <= 500),
    description TEXT NOT NULL DEFAULT '', design TEXT NOT NULL DEFAULT '', acceptance_criteria TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open', priority INTEGER NOT NULL DEFAULT 2,
    issue_type TEXT NOT NULL DEFAULT 'task', assignee TEXT, estimated_minutes INTEGER,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at DATETIME, external_ref TEXT, compaction_level INTEGER DEFAULT 0, compacted_at DATETIME,
    original_size INTEGER, source_repo TEXT DEFAULT '.');
  CREATE TABLE dependencies (issue_id TEXT NOT NULL, depends_on_id TEXT NOT NULL, type TEXT NOT NULL DEFAULT 'blocks',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, created_by TEXT NOT NULL, PRIMARY KEY (issue_id, depends_on_id),
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE,
    FOREIGN KEY (depends_on_id) REFERENCES issues(id) ON DELETE CASCADE);
  CREATE INDEX idx_dependencies_issue ON dependencies(issue_id);
  CREATE TABLE labels (issue_id TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (issue_id, label),
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE);
  CREATE TABLE comments (id INTEGER PRIMARY KEY AUTOINCREMENT, issue_id TEXT NOT NULL, author TEXT NOT NULL,
    text TEXT NOT NULL, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE);
  CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, issue_id TEXT NOT NULL, event_type TEXT NOT NULL,
    actor TEXT NOT NULL, old_value TEXT, new_value TEXT, comment TEXT, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE);
  CREATE INDEX idx_events_issue ON events(issue_id);
  CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE dirty_issues (issue_id TEXT PRIMARY KEY, marked_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (issue_id) REFERENCES issues(id) ON DELETE CASCADE);
  CREATE TABLE export_hashes (issue_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
  CREATE TABLE child_counters (parent_id TEXT PRIMARY KEY, last_child INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (parent_id) REFERENCES issues(id) ON DELETE CASCADE);
  CREATE VIEW ready_issues AS SELECT i.* FROM issues i WHERE i.status = 'open';
  INSERT INTO config VALUES ('issue_prefix', 'old');
  INSERT INTO metadata VALUES ('bd_version', '0.17.2');
  INSERT INTO issues (id, content_hash, title, status, priority, issue_type, created_at, updated_at, compaction_level, source_repo)
    VALUES ('old-1', 'h1', 'Blocker', 'open', 1, 'bug', '2025-10-01 10:00:00', '2025-10-01 10:00:00', 1, '.'),
           ('old-2', 'h2', 'Waits', 'open', 2, 'task', '2025-10-02 10:00:00.5+00:00', '2025-10-02 10:00:00.5+00:00', 0, '.'),
           ('old-3', 'h3', 'Finished', 'done', 3, 'task', '2025-10-03T10:00:00Z', '2025-10-03T10:00:00Z', 0, '.');
  INSERT INTO dependencies VALUES ('old-2', 'old-1', 'blocks', '2025-10-02 10:00:00', 'alice');
  INSERT INTO labels VALUES ('old-2', 'backend');
  INSERT INTO comments (issue_id, author, text, created_at) VALUES ('old-1', 'bob', 'seen it', '2025-10-01 11:00:00');
  INSERT INTO events (issue_id, event_type, actor) VALUES ('old-1', 'created', 'alice');
  ${APP_TABLES}
  INSERT INTO myapp_executions (issue_id, status) VALUES ('old-1', 'running'), ('old-3', 'done');
  INSERT INTO myapp_checkpoints (execution_id, step) VALUES (1, 'plan');
  `);
}

/** bd 0.4x, upgraded in place: dozens of columns appended at the end, dependency metadata. */
function era2026(db: DatabaseSync) {
  era2025(db);
  const added = [
    "deleted_at DATETIME",
    "deleted_by TEXT DEFAULT ''",
    "delete_reason TEXT DEFAULT ''",
    "original_type TEXT DEFAULT ''",
    "sender TEXT DEFAULT ''",
    "ephemeral INTEGER DEFAULT 0",
    "pinned INTEGER DEFAULT 0",
    "is_template INTEGER DEFAULT 0",
    "await_type TEXT",
    "mol_type TEXT DEFAULT ''",
    "event_kind TEXT DEFAULT ''",
    "payload TEXT DEFAULT ''",
    "owner TEXT DEFAULT ''",
    "metadata TEXT DEFAULT '{}'",
    "spec_id TEXT DEFAULT ''",
    "wisp_type TEXT DEFAULT ''",
    "close_reason TEXT DEFAULT ''",
    "created_by TEXT DEFAULT ''",
    "agent_state TEXT DEFAULT ''",
    "hook_bead TEXT DEFAULT ''",
    "role_bead TEXT DEFAULT ''",
    "last_activity DATETIME",
    "due_at DATETIME",
    "defer_until DATETIME",
  ];
  for (const c of added) db.exec(`ALTER TABLE issues ADD COLUMN ${c}`);
  db.exec(`
  ALTER TABLE dependencies ADD COLUMN metadata TEXT DEFAULT '{}';
  ALTER TABLE dependencies ADD COLUMN thread_id TEXT DEFAULT '';
  UPDATE issues SET pinned = 1, metadata = '{"team":"core"}', owner = 'carol' WHERE id = 'old-1';
  UPDATE issues SET status = 'completed' WHERE id = 'old-3';
  CREATE TABLE vc_executor_instances (id TEXT PRIMARY KEY, issue_id TEXT REFERENCES issues(id) ON DELETE CASCADE,
    heartbeat DATETIME);
  INSERT INTO vc_executor_instances VALUES ('exec-1', 'old-2', '2026-01-01 00:00:00');
  INSERT INTO metadata VALUES ('schema_note', 'upgraded in place');
  `);
}

function query(path: string, sql: string): Obj[] {
  const conn = new DatabaseSync(path);
  try {
    return conn.prepare(sql).all().map((r) => ({ ...r }));
  } finally {
    conn.close();
  }
}

/** Every everyday command on an adopted workspace, then the checks that nothing was lost. */
async function exerciseAdopted(dir: string, db: string, ids: { blocker: string; waiting: string; withRows: string }) {
  const rowsBefore = query(db, "SELECT count(*) AS n FROM myapp_executions")[0].n as number;
  const list = (await bdOk(dir, ["list", "--json", "--all"])).json();
  assert.ok(list.length >= 3);
  const backups = [...Deno.readDirSync(join(dir, ".beads"))].filter((e) => e.name.includes(".backup-"));
  assert.equal(backups.length, 1, "one backup beside the database");
  const [shown] = (await bdOk(dir, ["show", ids.waiting, "--json"])).json();
  assert.match(shown.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, "timestamps print as RFC 3339");
  const ready = (await bdOk(dir, ["ready", "--json", "--limit", "0"])).json().map((i: Obj) => i.id);
  assert.ok(ready.includes(ids.blocker) && !ready.includes(ids.waiting), "the old blocks edge still blocks");
  assert.ok((await bdOk(dir, ["blocked", "--json"])).json().some((i: Obj) => i.id === ids.waiting));
  const made = (await bdOk(dir, ["create", "made by the new bd", "-l", "new", "--json"])).json().id;
  await bdOk(dir, ["update", ids.waiting, "--notes", "adopted"]);
  await bdOk(dir, ["dep", "add", made, ids.blocker]);
  await bdOk(dir, ["dep", "add", made, ids.blocker, "--type", "related"]);
  await bdOk(dir, ["label", "add", ids.blocker, "adopted"]);
  await bdOk(dir, ["comments", "add", ids.blocker, "a comment after adoption"]);
  await bdOk(dir, ["close", ids.blocker, "--reason", "fixed"]);
  assert.ok((await bdOk(dir, ["ready", "--json", "--limit", "0"])).json().some((i: Obj) => i.id === ids.waiting));
  await bdOk(dir, ["stats", "--json"]);
  // The first flush of a workspace without issues.jsonl writes every issue.
  const file = Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")).trim().split("\n");
  const count = (await bdOk(dir, ["list", "--json", "--all", "--limit", "0"])).json().length;
  assert.equal(file.filter((l) => l.startsWith('{"id"')).length, count);
  assert.equal((await bdOk(dir, ["export"])).stdout.trim().split("\n").length, count);
  // A delete still cascades into the application's tables.
  await bdOk(dir, ["delete", ids.withRows, "--force"]);
  assert.equal(
    query(db, `SELECT count(*) AS n FROM myapp_executions WHERE issue_id = '${ids.withRows}'`)[0].n,
    0,
  );
  assert.ok((query(db, "SELECT count(*) AS n FROM myapp_executions")[0].n as number) < rowsBefore);
  assert.deepEqual(query(db, "PRAGMA integrity_check"), [{ integrity_check: "ok" }]);
  assert.deepEqual(query(db, "PRAGMA foreign_key_check"), []);
  // An older bd can still write with the columns it knows.
  const conn = new DatabaseSync(db);
  conn.exec(
    `INSERT INTO issues (id, title, status, priority, issue_type) VALUES ('${ids.blocker}-old', 'by old bd', 'open', 2, 'task');
    INSERT INTO labels (issue_id, label) VALUES ('${ids.blocker}-old', 'legacy')`,
  );
  conn.close();
  assert.equal((await bdOk(dir, ["show", `${ids.blocker}-old`, "--json"])).json()[0].title, "by old bd");
}

Deno.test("the founding era's database (a real Go bd file, with the document's tables) is adopted as it is opened", async () => {
  const { dir, db } = await legacyWorkspace("legacy.db", (c) => c.exec("SELECT 1"));
  Deno.copyFileSync(SEED, db);
  Deno.chmodSync(db, 0o644);
  const checkpoints = query(db, "SELECT * FROM myapp_checkpoints");
  await exerciseAdopted(dir, db, { blocker: "legacy-2", waiting: "legacy-3", withRows: "legacy-6" });
  assert.deepEqual(query(db, "SELECT * FROM myapp_checkpoints"), checkpoints, "rows of other issues untouched");
});

Deno.test("a bd 0.2x database (fresh layout, Go's bookkeeping tables) is adopted; unknown columns keep their values", async () => {
  const { dir, db } = await legacyWorkspace("beads.db", era2025);
  await exerciseAdopted(dir, db, { blocker: "old-1", waiting: "old-2", withRows: "old-3" });
  assert.deepEqual(query(db, "SELECT content_hash, compaction_level FROM issues WHERE id = 'old-1'"), [
    { content_hash: "h1", compaction_level: 1 },
  ]);
  assert.equal(query(db, "SELECT count(*) AS n FROM export_hashes")[0].n, 0, "foreign tables are left alone");
  assert.ok(
    query(db, "SELECT * FROM events WHERE issue_id = 'old-3' AND event_type = 'deleted'").length,
    "history kept",
  );
});

Deno.test("a bd 0.4x database upgraded in place (57 columns, dependency metadata) is adopted without loss", async () => {
  const { dir, db } = await legacyWorkspace("beads.db", era2026);
  const cols = query(db, "SELECT count(*) AS n FROM pragma_table_info('issues')")[0].n as number;
  assert.ok(cols >= 44, `${cols} columns`);
  await exerciseAdopted(dir, db, { blocker: "old-1", waiting: "old-2", withRows: "old-3" });
  assert.deepEqual(query(db, "SELECT pinned, metadata, owner FROM issues WHERE id = 'old-1'"), [
    { pinned: 1, metadata: '{"team":"core"}', owner: "carol" },
  ]);
  assert.deepEqual(query(db, "SELECT metadata, thread_id FROM dependencies WHERE issue_id = 'old-2'"), [
    { metadata: "{}", thread_id: "" },
  ]);
  assert.equal(query(db, "SELECT count(*) AS n FROM vc_executor_instances")[0].n, 1);
  assert.equal((await bdOk(dir, ["show", "old-1", "--json"])).json()[0].owner, "carol");
});

Deno.test("databases bd cannot adopt are refused before anything is written, byte for byte", async () => {
  const newer = await legacyWorkspace("beads.db", (c) => {
    era2025(c);
    c.exec("PRAGMA user_version = 999");
  });
  const incompatible = await legacyWorkspace(
    "beads.db",
    (c) => c.exec("CREATE TABLE issues (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO issues VALUES (1, 'x');"),
  );
  for (
    const [{ dir, db }, why] of [[newer, /newer bd \(schema 999/], [incompatible, /"issues" that is not bd's/]] as const
  ) {
    const before = Deno.readFileSync(db);
    const r = await bd(dir, ["list", "--json"]);
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.stderr).error, why);
    assert.match(JSON.parse(r.stderr).error, /Nothing was changed/);
    assert.deepEqual(Deno.readFileSync(db), before);
    assert.equal([...Deno.readDirSync(join(dir, ".beads"))].filter((e) => e.name.includes("backup")).length, 0);
  }
  const dolt = await Deno.makeTempDir();
  await Deno.mkdir(join(dolt, ".beads", "dolt"), { recursive: true });
  const r = await bd(dolt, ["list"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Dolt database.*bd export -o/);
});

Deno.test("discovery: beads.db wins among several with a warning; backups are never picked; init refuses unless --force", async () => {
  const { dir } = await legacyWorkspace("beads.db", era2025);
  await bdOk(dir, ["list"]); // adopt: leaves a backup beside it
  Deno.copyFileSync(join(dir, ".beads", "beads.db"), join(dir, ".beads", "zzz.db"));
  const r = await bdOk(dir, ["list", "--json"]);
  assert.match(r.stderr, /several databases .*beads\.db, zzz\.db.*using beads\.db/);
  Deno.removeSync(join(dir, ".beads", "zzz.db"));
  assert.doesNotMatch((await bdOk(dir, ["list"])).stderr, /several/);
  const again = await bd(dir, ["init", "--json"]);
  assert.equal(again.code, 1);
  assert.match(JSON.parse(again.stderr).error, /found existing database.*--force/);
  const forced = (await bdOk(dir, ["init", "--force", "--json"])).json();
  assert.equal(forced.prefix, "old", "the adopted database keeps its prefix");
  assert.ok((await bdOk(dir, ["count", "--json"])).json().count >= 2);
});

Deno.test("a dependencies table another program's foreign key points at is left as it is; a parallel edge is refused, not lost", async () => {
  const { dir, db } = await legacyWorkspace("beads.db", (c) => {
    era2025(c);
    c.exec(`CREATE TABLE app_edge_notes (issue_id TEXT, depends_on_id TEXT, note TEXT,
      FOREIGN KEY (issue_id, depends_on_id) REFERENCES dependencies(issue_id, depends_on_id));
      INSERT INTO app_edge_notes VALUES ('old-2', 'old-1', 'reviewed');`);
  });
  const r = await bd(dir, ["dep", "add", "old-2", "old-1", "--type", "related", "--json"]);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stderr).code, "CONFLICT");
  assert.match(JSON.parse(r.stderr).error, /keeps one edge per pair/);
  assert.deepEqual(query(db, "SELECT note FROM app_edge_notes"), [{ note: "reviewed" }]);
  assert.equal((await bdOk(dir, ["show", "old-2", "--json"])).json()[0].dependencies.length, 1);
});
