/**
 * Claim leases (table claim_leases): the holder of a claimed issue and when the claim lapses.
 * Times are RFC 3339 UTC with milliseconds, so they compare as text; "now" is SQLite's clock in
 * the same form (LEASE_NOW), so every reader decides expiry the same way, at read time.
 */
import type { Db } from "./db.ts";

/** SQLite's current time in the stored form. */
export const LEASE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** True for issue row `alias` when it is claimed and its lease has lapsed (ready again for anyone). */
export const leaseLapsed = (alias: string) =>
  `(${alias}.status = 'in_progress' AND EXISTS (SELECT 1 FROM claim_leases l WHERE l.issue_id = ${alias}.id AND l.expires_at <= ${LEASE_NOW}))`;

/** The select-list column that gives issue row `alias` its lease_expires_at (NULL without a lease). */
export const leaseColumn = (alias: string) =>
  `(SELECT l.expires_at FROM claim_leases l WHERE l.issue_id = ${alias}.id) AS lease_expires_at`;

export interface Lease {
  issue_id: string;
  holder: string;
  expires_at: string;
  seconds: number;
}

export function leaseOf(db: Db, id: string): Lease | undefined {
  const r = db.get<Lease>("SELECT issue_id, holder, expires_at, seconds FROM claim_leases WHERE issue_id = ?", id);
  return r ? { ...r, seconds: Number(r.seconds) } : undefined;
}

/**
 * Sets (or replaces) an issue's lease: `seconds` from now, by SQLite's clock. `takenFrom` names the
 * holder whose lapsed claim this one took over (their next heartbeat is told).
 */
export function putLease(db: Db, id: string, holder: string, seconds: number, takenFrom: string | null = null): void {
  db.run(
    `INSERT INTO claim_leases (issue_id, holder, expires_at, seconds, taken_from)
     VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ?3 || ' seconds'), ?3, ?4)
     ON CONFLICT (issue_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
       seconds = excluded.seconds,
       taken_from = CASE WHEN excluded.holder = claim_leases.holder THEN claim_leases.taken_from ELSE excluded.taken_from END`,
    id,
    holder,
    seconds,
    takenFrom,
  );
}

/** The leases taken over from `holder` that they have not heard of yet; forgets them (told once). */
export function takeLostLeases(db: Db, holder: string): Lease[] {
  const lost = db.all<Lease>(
    "SELECT issue_id, holder, expires_at, seconds FROM claim_leases WHERE taken_from = ? ORDER BY issue_id",
    holder,
  );
  if (lost.length) db.run("UPDATE claim_leases SET taken_from = NULL WHERE taken_from = ?", holder);
  return lost.map((r) => ({ ...r, seconds: Number(r.seconds) }));
}

export function dropLease(db: Db, id: string): void {
  db.run("DELETE FROM claim_leases WHERE issue_id = ?", id);
}

/** True when a lease has lapsed by SQLite's clock. */
export function lapsed(db: Db, lease: Lease): boolean {
  return !!db.get<{ x: number }>(`SELECT ? <= ${LEASE_NOW} AS x`, lease.expires_at)?.x;
}

/** The leases `holder` holds (live or lapsed), by issue ID. */
export function leasesHeldBy(db: Db, holder: string): Lease[] {
  return db.all<Lease>(
    "SELECT issue_id, holder, expires_at, seconds FROM claim_leases WHERE holder = ? ORDER BY issue_id",
    holder,
  ).map((r) => ({ ...r, seconds: Number(r.seconds) }));
}

/** Every lease with its issue's assignee and status (bd claims), soonest to lapse first. */
export function allLeases(db: Db): (Lease & { lapsed: boolean })[] {
  return db.all<Lease & { lapsed: number }>(
    `SELECT issue_id, holder, expires_at, seconds, expires_at <= ${LEASE_NOW} AS lapsed
     FROM claim_leases ORDER BY expires_at, issue_id`,
  ).map((r) => ({ ...r, seconds: Number(r.seconds), lapsed: !!Number(r.lapsed) }));
}

/** The issues whose leases have lapsed (among `ids`, or all), for reclaim. */
export function lapsedLeases(db: Db, ids?: readonly string[]): Lease[] {
  const sql = `SELECT issue_id, holder, expires_at, seconds FROM claim_leases WHERE expires_at <= ${LEASE_NOW}` +
    (ids ? " AND issue_id IN (SELECT value FROM json_each(?))" : "") + " ORDER BY issue_id";
  return (ids ? db.all<Lease>(sql, JSON.stringify(ids)) : db.all<Lease>(sql)).map((r) => ({
    ...r,
    seconds: Number(r.seconds),
  }));
}
