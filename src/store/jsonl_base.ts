/**
 * The base of the three-way import (contract §8, "removals travel"): each JSONL record's line as
 * bd last flushed or imported it, keyed like the file's sort order (issue ID, or a memory's sort
 * key). A line of the file that equals its base is one this clone already has; a line that
 * differs came through git, and an issue with local changes never flushed is merged against it.
 */
import type { Db } from "./db.ts";

/** Returns the base lines of these keys (all of them when `keys` is undefined). */
export function baseLines(db: Db, keys?: readonly string[]): Map<string, string> {
  const rows = keys === undefined
    ? db.all<{ key: string; line: string }>("SELECT key, line FROM jsonl_base")
    : keys.length === 0
    ? []
    : db.all<{ key: string; line: string }>(
      "SELECT key, line FROM jsonl_base WHERE key IN (SELECT value FROM json_each(?))",
      JSON.stringify(keys),
    );
  return new Map(rows.map((r) => [r.key, r.line]));
}

/** Records the lines just flushed or imported; a null line means the record is gone. */
export function setBaseLines(db: Db, lines: Iterable<readonly [string, string | null]>): void {
  // One cached statement per row: for a whole 100k-line file twice as fast as JSON batches.
  for (const [key, line] of lines) {
    if (line === null) db.run("DELETE FROM jsonl_base WHERE key = ?", key);
    else {db.run(
        "INSERT INTO jsonl_base (key, line) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET line = excluded.line",
        key,
        line,
      );}
  }
}

/** Replaces every base line with these (a whole file was just written). */
export function replaceBaseLines(db: Db, lines: Iterable<readonly [string, string]>): void {
  db.run("DELETE FROM jsonl_base");
  setBaseLines(db, lines);
}
