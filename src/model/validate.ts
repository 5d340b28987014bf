/** Input rules: each function returns the normalised value or throws a VALIDATION BdError. */
import { validation } from "./errors.ts";
import { DEPENDENCY_TYPES, ISSUE_TYPE_ALIASES, ISSUE_TYPES, STATUSES } from "./types.ts";

export const MAX_TITLE = 500;

/** Returns the priority 0..4 parsed from `0..4` or `P0..P4`. */
export function parsePriority(input: string | number): number {
  const text = String(input).trim();
  const m = /^[Pp]?([0-4])$/.exec(text);
  if (!m) {
    throw validation(`invalid priority "${text}" (expected 0-4 or P0-P4, not words like high/medium/low)`);
  }
  return Number(m[1]);
}

/** Returns the trimmed title after checking its length (1-500 characters). */
export function checkTitle(title: string): string {
  const t = title.trim();
  if (t.length === 0) throw validation("title is required and cannot be empty");
  if ([...t].length > MAX_TITLE) {
    throw validation(`title is too long (${[...t].length} characters; the maximum is ${MAX_TITLE})`);
  }
  return t;
}

/** Returns the status if it is one bd accepts as input: a built-in one or a configured custom one. */
export function checkStatus(status: string, custom: readonly string[] = []): string {
  if (!(STATUSES as readonly string[]).includes(status) && !custom.includes(status)) {
    throw validation(
      `invalid status "${status}": use one of ${STATUSES.join(", ")}${
        custom.length
          ? `, or the custom statuses ${custom.join(", ")}`
          : ' (more with: bd config set status.custom "name:category,...")'
      }`,
    );
  }
  return status;
}

/**
 * Returns the issue type bd stores for an input: a built-in type, its alias's type (feat →
 * feature, adr → decision), or one of the workspace's custom types (config `types.custom`).
 */
export function checkIssueType(type: string, custom: readonly string[] = []): string {
  const t = ISSUE_TYPE_ALIASES[type] ?? type;
  if (!(ISSUE_TYPES as readonly string[]).includes(t) && !custom.includes(t)) {
    throw validation(
      `invalid issue type "${type}": use one of ${ISSUE_TYPES.join(", ")}${
        custom.length ? `, or the custom types ${custom.join(", ")}` : " (more with: bd config set types.custom a,b)"
      }`,
    );
  }
  return t;
}

/** Returns the dependency type if it is one bd accepts as input. */
export function checkDependencyType(type: string): string {
  if (!(DEPENDENCY_TYPES as readonly string[]).includes(type)) {
    throw validation(`invalid dependency type "${type}": use one of ${DEPENDENCY_TYPES.join(", ")}`);
  }
  return type;
}

/** Returns a non-negative integer of minutes. */
export function checkEstimate(input: string | number): number {
  const n = Number(input);
  if (!Number.isInteger(n) || n < 0) {
    throw validation("estimate must be a non-negative number of minutes");
  }
  return n;
}

/** Returns a label after checking it is non-empty and has no whitespace at its ends or commas. */
export function checkLabel(label: string): string {
  const l = label.trim();
  if (!l) throw validation("label cannot be empty");
  if (l.includes(",")) throw validation(`invalid label "${l}": labels cannot contain commas`);
  return l;
}

/** Returns text with control characters other than newline and tab removed. */
export function stripControl(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

/**
 * The rules every issue must meet to be usable, wherever it comes from (a file bd imports, a
 * merge, another bd's export): what create and update refuse outright, read leniently enough for
 * real files (unknown statuses and types, long titles and adopted timestamps stay). Returns the
 * reasons it is not usable; none when it is.
 */
export function issueProblems(i: {
  id: string;
  title: string;
  status: string;
  issue_type: string;
  priority: unknown;
  created_at: string;
  updated_at: string;
}): string[] {
  const out: string[] = [];
  if (!ID_SHAPE.test(i.id)) {
    out.push(`id ${JSON.stringify(i.id)} is not PREFIX-HASH (a prefix, a hyphen, no whitespace or control characters)`);
  }
  if (i.title.length > MAX_IMPORTED_TITLE) {
    out.push(`title is ${i.title.length} characters (at most ${MAX_IMPORTED_TITLE})`);
  }
  if (typeof i.priority !== "number" || !Number.isInteger(i.priority) || i.priority < 0 || i.priority > 4) {
    out.push(`priority ${JSON.stringify(i.priority)} is not an integer from 0 to 4`);
  }
  if (!WORD.test(i.status)) out.push(`status ${JSON.stringify(i.status)} is not a status name`);
  if (!WORD.test(i.issue_type)) out.push(`issue_type ${JSON.stringify(i.issue_type)} is not a type name`);
  for (const [name, ts] of [["created_at", i.created_at], ["updated_at", i.updated_at]] as const) {
    if (!isTimestamp(ts)) out.push(`${name} ${JSON.stringify(ts)} is not a timestamp`);
  }
  return out;
}

/**
 * Throws VALIDATION when an issue about to be written breaks the rules of issueProblems: the last
 * check of create and update (and so of the CLI, GraphQL and MCP), the same one imports apply.
 */
export function assertUsable(issue: Parameters<typeof issueProblems>[0]): void {
  const problems = issueProblems(issue);
  if (problems.length) throw validation(`issue ${JSON.stringify(issue.id)}: ${problems.join("; ")}`);
}

/** PREFIX-REST: a prefix, a hyphen, then the rest; no whitespace or control characters anywhere. */
// deno-lint-ignore no-control-regex -- control characters are what it refuses
const ID_SHAPE = /^[^\s\x00-\x1f\x7f-][^\s\x00-\x1f\x7f]*-[^\s\x00-\x1f\x7f]+$/;
/** A status or type name: a word (custom ones included), never SQL or markup. */
const WORD = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Titles bd takes from files: longer than create allows (real files have them), not unbounded. */
export const MAX_IMPORTED_TITLE = 5000;

/** An RFC 3339 time, or the forms other bds stored (Go's `2006-01-02 15:04:05.999+00:00`, SQLite's). */
function isTimestamp(ts: string): boolean {
  if (!/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(ts)) return false;
  const t = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(ts) ? ts.replace(" ", "T") : ts.replace(" ", "T") + "Z");
  return !Number.isNaN(t);
}
