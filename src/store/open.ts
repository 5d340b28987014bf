/** Opening bd's database: connect, bring the schema up to date (or refuse), then the pragmas. */
import { Db } from "./db.ts";
import { migrate } from "./schema.ts";

/** Opens (creating) the database at `path`, migrates it and applies bd's pragmas. */
export function openDatabase(path: string, opts: { readOnly?: boolean; timeoutMs?: number } = {}): Db {
  return Db.connect(path, opts, (db) => {
    // Migrate (or refuse) first: a database bd refuses is left byte for byte as it was.
    migrate(db, path);
    // WAL is a property of the file: set it once (setting it again costs every command time).
    if (!opts.readOnly && db.get<{ journal_mode: string }>("PRAGMA journal_mode")?.journal_mode !== "wal") {
      db.exec("PRAGMA journal_mode = WAL");
    }
    db.exec("PRAGMA synchronous = NORMAL");
  });
}
