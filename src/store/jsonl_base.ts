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
  const gone: string[] = [];
  const kept: [string, string][] = [];
  for (const [key, line] of lines) {
    if (line === null) gone.push(key);
    else kept.push([key, line]);
  }
  if (gone.length) db.run("DELETE FROM jsonl_base WHERE key IN (SELECT value FROM json_each(?))", JSON.stringify(gone));
  // One statement per 500 rows: binding a whole 100k-line file as one JSON text costs twice as much memory.
  for (let at = 0; at < kept.length; at += 500) {
    db.run(
      `INSERT INTO jsonl_base (key, line) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
       ON CONFLICT (key) DO UPDATE SET line = excluded.line`,
      JSON.stringify(kept.slice(at, at + 500)),
    );
  }
}

/** Replaces every base line with these (a whole file was just written). */
export function replaceBaseLines(db: Db, lines: Iterable<readonly [string, string]>): void {
  db.run("DELETE FROM jsonl_base");
  setBaseLines(db, lines);
}
