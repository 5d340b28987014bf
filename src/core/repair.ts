/**
 * Rebuilding a damaged database (`bd doctor --fix`): the damaged file is moved aside, never
 * deleted; a new database is built from issues.jsonl (issues, memories and the settings that
 * travel with them); then whatever SQLite can still read of the damaged file is carried over:
 * the config, and the applications' own tables, table by table.
 */
import { existsSync, readFileSync, renameSync } from "node:fs";
import { BdError } from "../model/errors.ts";
import { openDatabase } from "../store/open.ts";
import { BD_TABLES } from "../store/bd_tables.ts";
import { quoteIdent } from "../store/sql_ident.ts";
import * as meta from "../store/meta.ts";
import { Beads } from "./service.ts";
import { prefixInJsonl, type WorkspacePaths } from "./workspace.ts";
import { importWorkspaceText } from "./sync/jsonl_io.ts";

export interface RebuildReport {
  /** Where the damaged file now is. */
  moved_to: string;
  issues: number;
  memories: number;
  /** Config entries carried over from the damaged file. */
  config: number;
  /** The applications' tables: rows carried over, or why they could not be. */
  extension_tables: { table: string; rows?: number; error?: string }[];
}

/** Moves the damaged database aside and rebuilds it from the workspace's issues.jsonl. */
export function rebuildDatabase(paths: WorkspacePaths, env: Record<string, string | undefined>): RebuildReport {
  if (!existsSync(paths.jsonlPath)) {
    throw new BdError(
      "CORRUPT",
      `the database is damaged and there is no ${paths.jsonlPath} to rebuild it from: restore it from git (git checkout -- .beads/issues.jsonl) and run bd doctor --fix again`,
    );
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const aside = `${paths.dbPath}.damaged-${stamp}`;
  renameSync(paths.dbPath, aside);
  for (const side of ["-wal", "-shm", "-journal"]) {
    if (existsSync(paths.dbPath + side)) renameSync(paths.dbPath + side, aside + side);
  }
  const text = readFileSync(paths.jsonlPath, "utf8");
  const db = openDatabase(paths.dbPath);
  const beads = new Beads(db, paths, { env, autoFlush: false });
  try {
    const prefix = prefixInJsonl(text);
    db.write(() => {
      if (prefix) meta.setKey(db, "config", "issue_prefix", prefix);
    });
    const summary = importWorkspaceText(beads, text);
    const report: RebuildReport = {
      moved_to: aside,
      issues: summary.created + summary.updated + summary.unchanged,
      memories: summary.memories ?? 0,
      config: 0,
      extension_tables: [],
    };
    salvage(beads, aside, report);
    return report;
  } finally {
    beads.close();
  }
}

/** Carries over what SQLite can still read of the damaged file: config, then applications' tables. */
function salvage(beads: Beads, aside: string, report: RebuildReport): void {
  const db = beads.db;
  try {
    db.run("ATTACH DATABASE ? AS damaged", aside);
  } catch {
    return; // nothing readable at all (not a database any more)
  }
  try {
    try {
      report.config = db.run(
        "INSERT OR IGNORE INTO main.config (key, value) SELECT key, value FROM damaged.config",
      ).changes;
    } catch { /* the config table itself is unreadable */ }
    let tables: { name: string; sql: string }[] = [];
    try {
      tables = db.all<{ name: string; sql: string }>(
        "SELECT name, sql FROM damaged.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL",
      ).filter((t) => !BD_TABLES.has(t.name));
    } catch { /* the catalog is unreadable: no table can be found */ }
    // Rows whose issue did not come back keep their foreign keys as they were: kept, not dropped.
    db.exec("PRAGMA foreign_keys = OFF");
    for (const t of tables) {
      try {
        db.write(() => {
          db.exec(t.sql); // the application's own CREATE TABLE, as SQLite stored it
          const copied = db.run(`INSERT INTO main.${quoteIdent(t.name)} SELECT * FROM damaged.${quoteIdent(t.name)}`);
          report.extension_tables.push({ table: t.name, rows: copied.changes });
        });
      } catch (e) {
        report.extension_tables.push({ table: t.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    for (
      const other of safeAll(
        db,
        "SELECT sql FROM damaged.sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))",
        JSON.stringify(report.extension_tables.filter((t) => t.rows !== undefined).map((t) => t.table)),
      )
    ) {
      try {
        db.exec(other.sql);
      } catch { /* an index or view that cannot be made again is left out */ }
    }
  } finally {
    db.exec("PRAGMA foreign_keys = ON");
    try {
      db.run("DETACH DATABASE damaged");
    } catch { /* detached with the connection */ }
  }
}

function safeAll(db: Beads["db"], sql: string, ...params: string[]): { sql: string }[] {
  try {
    return db.all<{ sql: string }>(sql, ...params);
  } catch {
    return [];
  }
}
