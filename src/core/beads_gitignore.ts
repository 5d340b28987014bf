/**
 * `.beads/.gitignore`: what of `.beads/` stays out of git. The database and SQLite's side files
 * (WAL, shared memory, and the rollback journal a non-WAL open leaves) are a local cache;
 * issues.jsonl is what goes into git. `bd init` writes it; `bd doctor --fix` adds what an older
 * bd's file lacks.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The lines every `.beads/.gitignore` should have. */
export const IGNORED = ["*.db", "*.db-wal", "*.db-shm", "*.db-journal", "*.db.damaged-*", "last-touched"];

const HEADER = "# bd: the database is a local cache; issues.jsonl is what goes into git";

/** Writes a new `.beads/.gitignore` when there is none. */
export function writeBeadsGitignore(beadsDir: string): void {
  const path = join(beadsDir, ".gitignore");
  if (!existsSync(path)) writeFileSync(path, [HEADER, ...IGNORED].join("\n") + "\n");
}

/** The lines an existing `.beads/.gitignore` lacks (none when there is no file: nothing to mend). */
export function missingIgnoreLines(beadsDir: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(beadsDir, ".gitignore"), "utf8");
  } catch {
    return [];
  }
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  return IGNORED.filter((l) => !have.has(l));
}

/** Appends the given lines to `.beads/.gitignore`, keeping what it has. */
export function addIgnoreLines(beadsDir: string, lines: readonly string[]): void {
  if (!lines.length) return;
  const path = join(beadsDir, ".gitignore");
  const text = readFileSync(path, "utf8");
  appendFileSync(path, (text.endsWith("\n") || text === "" ? "" : "\n") + lines.join("\n") + "\n");
}
