/** Commands about how things stand: blocked, search, stats, count, stale, epic, triage. */
import { BdError } from "../../model/errors.ts";
import type { Command } from "../command.ts";
import { priority } from "../format.ts";
import { FILTER_FLAGS, filterFrom, int, RANGE_FLAGS } from "./util.ts";

const SECTION = "Additional Commands";
const REPORTS = "Views & Reports";

const blocked: Command = {
  path: ["blocked"],
  section: SECTION,
  summary: "Show issues waiting on open blockers",
  maxArgs: 0,
  flags: { parent: RANGE_FLAGS.parent },
  async run(ctx, _args, flags) {
    const issues = ctx.beads().blocked(await filterFrom(flags));
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line("\n✨ No blocked issues\n");
    ctx.out.line(`\n🚫 Blocked issues (${issues.length}):\n`);
    for (const i of issues) {
      ctx.out.line(`[${priority(ctx.out, i.priority)}] ${ctx.out.paint("cyan", i.id)}: ${i.title}`);
      const by = i.blocked_by as string[];
      ctx.out.line(
        by.length ? `  Blocked by ${by.length} open dependencies: [${by.join(" ")}]` : "  Blocked through its parent",
      );
      ctx.out.line("");
    }
  },
};

const search: Command = {
  path: ["search"],
  section: "Working With Issues",
  summary: "Find issues whose ID, title, description or notes contain text",
  args: "QUERY",
  minArgs: 1,
  missingArgs: "search query is required",
  description: "Case-insensitive substring search; closed issues are included unless --status says otherwise.",
  flags: {
    ...FILTER_FLAGS,
    limit: { type: "string", short: "n", value: "N", help: "at most N results (default 50; 0 = all)" },
  },
  async run(ctx, args, flags) {
    const filter = await filterFrom(flags);
    if (!filter.status) filter.includeClosed = true;
    const beads = ctx.beads();
    const query = args.join(" ");
    const issues = beads.decorate(beads.search(query, filter, int(flags, "limit", 50)!));
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line(`No issues found matching '${query}'`);
    ctx.out.line(`Found ${issues.length} issues matching '${query}':`);
    for (const i of issues) {
      const who = i.assignee ? ` @${i.assignee}` : "";
      const labels = i.labels.length ? ` [${i.labels.join(" ")}]` : "";
      ctx.out.line(
        `${ctx.out.paint("cyan", i.id)} [P${i.priority}] [${i.issue_type}] ${i.status}${who}${labels} - ${i.title}`,
      );
    }
  },
};

const stats: Command = {
  path: ["stats"],
  aliases: [["status"]],
  section: REPORTS,
  summary: "Show counts: total, open, in progress, closed, blocked, ready, lead time",
  maxArgs: 0,
  run(ctx) {
    const s = ctx.beads().stats();
    if (ctx.globals.json) return ctx.out.data({ ...s, summary: s });
    // bd's layout: values start at column 27.
    const row = (label: string, value: unknown) => ctx.out.line(`  ${label}:`.padEnd(26) + String(value));
    ctx.out.line("\n📊 Issue Database Status\n");
    ctx.out.line("Summary:");
    row("Total Issues", s.total_issues);
    row("Open", s.open_issues);
    row("In Progress", s.in_progress_issues);
    row("Blocked", s.blocked_issues);
    row("Closed", s.closed_issues);
    row("Ready to Work", s.ready_issues);
    ctx.out.line("\nExtended:");
    row("Deferred", s.deferred_issues);
    row("Avg Lead Time", `${s.average_lead_time_hours} hours`);
    ctx.out.line("\nFor more details, use 'bd list' to see individual issues.\n");
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
  section: REPORTS,
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
  async run(ctx, _args, flags) {
    const filter = { ...(await filterFrom(flags)), includeClosed: true };
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
    ctx.out.line(`Total: ${total}\n`);
    for (const g of groups) ctx.out.line(`${g.group || "(none)"}: ${g.count}`);
  },
};

const stale: Command = {
  path: ["stale"],
  section: REPORTS,
  summary: "Show active issues not updated for N days",
  maxArgs: 0,
  flags: {
    days: { type: "string", short: "d", value: "N", help: "days without an update (default 30)" },
    status: FILTER_FLAGS.status,
    limit: { type: "string", short: "n", value: "N", help: "at most N issues (default 50; 0 = all)" },
  },
  async run(ctx, _args, flags) {
    const days = int(flags, "days", 30)!;
    const issues = ctx.beads().stale(days, await filterFrom(flags), int(flags, "limit", 50)!);
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) return ctx.out.line("\n✨ No stale issues found (all active)\n");
    ctx.out.line(`\n⏰ Stale issues (${issues.length} not updated in ${days}+ days):\n`);
    issues.forEach((i, n) => {
      const ago = Math.floor((Date.now() - Date.parse(i.updated_at)) / 86_400_000);
      ctx.out.line(`${n + 1}. [${priority(ctx.out, i.priority)}] ${ctx.out.paint("cyan", i.id)}: ${i.title}`);
      ctx.out.line(`   Status: ${i.status}, Last updated: ${ago} days ago`);
    });
    ctx.out.line("");
  },
};

