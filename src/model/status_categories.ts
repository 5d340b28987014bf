/**
 * Status categories (upstream bd 1.0's `status.custom`): what a status means to ready, blocked
 * and the default list. Built-in statuses have fixed meanings (contract §5–6); custom ones take
 * the category they are configured with, as `name:category`.
 *
 * - active: in `ready` and in the default list (like `open`);
 * - wip: in the default list, not in `ready` (like `in_progress`);
 * - done: terminal, like `closed`: it unblocks its dependents and leaves both;
 * - frozen: out of both, and still blocks its dependents;
 * - unspecified (a name without a category, upstream's legacy form): valid, in the default list,
 *   never ready, and it blocks.
 */
import { validation } from "./errors.ts";
import { STATUSES } from "./types.ts";

export const STATUS_CATEGORIES = ["active", "wip", "done", "frozen"] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number] | "unspecified";

export interface CustomStatus {
  name: string;
  category: StatusCategory;
}

export interface StatusInfo {
  name: string;
  category: StatusCategory;
  icon: string;
  description: string;
}

/** What each built-in status means, with upstream's icon (`bd statuses`); one entry per STATUSES name. */
const BUILT_IN: Record<(typeof STATUSES)[number], Omit<StatusInfo, "name">> = {
  open: { category: "active", icon: "○", description: "Available to work (the default)" },
  in_progress: { category: "wip", icon: "◐", description: "Being worked on" },
  blocked: { category: "wip", icon: "●", description: "Marked blocked by hand" },
  deferred: { category: "frozen", icon: "❄", description: "Put on ice for later; still listed by default" },
  closed: { category: "done", icon: "✓", description: "Finished" },
};

/** The built-in statuses in STATUSES order, with their categories and icons. */
export const BUILT_IN_STATUSES: readonly StatusInfo[] = STATUSES.map((name) => ({ name, ...BUILT_IN[name] }));

const CATEGORY_ICON: Record<StatusCategory, string> = {
  active: "○",
  wip: "◐",
  done: "✓",
  frozen: "❄",
  unspecified: "◇",
};

/** The icon of a custom status: its category's (◇ without one). */
export function categoryIcon(category: StatusCategory): string {
  return CATEGORY_ICON[category];
}

const NAME = /^[a-z][a-z0-9_-]*$/;
export const MAX_CUSTOM_STATUSES = 50;

/**
 * Parses a `status.custom` value (`a,b:wip,c:done`) into custom statuses, or throws VALIDATION
 * naming the first bad entry. An empty value means none.
 */
export function parseCustomStatuses(value: string): CustomStatus[] {
  const out: CustomStatus[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(":");
    const name = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const category = colon < 0 ? "unspecified" : entry.slice(colon + 1).trim();
    if (colon >= 0 && !(STATUS_CATEGORIES as readonly string[]).includes(category)) {
      throw validation(
        category
          ? `invalid category "${category}" for status "${name}": use one of ${STATUS_CATEGORIES.join(", ")}`
          : `invalid custom status "${entry}": a colon must be followed by a category (${
            STATUS_CATEGORIES.join(", ")
          })`,
      );
    }
    if (!NAME.test(name)) {
      throw validation(
        `invalid status name "${name}": use lowercase letters, digits, "_" and "-", starting with a letter`,
      );
    }
    if ((STATUSES as readonly string[]).includes(name)) {
      throw validation(`custom status "${name}" is a built-in status; built-in statuses keep their meaning`);
    }
    if (seen.has(name)) throw validation(`custom status "${name}" is listed twice`);
    seen.add(name);
    out.push({ name, category: category as StatusCategory });
  }
  if (out.length > MAX_CUSTOM_STATUSES) {
    throw validation(`too many custom statuses (${out.length}; the maximum is ${MAX_CUSTOM_STATUSES})`);
  }
  return out;
}

/**
 * The custom statuses a stored value gives, skipping entries that are not valid (a value written
 * by another program or an older bd that did not check it); never throws.
 */
export function parseCustomStatusesLeniently(value: string): CustomStatus[] {
  const out: CustomStatus[] = [];
  for (const entry of value.split(",")) {
    try {
      const [one] = parseCustomStatuses(entry);
      if (one && !out.some((s) => s.name === one.name)) out.push(one);
    } catch {
      // A bad entry gives no status; `bd doctor` reports statuses in use that nothing configures.
    }
  }
  return out.slice(0, MAX_CUSTOM_STATUSES);
}

/** The category of a status: a built-in's, a configured one's, or undefined when nothing configures it. */
export function categoryOf(status: string, custom: readonly CustomStatus[]): StatusCategory | undefined {
  return BUILT_IN_STATUSES.find((s) => s.name === status)?.category ??
    custom.find((s) => s.name === status)?.category;
}

/** True when a status is terminal (closed, or a custom `done` one): it blocks nothing. */
export function isDoneStatus(status: string, custom: readonly CustomStatus[]): boolean {
  return categoryOf(status, custom) === "done";
}
