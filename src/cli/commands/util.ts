/** Helpers shared by command implementations: flag conversion and multi-ID processing. */
import { BdError, validation } from "../../model/errors.ts";
import { parseUserTime } from "../../model/time_input.ts";
import { parsePriority } from "../../model/validate.ts";
import type { Dependency, IssueFilter } from "../../model/types.ts";
import type { Context, Flag, Values } from "../command.ts";

/** Returns a string flag's value (last one wins when repeated). */
export function str(flags: Values, name: string): string | undefined {
  const v = flags[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === "string" ? v : undefined;
}

/** Returns every value of a repeatable, comma-separable flag. */
export function list(flags: Values, name: string): string[] | undefined {
  const v = flags[name];
  if (v === undefined || typeof v === "boolean") return undefined;
  const items = (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
  return items;
}

/** Returns a whole-number flag (or `fallback`), rejecting anything else with a clear message. */
export function int(flags: Values, name: string, fallback?: number): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim())) throw new BdError("USAGE", `--${name} takes a whole number ≥ 0, got "${v}"`);
  return Number(v);
}

/** Returns the value of a text flag, or the contents of `--X-file PATH` (`-` = stdin). */
export function textOrFile(ctx: Context, flags: Values, name: string, fileFlag: string): string | undefined {
  const file = str(flags, fileFlag);
  if (file !== undefined) {
    if (file === "-") return ctx.readStdin();
    try {
      return ctx.readFile(file);
    } catch (e) {
      if (e instanceof BdError) throw e;
      throw validation(`cannot read --${fileFlag} ${file}: ${(e as Error).message}`);
    }
  }
  return str(flags, name);
}

/** The filter flags shared by list, count, search, stale and ready. */
export const FILTER_FLAGS: Record<string, Flag> = {
  status: { type: "string", short: "s", value: "S[,S]", help: "only these statuses", multiple: true },
  priority: {
    type: "string",
    short: "p",
    value: "P[,P]",
    help: "only these priorities (0-4 or P0-P4)",
    multiple: true,
  },
  type: { type: "string", short: "t", value: "T[,T]", help: "only these issue types", multiple: true },
  assignee: { type: "string", short: "a", value: "NAME", help: "only issues assigned to NAME" },
  unassigned: { type: "boolean", help: "only issues with no assignee" },
  label: { type: "string", short: "l", value: "L[,L]", help: "only issues with all of these labels", multiple: true },
  "label-any": { type: "string", value: "L[,L]", help: "only issues with any of these labels", multiple: true },
  "exclude-label": { type: "string", value: "L[,L]", help: "no issue with any of these labels", multiple: true },
  "exclude-type": { type: "string", value: "T[,T]", help: "no issue of these types", multiple: true },
};

export const RANGE_FLAGS: Record<string, Flag> = {
  title: { type: "string", value: "TEXT", help: "title contains TEXT (case-insensitive)" },
  id: { type: "string", value: "ID[,ID]", help: "only these IDs", multiple: true },
  parent: { type: "string", value: "ID", help: "only descendants of this issue (epic)" },
  "priority-min": { type: "string", value: "P", help: "priority at least P (numerically)" },
  "priority-max": { type: "string", value: "P", help: "priority at most P (numerically)" },
  "created-after": { type: "string", value: "DATE", help: "created on/after DATE" },
  "created-before": { type: "string", value: "DATE", help: "created on/before DATE" },
  "updated-after": { type: "string", value: "DATE", help: "updated on/after DATE" },
  "updated-before": { type: "string", value: "DATE", help: "updated on/before DATE" },
  "closed-after": { type: "string", value: "DATE", help: "closed on/after DATE" },
  "closed-before": { type: "string", value: "DATE", help: "closed on/before DATE" },
  "due-after": { type: "string", value: "DATE", help: "due on/after DATE" },
  "due-before": { type: "string", value: "DATE", help: "due on/before DATE" },
  "defer-after": { type: "string", value: "DATE", help: "deferred until on/after DATE" },
  "defer-before": { type: "string", value: "DATE", help: "deferred until on/before DATE" },
};

