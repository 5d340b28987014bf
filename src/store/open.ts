/** Opening bd's database: connect, bring the schema up to date (or refuse), then the pragmas. */
import { existsSync } from "node:fs";
import { Db } from "./db.ts";
import { SCHEMA_VERSION } from "./schema.ts";
import { CodeNotLoaded } from "../model/errors.ts";

type Migrate = (db: Db, path: string) => void;
let migrate: Migrate | undefined;

/** Installs the migrations (store/migrate.ts calls this when it loads). */
export function useMigrations(m: Migrate): void {
  migrate = m;
}

/** Whether the migrations are loaded (a database that does not exist yet is created by them). */
export function migrationsLoaded(): boolean {
  return migrate !== undefined;
}

/**
 * Opens (creating) the database at `path`, migrates it and applies bd's pragmas. A current
 * database needs one read of `PRAGMA user_version` and none of the migrations' code; any other
 * needs store/migrate.ts loaded (else CodeNotLoaded, with nothing changed).
 */
export function openDatabase(path: string, opts: { readOnly?: boolean; timeoutMs?: number } = {}): Db {
  // Not even an empty file is left behind for a database that only the migrations can create.
  if (!migrate && path !== ":memory:" && !existsSync(path)) throw new CodeNotLoaded("migrations");
  return Db.connect(path, opts, (db) => {
    // The schema version and the journal mode in one statement (each costs a cold start).
    const state = db.get<{ user_version: number; journal_mode: string }>(
      "SELECT user_version, journal_mode FROM pragma_user_version, pragma_journal_mode",
    );
    // Migrate (or refuse) first: a database bd refuses is left byte for byte as it was.
    if (Number(state?.user_version ?? 0) !== SCHEMA_VERSION) {
      if (!migrate) throw new CodeNotLoaded("migrations");
      migrate(db, path);
    }
    // WAL is a property of the file: set it once (setting it again costs every command time).
    if (!opts.readOnly && state?.journal_mode !== "wal") db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  });
}
