/** Reading issues: show and list (their own module: start-up loads only the command that runs, issue 31). */
import { BdError, validation } from "../../model/errors.ts";
import type { ListSort } from "../../model/types.ts";
import type { IssueDetails } from "../../core/service.ts";
import { currentIssue, rememberTouched } from "../../core/last_touched.ts";
import type { Command, Context } from "../command.ts";
import { issueDetailsText, listLine, SEPARATOR, treeLines } from "../format.ts";
import { emitResults, FILTER_FLAGS, filterFrom, int, list, RANGE_FLAGS, str } from "./util.ts";

const SECTION = "Working With Issues";

const show: Command = {
  path: ["show"],
  aliases: [["view"]],
  section: SECTION,
  summary: "Show issues with their dependencies, labels and comments",
  args: "[ID...] [--id ID...] [--current]",
  description: `IDs may be partial (the hash without prefix, or a unique part). --json prints an array.
--id names an ID that looks like a flag (--id=gt--xyz). --current shows the issue you have in
progress, else the last-touched one (the most recent create, update, show or close here).`,
  flags: {
    id: { type: "string", value: "ID", help: "an issue ID (repeatable; for IDs that look like flags)", multiple: true },
    current: { type: "boolean", help: "the issue in progress for you (else the last-touched one)" },
    short: { type: "boolean", help: "one line per issue" },
    long: { type: "boolean", help: "every field, also the ones bd keeps from imports (extra)" },
    refs: { type: "boolean", help: "the issues that refer to it (its dependents, of every type)" },
    children: { type: "boolean", help: "only its children" },
  },
  run(ctx, given, flags) {
    const named = [...given, ...(list(flags, "id") ?? [])];
    if (flags.current === true && named.length) {
      throw new BdError("USAGE", "--current cannot be combined with explicit issue IDs");
    }
    if (flags.current !== true && named.length === 0) {
      throw new BdError("USAGE", "at least one issue ID is required (use positional args, --id flag, or --current)");
    }
    const beads = ctx.beads();
    const args = named.length ? named : [currentIssue(beads)];
    const found: IssueDetails[] = [];
    let failed = 0;
    for (const id of args) {
      try {
        found.push(beads.details([id])[0]);
      } catch (e) {
        if (!(e instanceof BdError)) throw e;
        failed++;
        ctx.out.error(e);
      }
    }
    if (found.length) rememberTouched(beads, found[found.length - 1].id);
    if (flags.refs === true || flags.children === true) {
      showRelated(ctx, found, flags.children === true);
    } else if (ctx.globals.json) emitResults(ctx, found, failed ? 1 : 0);
    else if (flags.short === true) {
      for (const d of found) {
        ctx.out.line(
          listLine(ctx.out, {
            ...d,
            dependency_count: d.dependencies.filter((x) => x.dependency_type === "blocks").length,
            dependent_count: d.dependents.filter((x) => x.dependency_type === "blocks").length,
          }),
        );
      }
    } else {
      const started = beads.startedAt(found.map((d) => d.id));
      found.forEach((d, i) => {
        if (i) ctx.out.line(`\n${SEPARATOR}\n`);
        for (const l of issueDetailsText(ctx.out, d, started.get(d.id))) ctx.out.line(l);
        if (flags.long === true) { for (const l of longFields(d)) ctx.out.line(l); }
      });
    }
    return failed ? 1 : 0;
  },
};

/** `show --refs` / `--children`: the issues that refer to each shown issue, or its children only. */
function showRelated(ctx: Context, details: IssueDetails[], childrenOnly: boolean): void {
  const children = childrenOnly ? ctx.beads().childrenOf(details.map((d) => d.id)) : undefined;
  const rows = children
    ? details.flatMap((d) =>
      ctx.beads().issuesById(children.get(d.id) ?? []).map((i) => ({ ...i, dependency_type: "parent-child", of: d.id }))
    )
    : details.flatMap((d) => d.dependents.map((x) => ({ ...x, of: d.id })));
  if (ctx.globals.json) return ctx.out.data(rows);
  if (details.length && rows.length === 0) ctx.out.line(childrenOnly ? "No children." : "Nothing refers to it.");
  for (const r of rows) {
    ctx.out.line(`${r.id}: ${r.title} [${r.status}] (${r.dependency_type} → ${r.of})`);
  }
}

