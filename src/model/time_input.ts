/**
 * Times typed by people and scripts (`--due`, `--defer`, `defer --until`, list's date filters),
 * read in upstream bd's layers and order (its internal/timeparsing):
 *  1. a compact duration from now: `+6h`, `-1d`, `+2w`, `3m` (months), `1y` (no sign = later);
 *  2. an absolute time: `2025-01-15` (local midnight), RFC 3339, `2025-01-15T10:00:00` or
 *     `2025-01-15 10:00:00` (local);
 *  3. natural language: `tomorrow`, `next monday`, `in 3 days`, `next friday at 5pm` (chrono-node,
 *     loaded only when the first two layers do not match, so other commands never pay for it).
 * Absolute forms come before natural language, as upstream orders them, so that a date is never
 * read as something else. The whole text must be understood: `tomorrow-ish` is an error.
 */
import { validation } from "./errors.ts";

const COMPACT = /^([+-]?)(\d+)([hdwmy])$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Layer 1: a compact duration applied to `now` with calendar arithmetic (months and years by date). */
export function compactDuration(text: string, now: Date): Date | undefined {
  const m = COMPACT.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]) * (m[1] === "-" ? -1 : 1);
  if (!Number.isSafeInteger(n)) return undefined;
  const t = new Date(now.getTime());
  switch (m[3]) {
    case "h":
      t.setTime(t.getTime() + n * 3600e3);
      break;
    case "d":
      t.setDate(t.getDate() + n);
      break;
    case "w":
      t.setDate(t.getDate() + 7 * n);
      break;
    case "m":
      t.setMonth(t.getMonth() + n);
      break;
    case "y":
      t.setFullYear(t.getFullYear() + n);
      break;
  }
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** Layer 2: a date, or a date and time (local unless it names its offset); undefined when not one. */
export function absoluteTime(text: string): Date | undefined {
  const d = DATE_ONLY.exec(text);
  if (d) return localDate(Number(d[1]), Number(d[2]), Number(d[3]));
  const dt = DATE_TIME.exec(text);
  if (!dt) return undefined;
  const day = localDate(Number(dt[1]), Number(dt[2]), Number(dt[3]));
  if (!day || Number(dt[4]) > 23 || Number(dt[5]) > 59 || Number(dt[6] ?? 0) > 59) return undefined;
  const t = Date.parse(text.replace(" ", "T"));
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Local midnight of a calendar date that exists (no 2025-02-30). */
function localDate(y: number, m: number, d: number): Date | undefined {
  const t = new Date(y, m - 1, d);
  return t.getFullYear() === y && t.getMonth() === m - 1 && t.getDate() === d ? t : undefined;
}

/**
 * Layer 3: natural language, when all of the text is a time expression. A weekday or date named
 * without a time keeps the current time of day, as upstream's parser does.
 */
export async function naturalTime(text: string, now: Date): Promise<Date | undefined> {
  const { casual } = await import("chrono-node/en");
  const results = casual.parse(text, now);
  if (results.length !== 1) return undefined;
  const r = results[0];
  if (r.index !== 0 || r.text.trim().length !== text.length) return undefined;
  const t = r.start.date();
  if (!r.start.isCertain("hour")) t.setHours(now.getHours(), now.getMinutes(), now.getSeconds(), 0);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** Reads a time in the three layers; undefined when none understands it. */
export async function readTime(input: string, now = new Date()): Promise<Date | undefined> {
  const text = input.trim();
  if (!text) return undefined;
  return compactDuration(text, now) ?? absoluteTime(text) ?? await naturalTime(text, now);
}

/** The flags whose errors upstream words as `invalid --X format "..."`, with its example. */
const SET_FLAGS: Record<string, string> = { "--due": "+6h", "--defer": "+1h", "--until": "+1h" };

/**
 * Returns the RFC 3339 (UTC) form of a time typed for `flag`, or a VALIDATION error in upstream's
 * words: `invalid --due format "X". Examples: ...` for the flags that set a time, and
 * `parsing --created-after: cannot parse time expression: "X" ...` for the filters.
 */
export async function parseUserTime(input: string, flag: string, now = new Date()): Promise<string> {
  const t = await readTime(input, now);
  if (t) return t.toISOString();
  const example = SET_FLAGS[flag];
  throw validation(
    example
      ? `invalid ${flag} format ${JSON.stringify(input)}. Examples: ${example}, tomorrow, next monday, 2025-01-15`
      : `parsing ${flag}: cannot parse time expression: ${JSON.stringify(input)} (examples: +6h, tomorrow, 2025-01-15)`,
  );
}
