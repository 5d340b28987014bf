/** Commands about what to work on and how things stand: ready, blocked, search, stats, ... */
import { BdError, validation } from "../../model/errors.ts";
import type { ReadySort } from "../../model/types.ts";
import type { Command } from "../command.ts";
import { issueTable } from "../format.ts";
import { table } from "../output.ts";
import { FILTER_FLAGS, filterFrom, int, RANGE_FLAGS, str } from "./util.ts";

const SECTION = "Finding work";
const READY_SORTS: ReadySort[] = ["hybrid", "priority", "oldest"];

const ready: Command = {
  path: ["ready"],
  section: SECTION,
  summary: "Show ready work: open, unblocked, not deferred",
  maxArgs: 0,
  description: `An issue is blocked while it has a 'blocks' dependency on an issue that is not closed,
or while a parent (parent-child) is blocked. Default order 'hybrid': issues created in the last
48 hours first by priority, then older ones oldest first.
  bd ready --json --limit 1
  bd ready --claim --json        # atomically claim the first ready issue`,
  flags: {
    limit: { type: "string", short: "n", value: "N", help: "at most N issues (default 10; 0 = all)" },
    priority: FILTER_FLAGS.priority,
    assignee: FILTER_FLAGS.assignee,
    unassigned: FILTER_FLAGS.unassigned,
    label: FILTER_FLAGS.label,
    "label-any": FILTER_FLAGS["label-any"],
    type: FILTER_FLAGS.type,
    parent: RANGE_FLAGS.parent,
    sort: { type: "string", value: "KEY", help: "hybrid (default), priority or oldest" },
    claim: { type: "boolean", help: "claim the first ready issue atomically and print it" },
  },
  run(ctx, _args, flags) {
    const sort = (str(flags, "sort") ?? "hybrid") as ReadySort;
    if (!READY_SORTS.includes(sort)) throw validation(`invalid --sort "${sort}": use hybrid, priority or oldest`);
    const filter = filterFrom(flags);
    const beads = ctx.beads();
    if (flags.claim) {
      const claimed = beads.claimNextReady({ ...filter, sort });
      if (ctx.globals.json) return ctx.out.data(claimed ? [claimed] : []);
      if (!claimed) return ctx.out.line("No ready work to claim.");
      return ctx.out.line(`${ctx.out.paint("green", "✓")} Claimed ${claimed.id}: ${claimed.title}`);
    }
    const issues = beads.withLabels(beads.ready({ ...filter, sort, limit: int(flags, "limit", 10) }));
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line("No ready work. (bd blocked shows what is waiting.)");
    ctx.out.line(`Ready work (${issues.length}):`);
    issueTable(ctx.out, issues).forEach((l) => ctx.out.line(`  ${l}`));
  },
};

const blocked: Command = {
  path: ["blocked"],
  section: SECTION,
  summary: "Show issues waiting on open blockers",
  maxArgs: 0,
  flags: { parent: RANGE_FLAGS.parent },
  run(ctx, _args, flags) {
    const issues = ctx.beads().blocked(filterFrom(flags));
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line("No blocked issues.");
    ctx.out.line(`Blocked issues (${issues.length}):`);
    issueTable(
      ctx.out,
      issues,
      (i) => ctx.out.paint("gray", `  ⟵ ${(i.blocked_by as string[]).join(", ") || "parent blocked"}`),
    )
      .forEach((l) => ctx.out.line(`  ${l}`));
  },
};

const search: Command = {
  path: ["search"],
  section: SECTION,
  summary: "Find issues whose ID, title, description or notes contain text",
  args: "QUERY",
  minArgs: 1,
  description: "Case-insensitive substring search; closed issues are included unless --status says otherwise.",
  flags: {
    ...FILTER_FLAGS,
    limit: { type: "string", short: "n", value: "N", help: "at most N results (default 50; 0 = all)" },
  },
  run(ctx, args, flags) {
    const filter = filterFrom(flags);
    if (!filter.status) filter.includeClosed = true;
    const beads = ctx.beads();
    const issues = beads.decorate(beads.search(args.join(" "), filter, int(flags, "limit", 50)!));
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line("No issues found.");
    issueTable(ctx.out, issues).forEach((l) => ctx.out.line(l));
  },
};

