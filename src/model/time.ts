/** Time helpers. bd writes RFC 3339 UTC timestamps with milliseconds (`...Z`). */
import { validation } from "./errors.ts";

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

/**
 * Returns an RFC 3339 string for a user-supplied time: an RFC 3339 or `YYYY-MM-DD` date,
 * or a relative offset like `+2d`, `3h`, `1w`, `30m` (from now).
 */
export function parseUserTime(input: string, what: string): string {
  const text = input.trim();
  const rel = /^\+?(\d+)([mhdw])$/.exec(text);
  if (rel) {
    const unit = { m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[rel[2] as "m" | "h" | "d" | "w"];
    return new Date(Date.now() + Number(rel[1]) * unit).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const t = Date.parse(text + "T00:00:00Z");
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
    const t = Date.parse(text.replace(" ", "T"));
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  throw validation(
    `invalid ${what} "${input}": use a date (2025-01-31), an RFC 3339 time, or an offset like +2d, 3h, 1w`,
  );
}
