/** Events, config, bd's metadata, the dirty set, tombstones and child counters. */
import type { Db } from "./db.ts";
import type { IssueEvent } from "../model/types.ts";

/** Appends an event to the audit trail. */
export function insertEvent(
  db: Db,
  e: Omit<IssueEvent, "id">,
): void {
  db.run(
    `INSERT INTO events (issue_id, event_type, actor, old_value, new_value, comment, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    e.issue_id,
    e.event_type,
    e.actor,
    e.old_value,
    e.new_value,
    e.comment,
    e.created_at,
  );
}

/** Returns the events of each issue, oldest first. */
export function eventsOf(db: Db, ids: readonly string[]): Map<string, IssueEvent[]> {
  const out = new Map<string, IssueEvent[]>();
  if (ids.length === 0) return out;
  for (
    const r of db.all<IssueEvent>(
      `SELECT id, issue_id, event_type, actor, old_value, new_value, comment, created_at FROM events
       WHERE issue_id IN (SELECT value FROM json_each(?)) ORDER BY issue_id, id`,
      JSON.stringify(ids),
    )
  ) {
    const list = out.get(r.issue_id) ?? [];
    list.push({ ...r, id: Number(r.id) });
    out.set(r.issue_id, list);
  }
  return out;
}

/** Returns events with id greater than `afterId`, oldest first (at most `limit`). */
export function eventsAfter(db: Db, afterId: number, limit = 500): IssueEvent[] {
  return db.all<IssueEvent>(
    `SELECT id, issue_id, event_type, actor, old_value, new_value, comment, created_at FROM events
     WHERE id > ? ORDER BY id LIMIT ?`,
    afterId,
    limit,
  ).map((r) => ({ ...r, id: Number(r.id) }));
}

/** Returns the highest event id (0 when none). */
export function lastEventId(db: Db): number {
  return Number(db.get<{ n: number }>("SELECT coalesce(max(id), 0) AS n FROM events")?.n ?? 0);
}

// ---- config (user settings) and metadata (bd's bookkeeping): key/value tables

/** Returns a value of `config` or `metadata`. */
export function getKey(db: Db, table: "config" | "metadata", key: string): string | undefined {
  return db.get<{ value: string }>(`SELECT value FROM ${table} WHERE key = ?`, key)?.value;
}

/** Sets a value of `config` or `metadata`. */
export function setKey(db: Db, table: "config" | "metadata", key: string, value: string): void {
  db.run(
    `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    key,
    value,
  );
}

/** Deletes a key; returns false if it was not set. */
export function deleteKey(db: Db, table: "config" | "metadata", key: string): boolean {
  return db.run(`DELETE FROM ${table} WHERE key = ?`, key).changes > 0;
}

/** Returns all config entries, sorted by key. */
export function listConfig(db: Db): { key: string; value: string }[] {
  return db.all<{ key: string; value: string }>("SELECT key, value FROM config ORDER BY key");
}

// ---- dirty set (issues changed since the last JSONL flush)

/** Marks issues as changed since the last flush. */
export function markDirty(db: Db, ids: readonly string[], at: string): void {
  if (ids.length === 0) return;
  db.run(
    `INSERT INTO dirty_issues (issue_id, marked_at) SELECT value, ? FROM json_each(?)
     WHERE true ON CONFLICT (issue_id) DO UPDATE SET marked_at = excluded.marked_at`,
    at,
    JSON.stringify(ids),
  );
}

/** Returns the IDs of changed issues. */
export function dirtyIds(db: Db): string[] {
  return db.all<{ issue_id: string }>("SELECT issue_id FROM dirty_issues ORDER BY issue_id").map((r) => r.issue_id);
}

/** Returns true when some issue changed since the last flush. */
export function hasDirty(db: Db): boolean {
  return db.get("SELECT 1 AS x FROM dirty_issues LIMIT 1") !== undefined;
}

/** Empties the dirty set. */
export function clearDirty(db: Db): void {
  db.run("DELETE FROM dirty_issues");
}

// ---- tombstones

export interface TombstoneRow {
  id: string;
  deleted_at: string;
  deleted_by: string;
  delete_reason: string;
  data: string;
}

/** Records (or replaces) the tombstone of a deleted issue. */
export function upsertTombstone(db: Db, t: TombstoneRow): void {
  db.run(
    `INSERT INTO tombstones (id, deleted_at, deleted_by, delete_reason, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by,
       delete_reason = excluded.delete_reason, data = excluded.data`,
    t.id,
    t.deleted_at,
    t.deleted_by,
    t.delete_reason,
    t.data,
  );
}