/** `show --long`: the fields the details leave out. */
function longFields(d: IssueDetails): string[] {
  const shown = new Set([
    "id",
    "title",
    "status",
    "priority",
    "issue_type",
    "created_by",
    "assignee",
    "created_at",
    "updated_at",
    "estimated_minutes",
    "due_at",
    "defer_until",
    "close_reason",
    "external_ref",
    "description",
    "design",
    "notes",
    "acceptance_criteria",
    "labels",
    "dependencies",
    "dependents",
    "comments",
  ]);
  const rest = Object.entries(d).filter(([k, v]) => !shown.has(k) && v !== undefined && v !== "");
  return rest.length
    ? ["", "ALL OTHER FIELDS", ...rest.map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)]
    : [];
}

const SORTS: ListSort[] = ["priority", "created", "updated", "id", "title", "status"];

const listCmd: Command = {
  path: ["list"],
  aliases: [["ls"]],
  section: SECTION,
  summary: "List issues (not closed, unless --all or --status)",
  maxArgs: 0,
  description: `Ordered by priority then newest first; at most 50 rows unless --limit (0 = all).
--status all (or --all) includes closed issues; an unknown status or type is an error that names
the valid ones. --tree shows the listed issues under their parents, in list order. An issue's
parent is its parent-child edge; only an issue without one hangs under the parent its ID names
(P.3 under P), as upstream bd decides it. --parent ID lists the descendants by the same rule.

With --json each row carries dependency_count and dependent_count: its blocks edges out and in,
counted as upstream bd counts them (related, parent-child and other edges are not counted; bd show
lists every edge). Dates (--created-after, --due-before, ...) take +6h, -1d, +2w, 3m (months),
1y, tomorrow, next monday, or 2025-01-15.`,
  flags: {
    ...FILTER_FLAGS,
    ...RANGE_FLAGS,
    all: { type: "boolean", help: "include closed issues" },
    limit: { type: "string", short: "n", value: "N", help: "at most N rows (default 50; 0 = all)" },
    sort: { type: "string", value: "KEY", help: `order by ${SORTS.join(", ")} (default priority)` },
    reverse: { type: "boolean", short: "r", help: "reverse the order" },
    ready: { type: "boolean", help: "only ready issues (the rule of bd ready)" },
    "no-labels": { type: "boolean", help: "only issues with no labels" },
    "skip-labels": { type: "boolean", help: "do not read labels (faster; labels come out empty)" },
    overdue: { type: "boolean", help: "only issues whose due time has passed" },
    deferred: { type: "boolean", help: "only issues with a defer time set" },
    tree: { type: "boolean", help: "show the listed issues as a parent/child tree (text output)" },
    flat: { type: "boolean", help: "one line per issue, in order (the default)" },
    format: { type: "string", value: "FMT", help: "text (default), or dot / mermaid: the listed issues as a graph" },
  },
  async run(ctx, _args, flags) {
    const sort = (str(flags, "sort") ?? "priority") as ListSort;
    if (!SORTS.includes(sort)) throw validation(`invalid --sort "${sort}": use one of ${SORTS.join(", ")}`);
    const filter = await filterFrom(flags);
    if (flags.all === true) filter.includeClosed = true;
    const limit = int(flags, "limit", 50)!;
    const beads = ctx.beads();
    if (
      flags["skip-labels"] === true && (filter.labels || filter.labelsAny || filter.excludeLabels || filter.noLabels)
    ) {
      throw new BdError("USAGE", "--skip-labels cannot be combined with a label filter");
    }
    const { issues, truncated } = flags.ready === true
      ? { issues: beads.ready({ ...filter, sort: "priority", limit }), truncated: false }
      : beads.list(filter, { sort, reverse: flags.reverse === true, limit });
    if (truncated) ctx.out.note(`\nShowing ${limit} issues (use --limit 0 for all)`);
    const format = str(flags, "format") ?? "text";
    if (format === "dot" || format === "mermaid") {
      const { collectGraph, renderGraph } = await import("../../core/graph_render.ts");
      return ctx.out.line(renderGraph(collectGraph(beads, { issues }), format));
    }
    if (format !== "text") throw new BdError("USAGE", `invalid --format "${format}": use text, dot or mermaid`);
    // --skip-labels reads no labels or edge counts: the rows carry empty ones.
    const rows = flags["skip-labels"] === true
      ? issues.map((i) => ({ ...i, labels: [] as string[], dependency_count: 0, dependent_count: 0 }))
      : beads.decorate(issues);
    if (ctx.globals.json) return ctx.out.data(rows);
    // bd prints nothing at all for an empty list.
    if (flags.tree === true && flags.flat !== true) {
      for (const line of treeLines(rows, beads.parentsOf(rows.map((i) => i.id)), (i) => listLine(ctx.out, i))) {
        ctx.out.line(line);
      }
      return;
    }
    for (const i of rows) ctx.out.line(listLine(ctx.out, i));
  },
};

export const viewCommands: Command[] = [show, listCmd];