/** Returns the IssueFilter described by the filter flags. */
export async function filterFrom(flags: Values): Promise<IssueFilter> {
  const f: IssueFilter = {};
  const statuses = list(flags, "status");
  // Upstream's --status all means every status (as --all).
  if (statuses?.length === 1 && statuses[0] === "all") f.includeClosed = true;
  else if (statuses?.length) f.status = statuses;
  const prios = list(flags, "priority");
  if (prios?.length) f.priority = prios.map(parsePriority);
  const types = list(flags, "type");
  if (types?.length) f.type = types;
  if (str(flags, "assignee") !== undefined) f.assignee = str(flags, "assignee");
  if (flags.unassigned === true) f.unassigned = true;
  const labels = list(flags, "label");
  if (labels?.length) f.labels = labels;
  const any = list(flags, "label-any");
  if (any?.length) f.labelsAny = any;
  const notLabels = list(flags, "exclude-label");
  if (notLabels?.length) f.excludeLabels = notLabels;
  const notTypes = list(flags, "exclude-type");
  if (notTypes?.length) f.excludeTypes = notTypes;
  if (flags["no-labels"] === true) f.noLabels = true;
  if (flags.overdue === true) f.overdue = true;
  if (flags.deferred === true) f.deferred = true;
  if (str(flags, "title")) f.titleContains = str(flags, "title");
  const ids = list(flags, "id");
  if (ids?.length) f.ids = ids;
  if (str(flags, "parent")) f.parent = str(flags, "parent");
  if (str(flags, "priority-min") !== undefined) f.priorityMin = parsePriority(str(flags, "priority-min")!);
  if (str(flags, "priority-max") !== undefined) f.priorityMax = parsePriority(str(flags, "priority-max")!);
  const date = (name: string) =>
    str(flags, name) === undefined ? undefined : parseUserTime(str(flags, name)!, `--${name}`);
  f.createdAfter = await date("created-after");
  f.createdBefore = await date("created-before");
  f.updatedAfter = await date("updated-after");
  f.updatedBefore = await date("updated-before");
  f.closedAfter = await date("closed-after");
  f.closedBefore = await date("closed-before");
  f.dueAfter = await date("due-after");
  f.dueBefore = await date("due-before");
  f.deferAfter = await date("defer-after");
  f.deferBefore = await date("defer-before");
  for (const k of Object.keys(f) as (keyof IssueFilter)[]) if (f[k] === undefined) delete f[k];
  return f;
}

/**
 * Runs `fn` for every ID inside one transaction (each ID in its own savepoint): successes are
 * kept and returned, each failure is reported on stderr. Returns [results, exit code].
 */
export function forEachId<T>(ctx: Context, ids: string[], fn: (id: string) => T): [T[], number] {
  const results: T[] = [];
  let failed = 0;
  ctx.beads().mutate(() => {
    for (const id of ids) {
      try {
        results.push(fn(id));
      } catch (e) {
        if (!(e instanceof BdError)) throw e;
        failed++;
        ctx.out.error(e.message.includes(id) ? e : new BdError(e.code, `${id}: ${e.message}`));
      }
    }
  });
  return [results, failed ? 1 : 0];
}

/** Prints the successes of a multi-ID command as JSON; prints nothing when every ID failed. */
export function emitResults(ctx: Context, results: unknown[], code: number): void {
  if (results.length > 0 || code === 0) ctx.out.data(results);
}

/** Runs `fn` for every ID (see forEachId) and prints the JSON array or one line per issue; returns the exit code. */
export function eachIssue<T>(ctx: Context, ids: string[], fn: (id: string) => T, line: (result: T) => string): number {
  const [results, code] = forEachId(ctx, ids, fn);
  if (ctx.globals.json) emitResults(ctx, results, code);
  else for (const r of results) ctx.out.line(line(r));
  return code;
}

/** The JSON of `dep add`/`dep remove` (contract §3): status and the edge. */
export function edgeResult(status: "added" | "removed", dep: Dependency) {
  return { status, issue_id: dep.issue_id, depends_on_id: dep.depends_on_id, type: dep.type };
}