/** Returns the tombstones with these IDs (all of them when `ids` is undefined). */
export function tombstones(db: Db, ids?: readonly string[]): TombstoneRow[] {
  if (ids === undefined) {
    return db.all<TombstoneRow>("SELECT id, deleted_at, deleted_by, delete_reason, data FROM tombstones ORDER BY id");
  }
  if (ids.length === 0) return [];
  return db.all<TombstoneRow>(
    `SELECT id, deleted_at, deleted_by, delete_reason, data FROM tombstones
     WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    JSON.stringify(ids),
  );
}

/** Removes a tombstone (when an issue is recreated). */
export function deleteTombstone(db: Db, id: string): void {
  db.run("DELETE FROM tombstones WHERE id = ?", id);
}

// ---- child counters for hierarchical IDs

/** Returns the next child number under a parent, at least `floor + 1`, and records it. */
export function nextChildNumber(db: Db, parentId: string, floor: number): number {
  const row = db.get<{ last_child: number }>(
    `INSERT INTO child_counters (parent_id, last_child) VALUES (?1, ?2 + 1)
     ON CONFLICT (parent_id) DO UPDATE SET last_child = max(last_child, ?2) + 1
     RETURNING last_child`,
    parentId,
    floor,
  );
  return Number(row!.last_child);
}

/** Returns the highest existing child number `P.n` among the issues. */
export function maxExistingChild(db: Db, parentId: string): number {
  const rows = db.all<{ id: string }>(
    "SELECT id FROM issues WHERE id > ? || '.' AND id < ? || '/'",
    parentId,
    parentId,
  );
  let max = 0;
  for (const r of rows) {
    const rest = r.id.slice(parentId.length + 1);
    if (/^\d+$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return max;
}

/** Returns `PRAGMA data_version`: it changes when another connection commits. */
export function dataVersion(db: Db): number {
  return Number(db.get<{ data_version: number }>("PRAGMA data_version")?.data_version ?? 0);
}

/** Returns `PRAGMA schema_version`: it changes when anyone changes the schema (DDL). */
export function schemaVersion(db: Db): number {
  return Number(db.get<{ schema_version: number }>("PRAGMA schema_version")?.schema_version ?? 0);
}

// ---- memories (bd remember): kept in config under kv.memory.<key>, as bd does

const MEMORY_PREFIX = "kv.memory.";

/** Returns every memory, sorted by key. */
export function allMemories(db: Db): { key: string; value: string }[] {
  return db.all<{ key: string; value: string }>(
    "SELECT substr(key, ?) AS key, value FROM config WHERE key > ? AND key < ? ORDER BY key",
    MEMORY_PREFIX.length + 1,
    MEMORY_PREFIX,
    MEMORY_PREFIX.slice(0, -1) + "/",
  );
}

/** Returns one memory's value, or undefined. */
export function getMemory(db: Db, key: string): string | undefined {
  return getKey(db, "config", MEMORY_PREFIX + key);
}

/** Stores a memory; returns false when it already held this value. */
export function setMemory(db: Db, key: string, value: string): boolean {
  if (getMemory(db, key) === value) return false;
  setKey(db, "config", MEMORY_PREFIX + key, value);
  return true;
}

/** Deletes a memory; returns false when there was none. */
export function deleteMemory(db: Db, key: string): boolean {
  return deleteKey(db, "config", MEMORY_PREFIX + key);
}

// ---- JSONL records of kinds bd does not know

/** Returns the kept records, as their JSONL lines. */
export function otherRecords(db: Db): string[] {
  return db.all<{ line: string }>("SELECT line FROM jsonl_records ORDER BY line").map((r) => r.line);
}

/** Keeps a record; returns false when it was already kept. */
export function keepOtherRecord(db: Db, line: string, kind: string): boolean {
  return db.run("INSERT INTO jsonl_records (line, kind) VALUES (?, ?) ON CONFLICT DO NOTHING", line, kind).changes > 0;
}

/** Returns true when this record is kept. */
export function hasOtherRecord(db: Db, line: string): boolean {
  return db.get("SELECT 1 AS x FROM jsonl_records WHERE line = ?", line) !== undefined;
}

/** Returns `PRAGMA integrity_check` as one line ("ok" when the file is sound). */
export function integrityCheck(db: Db): string {
  return db.all<{ integrity_check: string }>("PRAGMA integrity_check").map((r) => r.integrity_check).join("; ");
}

/** Returns the number of tombstones (deleted issues remembered for other clones). */
export function tombstoneCount(db: Db): number {
  return Number(db.get<{ n: number }>("SELECT count(*) AS n FROM tombstones")?.n ?? 0);
}

/** Returns bd's schema version of this database (`PRAGMA user_version`). */
export function schemaVersionOf(db: Db): number {
  return Number(db.get<{ user_version: number }>("PRAGMA user_version")?.user_version ?? 0);
}
