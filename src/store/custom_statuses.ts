/**
 * The custom statuses as the rules read them (table `custom_statuses`): kept from config
 * `status.custom` by the service, in the same transaction as the config value.
 */
import type { Db } from "./db.ts";
import type { CustomStatus, StatusCategory } from "../model/status_categories.ts";

/** The configured custom statuses, in the order the config gives them. */
export function customStatuses(db: Db): CustomStatus[] {
  return db.all<{ name: string; category: string }>(
    "SELECT name, category FROM custom_statuses ORDER BY position, name",
  ).map((r) => ({ name: r.name, category: r.category as StatusCategory }));
}

/**
 * Replaces the custom statuses; inside a write. When what blocks or what is ready can change,
 * the blocked set is marked for a full recompute and graph_version moves (so every cache built
 * on the graph is rebuilt).
 */
export function replaceCustomStatuses(db: Db, statuses: readonly CustomStatus[]): void {
  const before = JSON.stringify(customStatuses(db));
  db.run("DELETE FROM custom_statuses");
  db.run(
    `INSERT INTO custom_statuses (name, category, position)
     SELECT json_extract(value, '$.name'), json_extract(value, '$.category'), key FROM json_each(?)`,
    JSON.stringify(statuses.map((s) => ({ name: s.name, category: s.category }))),
  );
  if (JSON.stringify(customStatuses(db)) === before) return;
  db.run("UPDATE metadata SET value = CAST(value AS INTEGER) + 1 WHERE key = 'graph_version'");
  db.run("UPDATE metadata SET value = '-1' WHERE key = 'blocked_cache_version'");
}

/** Every status issues carry, with how many carry it (from the kept counts). */
export function statusesInUse(db: Db): { status: string; count: number }[] {
  return db.all<{ status: string; n: number }>(
    "SELECT status, n FROM issue_counts WHERE scope = 'all' AND n > 0 ORDER BY status",
  ).map((r) => ({ status: r.status, count: Number(r.n) }));
}
