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