const epicStatus: Command = {
  path: ["epic", "status"],
  section: "Dependencies & Structure",
  summary: "Show open epics with their children's progress",
  maxArgs: 0,
  flags: { "eligible-only": { type: "boolean", help: "only epics whose children are all closed" } },
  run(ctx, _args, flags) {
    let rows = ctx.beads().epicStatus();
    if (flags["eligible-only"]) rows = rows.filter((r) => r.eligible_for_close);
    if (ctx.globals.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No open epics found");
    for (const r of rows) {
      const pct = r.total_children ? Math.floor((r.closed_children * 100) / r.total_children) : 0;
      ctx.out.line(`${r.eligible_for_close ? "✓" : "○"} ${ctx.out.paint("cyan", r.epic.id)} ${r.epic.title}`);
      ctx.out.line(`   Progress: ${r.closed_children}/${r.total_children} children closed (${pct}%)`);
      if (r.eligible_for_close) ctx.out.line(ctx.out.paint("green", "   Eligible for closure"));
    }
  },
};

const triageCmd: Command = {
  path: ["triage"],
  section: REPORTS,
  summary: "What to work on to unblock the most: critical path, bottlenecks, quick wins",
  maxArgs: 0,
  description: `Over the open work (not closed) and what blocks it — 'blocks' dependencies, and a blocked
parent blocking its children, as the ready rule has it ('related' and 'discovered-from' block
nothing):
  critical_path  the longest chain of open issues each blocked by the previous one, from the one
                 that can start first to the end
  bottlenecks    open issues by how many open issues they block, transitively (unblocks), with the
                 issues that depend on them directly (blocks)
  quick_wins     ready issues that unblock the most
  stale          in-progress issues not updated for --stale-days days
  cycles         dependency cycles, if any
  epics          open epics: open issues under them (remaining) and their own critical path

Examples:
  bd triage
  bd triage --json | jq '.quick_wins[0].id'     # the one ready issue that frees the most work
  bd ready --sort impact --claim --json         # claim it`,
  flags: {
    limit: { type: "string", short: "n", value: "N", help: "rows per list (default 10; 0 = all)" },
    "stale-days": { type: "string", value: "N", help: "in progress and not updated for N days is stale (default 3)" },
  },
  run(ctx, _args, flags) {
    const t = ctx.beads().triage({ limit: int(flags, "limit", 10), staleDays: int(flags, "stale-days", 3) });
    if (ctx.globals.json) return ctx.out.data(t);
    const o = ctx.out;
    const row = (i: { id: string; title: string; priority: number; status: string }) =>
      `[${priority(o, i.priority)}] ${o.paint("cyan", i.id)} ${i.status}: ${i.title}`;
    o.line(`\n🔎 Triage: ${t.open} open, ${t.ready} ready, ${t.blocked} blocked, ${t.in_progress} in progress\n`);
    o.line(`Critical path (${t.critical_path.length} issues, each blocked by the one before):`);
    if (t.critical_path.length === 0) o.line("  (no open issues)");
    t.critical_path.forEach((i, n) => o.line(`  ${n + 1}. ${row(i)}`));
    o.line("\nBottlenecks (open issues they block, transitively):");
    if (t.bottlenecks.length === 0) o.line("  (nothing blocks anything)");
    for (const b of t.bottlenecks) {
      o.line(`  ${String(b.unblocks).padStart(4)}  ${row(b)}${b.assignee ? ` (${b.assignee})` : ""}`);
      o.line(`        blocks: ${b.blocks.join(" ")}`);
    }
    o.line("\nQuick wins (ready, unblock the most):");
    if (t.quick_wins.length === 0) o.line("  (no ready issue unblocks anything)");
    for (const q of t.quick_wins) o.line(`  ${String(q.unblocks).padStart(4)}  ${row(q)}`);
    if (t.stale.length) {
      o.line(`\nStale (in progress, not updated for ${t.stale_days}+ days):`);
      for (const s of t.stale) {
        o.line(`  ${String(s.days_stale).padStart(3)}d  ${row(s)}${s.assignee ? ` (${s.assignee})` : ""}`);
      }
    }
    if (t.cycles.length) {
      o.line("\nCycles (nothing in them can become ready):");
      for (const c of t.cycles) o.line(`  ${c.join(" → ")} → ${c[0]}`);
    }
    if (t.epics.length) {
      o.line("\nEpics:");
      for (const e of t.epics) {
        o.line(`  ${o.paint("cyan", e.id)} ${e.title}: ${e.remaining} open, critical path ${e.critical_path.length}`);
      }
    }
    o.line("");
  },
};

export const workCommands: Command[] = [blocked, search, stats, count, stale, epicStatus, triageCmd];