const stats: Command = {
  path: ["stats"],
  section: SECTION,
  summary: "Show counts: total, open, in progress, closed, blocked, ready, lead time",
  maxArgs: 0,
  run(ctx) {
    const s = ctx.beads().stats();
    if (ctx.globals.json) return ctx.out.data({ ...s, summary: s });
    ctx.out.line("Issue statistics:");
    table([
      ["  Total:", String(s.total_issues)],
      ["  Open:", String(s.open_issues)],
      ["  In progress:", String(s.in_progress_issues)],
      ["  Closed:", String(s.closed_issues)],
      ["  Blocked:", String(s.blocked_issues)],
      ["  Deferred:", String(s.deferred_issues)],
      ["  Ready:", String(s.ready_issues)],
      ["  Avg lead time:", `${s.average_lead_time_hours} hours`],
    ]).forEach((l) => ctx.out.line(l));
  },
};

const GROUPS = {
  "by-status": "status",
  "by-priority": "priority",
  "by-type": "issue_type",
  "by-assignee": "assignee",
  "by-label": "label",
} as const;

const count: Command = {
  path: ["count"],
  section: SECTION,
  summary: "Count issues matching filters (optionally grouped)",
  maxArgs: 0,
  description: 'Counts every status unless --status is given. --json: {"count":N}, or {"total":N,"groups":[...]}',
  flags: {
    ...FILTER_FLAGS,
    ...RANGE_FLAGS,
    "by-status": { type: "boolean", help: "group by status" },
    "by-priority": { type: "boolean", help: "group by priority" },
    "by-type": { type: "boolean", help: "group by issue type" },
    "by-assignee": { type: "boolean", help: "group by assignee" },
    "by-label": { type: "boolean", help: "group by label" },
  },
  run(ctx, _args, flags) {
    const filter = { ...filterFrom(flags), includeClosed: true };
    const chosen = (Object.keys(GROUPS) as (keyof typeof GROUPS)[]).filter((k) => flags[k] === true);
    if (chosen.length > 1) {
      throw new BdError("USAGE", "choose one of --by-status, --by-priority, --by-type, --by-assignee, --by-label");
    }
    const beads = ctx.beads();
    const total = beads.count(filter);
    if (chosen.length === 0) {
      if (ctx.globals.json) return ctx.out.data({ count: total });
      return ctx.out.line(String(total));
    }
    const groups = beads.countBy(filter, GROUPS[chosen[0]]).map((g) => ({ group: g.key, count: g.count }));
    if (ctx.globals.json) return ctx.out.data({ total, groups });
    ctx.out.line(`Total: ${total}`);
    table(groups.map((g) => [`  ${g.group || "(none)"}:`, String(g.count)])).forEach((l) => ctx.out.line(l));
  },
};

const stale: Command = {
  path: ["stale"],
  section: SECTION,
  summary: "Show active issues not updated for N days",
  maxArgs: 0,
  flags: {
    days: { type: "string", short: "d", value: "N", help: "days without an update (default 30)" },
    status: FILTER_FLAGS.status,
    limit: { type: "string", short: "n", value: "N", help: "at most N issues (default 50; 0 = all)" },
  },
  run(ctx, _args, flags) {
    const days = int(flags, "days", 30)!;
    const issues = ctx.beads().stale(days, filterFrom(flags), int(flags, "limit", 50)!);
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line(`No issues untouched for ${days} days.`);
    issueTable(ctx.out, issues, (i) => ctx.out.paint("gray", `  (updated ${i.updated_at})`)).forEach((l) =>
      ctx.out.line(l)
    );
  },
};

const epicStatus: Command = {
  path: ["epic", "status"],
  section: SECTION,
  summary: "Show open epics with their children's progress",
  maxArgs: 0,
  flags: { "eligible-only": { type: "boolean", help: "only epics whose children are all closed" } },
  run(ctx, _args, flags) {
    let rows = ctx.beads().epicStatus();
    if (flags["eligible-only"]) rows = rows.filter((r) => r.eligible_for_close);
    if (ctx.globals.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No open epics.");
    table(rows.map((r) => [
      ctx.out.paint("cyan", r.epic.id),
      `${r.closed_children}/${r.total_children} closed`,
      r.eligible_for_close ? ctx.out.paint("green", "ready to close") : "",
      r.epic.title,
    ])).forEach((l) => ctx.out.line(l));
  },
};

export const workCommands: Command[] = [ready, blocked, search, stats, count, stale, epicStatus];
