/**
 * Short spans of time (a lease, a sync cadence): `500ms`, `90s`, `30m` (minutes), `4h`, `1d`.
 * Not due dates: there `3m` is three months (model/time_input.ts), as upstream reads them.
 */
const SPAN = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The span in milliseconds, or undefined when the text is not one. */
export function spanMs(text: string): number | undefined {
  const m = SPAN.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return Number.isSafeInteger(ms) ? ms : undefined;
}
