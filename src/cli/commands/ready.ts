/** bd ready: what to work on next (its own module: start-up loads only the command that runs, issue 31). */
import { BdError, validation } from "../../model/errors.ts";
import type { ReadySort } from "../../model/types.ts";
import type { Command } from "../command.ts";
import { priority } from "../format.ts";
import { FILTER_FLAGS, filterFrom, int, RANGE_FLAGS, str } from "./util.ts";
import { claimLease } from "../../core/leases.ts";

const SECTION = "Additional Commands";
const READY_SORTS: ReadySort[] = ["hybrid", "priority", "oldest", "impact"];

const ready: Command = {
  path: ["ready"],
  section: SECTION,
  summary: "Show ready work: open, unblocked, not deferred",
  maxArgs: 0,
  description: `An issue is blocked while it has a 'blocks' dependency on an issue that is not closed,
or while a parent (parent-child) is blocked. Default order 'hybrid': issues created in the last
48 hours first by priority, then older ones oldest first. 'impact': the issues that unblock the
most open issues (transitively) first, then by priority, then oldest; each carries "unblocks".
--explain says why each issue is ready and what blocks each blocked one; with --json
{"ready": [issue + "why"], "blocked": [issue + "why", "blocked_by", "through_parent"]}.
  bd ready --json --limit 1
  bd ready --sort impact --limit 5   # what to do to unblock the most
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
    "exclude-label": FILTER_FLAGS["exclude-label"],
    "exclude-type": FILTER_FLAGS["exclude-type"],
    "include-deferred": { type: "boolean", help: "also issues whose defer time is still ahead" },
    explain: { type: "boolean", help: "say why each issue is ready, and what blocks each blocked one" },
    sort: { type: "string", value: "KEY", help: "hybrid (default), priority, oldest or impact" },
    claim: { type: "boolean", help: "claim the first ready issue (in --sort order) atomically and print it" },
    lease: {
      type: "string",
      value: "D",
      help:
        "with --claim: the claim lapses after D (90s, 30m, 4h, 1d) unless renewed by bd heartbeat; default config claim.lease, else $BD_CLAIM_LEASE, else never",
    },
  },
  async run(ctx, _args, flags) {
    const sort = (str(flags, "sort") ?? "hybrid") as ReadySort;
    if (!READY_SORTS.includes(sort)) throw validation(`invalid --sort "${sort}": use ${READY_SORTS.join(", ")}`);
    const filter = { ...(await filterFrom(flags)), includeDeferred: flags["include-deferred"] === true };
    const beads = ctx.beads();
    if (flags.explain === true) {
      const e = beads.explainReady({ ...filter, sort, limit: int(flags, "limit", 10) });
      if (ctx.globals.json) return ctx.out.data(e);
      ctx.out.line(`\n📋 Ready work (${e.ready.length}):\n`);
      e.ready.forEach((i, n) =>
        ctx.out.line(`${n + 1}. [${priority(ctx.out, i.priority)}] ${i.id}: ${i.title} — ${i.why}`)
      );
      ctx.out.line(`\n🚫 Blocked (${e.blocked.length}):\n`);
      for (const i of e.blocked) ctx.out.line(`  [${priority(ctx.out, i.priority)}] ${i.id}: ${i.title} — ${i.why}`);
      ctx.out.line("");
      return;
    }
    if (str(flags, "lease") !== undefined && !flags.claim) throw new BdError("USAGE", "--lease goes with --claim");
    if (flags.claim) {
      const leaseSeconds = claimLease(beads, str(flags, "lease"), ctx.env);
      const claimed = beads.claimNextReady({ ...filter, sort, leaseSeconds });
      if (ctx.globals.json) return ctx.out.data(claimed ? [claimed] : []);
      if (!claimed) return ctx.out.line("\n✨ No ready work found to claim\n");
      return ctx.out.line(`${ctx.out.paint("green", "✓")} Claimed ${claimed.id}: ${claimed.title}`);
    }
    // With --sort impact each issue carries "unblocks" (the service's ready answer has it).
    const issues = beads.ready({ ...filter, sort, limit: int(flags, "limit", 10), withLabels: true });
    if (ctx.globals.json) return ctx.out.data(issues);
    if (issues.length === 0) {
      const open = beads.count({ status: ["open"] });
      return ctx.out.line(
        open ? "\n✨ No ready work found (all issues have blocking dependencies)\n" : "\n✨ No open issues\n",
      );
    }
    ctx.out.line(`\n📋 Ready work (${issues.length} issues with no blockers):\n`);
    issues.forEach((i, n) => {
      ctx.out.line(
        `${n + 1}. [${priority(ctx.out, i.priority)}] [${i.issue_type}] ${ctx.out.paint("cyan", i.id)}: ${i.title}`,
      );
      if (i.estimated_minutes !== undefined) ctx.out.line(`   Estimate: ${i.estimated_minutes} min`);
      if (i.assignee) ctx.out.line(`   Assignee: ${i.assignee}`);
      if (typeof i.unblocks === "number" && i.unblocks > 0) ctx.out.line(`   Unblocks: ${i.unblocks}`);
    });
    ctx.out.line("");
  },
};

export const readyCommands: Command[] = [ready];
