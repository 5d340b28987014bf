/**
 * Reading what is still readable of a damaged database file into a fresh one (bd doctor --fix):
 * the config, then each application table with its indexes, triggers and views, as SQLite stored
 * them. Each part on its own: what cannot be read is reported, not fatal.
 */
import type { Db } from "./db.ts";
import { BD_TABLES } from "./bd_tables.ts";
import { quoteIdent } from "./sql_ident.ts";

export interface Salvaged {
  config: number;
  tables: { table: string; rows?: number; error?: string }[];
}

/** Copies into `db` what SQLite can still read of the damaged file at `path`. */
export function salvageFrom(db: Db, path: string): Salvaged {
  const out: Salvaged = { config: 0, tables: [] };
  try {
    db.run("ATTACH DATABASE ? AS damaged", path);
  } catch {
    return out; // nothing readable at all (not a database any more)
  }
  try {
    out.config = attempt(() =>
      db.run("INSERT OR IGNORE INTO main.config (key, value) SELECT key, value FROM damaged.config").changes
    ) ?? 0;
    const tables = attempt(() =>
      db.all<{ name: string; sql: string }>(
        `SELECT name, sql FROM damaged.sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL`,
      )
    )?.filter((t) =>
      !BD_TABLES.has(t.name)
    ) ?? [];
    // Rows whose issue did not come back keep their foreign keys as they were: kept, not dropped.
    db.exec("PRAGMA foreign_keys = OFF");
    for (const t of tables) {
      try {
        db.write(() => {
          db.exec(t.sql); // the application's own CREATE TABLE, as SQLite stored it
          const copied = db.run(`INSERT INTO main.${quoteIdent(t.name)} SELECT * FROM damaged.${quoteIdent(t.name)}`);
          out.tables.push({ table: t.name, rows: copied.changes });
        });
      } catch (e) {
        out.tables.push({ table: t.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    const copied = JSON.stringify(out.tables.filter((t) => t.rows !== undefined).map((t) => t.table));
    const others = attempt(() =>
      db.all<{ sql: string }>(
        `SELECT sql FROM damaged.sqlite_master
         WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))`,
        copied,
      )
    ) ?? [];
    for (const o of others) attempt(() => db.exec(o.sql)); // one that cannot be made again is left out
  } finally {
    db.exec("PRAGMA foreign_keys = ON");
    attempt(() => db.run("DETACH DATABASE damaged"));
  }
  return out;
}

/** Runs a read of the damaged file; undefined when SQLite cannot read that part. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
