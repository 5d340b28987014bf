/** Opening bd's database: connect, bring the schema up to date (or refuse), then the pragmas. */
import { Db } from "./db.ts";
import { migrate, SCHEMA_VERSION } from "./migrate.ts";

/** Opens (creating) the database at `path`, migrates it and applies bd's pragmas. */
export function openDatabase(path: string, opts: { readOnly?: boolean; timeoutMs?: number } = {}): Db {
  return Db.connect(path, opts, (db) => {
    // The schema version and the journal mode in one statement (each costs a cold start).
    const state = db.get<{ user_version: number; journal_mode: string }>(
      "SELECT user_version, journal_mode FROM pragma_user_version, pragma_journal_mode",
    );
    // Migrate (or refuse) first: a database bd refuses is left byte for byte as it was.
    if (Number(state?.user_version ?? 0) !== SCHEMA_VERSION) migrate(db, path);
    // WAL is a property of the file: set it once (setting it again costs every command time).
    if (!opts.readOnly && state?.journal_mode !== "wal") db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  });
}
