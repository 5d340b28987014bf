/** Time helpers. bd writes RFC 3339 UTC timestamps with milliseconds (`...Z`). */

/** Returns the current time as an RFC 3339 UTC string. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Returns the epoch milliseconds of a stored timestamp (any RFC 3339 offset, or SQLite's text). */
export function toMillis(ts: string): number {
  const t = Date.parse(hasOffset(ts) ? ts : ts.replace(" ", "T") + "Z");
  return Number.isNaN(t) ? 0 : t;
}

/** True when a timestamp names its offset (`Z`, `+00:00`, `-0700`). */
function hasOffset(ts: string): boolean {
  return /(Z|[+-]\d\d:?\d\d)$/i.test(ts);
}

/**
 * Returns a stored timestamp as RFC 3339 (contract §3). Databases written by Go bd hold Go's
 * text form (`2026-12-01 13:11:07.367502146+00:00`) and SQLite's CURRENT_TIMESTAMP
 * (`2026-12-01 13:11:07`); bd's own values pass through unchanged.
 */
export function rfc3339(ts: string): string {
  if (ts.length < 19 || ts[10] !== " ") return ts;
  const t = toMillis(ts);
  return t ? new Date(t).toISOString() : ts;
}
