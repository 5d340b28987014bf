/** Changing issues: update, close, note, reopen, delete. */
import { BdError, validation } from "../../model/errors.ts";
import { lastTouched, rememberTouched } from "../../core/last_touched.ts";
import { claimLease } from "../../core/leases.ts";
import type { Command } from "../command.ts";
import { eachIssue, emitResults, forEachId, list, str, textOrFile } from "./util.ts";

import { FIELD_FLAGS, fieldsFrom } from "./issue_fields.ts";

const SECTION = "Working With Issues";

const update: Command = {
  path: ["update"],
  section: SECTION,
  summary: "Change fields of issues (or --claim them)",
  args: "[ID...]",
  description: `With no ID: the last-touched issue (the most recent create, update, show or close here).

Examples:
  bd update bd-a3f --status in_progress --assignee alice
  bd update bd-a3f --claim               # atomically: assignee = you, status = in_progress
  bd update bd-a3f --add-label urgent --remove-label later
  bd update bd-a3f --parent bd-e12       # move it under another epic (its ID stays)`,
  flags: {
    ...FIELD_FLAGS,
    status: {
      type: "string",
      short: "s",
      value: "S",
      help: "open, in_progress, blocked, deferred, closed, or a custom one (bd statuses)",
    },
    claim: { type: "boolean", help: "claim atomically (fails with CONFLICT if someone else holds it)" },
    lease: {
      type: "string",
      value: "D",
      help:
        "with --claim: the claim lapses after D (90s, 30m, 4h, 1d) unless renewed by bd heartbeat; default config claim.lease, else $BD_CLAIM_LEASE, else never",
    },
    "add-label": { type: "string", value: "L", help: "add a label", multiple: true },
    "remove-label": { type: "string", value: "L", help: "remove a label", multiple: true },
    "set-labels": { type: "string", value: "L[,L]", help: "replace all labels" },
    reason: { type: "string", value: "TEXT", help: "close reason when --status closed" },
    parent: {
      type: "string",
      value: "ID",
      help: 'move it under this parent (its ID stays; the edge decides); "" removes the edge, and a P.N is P\'s again',
    },
  },
  async run(ctx, given, flags) {
    const fields = await fieldsFrom(ctx, flags);
    if (str(flags, "status") !== undefined) fields.status = str(flags, "status");
    if (str(flags, "reason") !== undefined) fields.close_reason = str(flags, "reason");
    const add = list(flags, "add-label") ?? [];
    const remove = list(flags, "remove-label") ?? [];
    const set = flags["set-labels"] !== undefined ? list(flags, "set-labels") ?? [] : undefined;
    const parent = str(flags, "parent");
    if (
      Object.keys(fields).length === 0 && !flags.claim && !add.length && !remove.length && set === undefined &&
      parent === undefined
    ) {
      throw new BdError("USAGE", "nothing to update: give at least one field flag (see 'bd update --help')");
    }
    if (str(flags, "lease") !== undefined && !flags.claim) throw new BdError("USAGE", "--lease goes with --claim");
    const beads = ctx.beads();
    const leaseSeconds = flags.claim ? claimLease(beads, str(flags, "lease"), ctx.env) : 0;
    const args = given.length ? given : [lastTouched(beads)];
    const [issues, code] = forEachId(ctx, args, (id) => {
      if (flags.claim) beads.claim(id, { leaseSeconds });
      if (Object.keys(fields).length) beads.update(id, fields);
      if (set !== undefined) beads.setLabels(id, set);
      for (const l of add) beads.addLabel(id, l);
      for (const l of remove) beads.removeLabel(id, l);
      if (parent !== undefined) beads.reparent(id, parent);
      return beads.issue(id);
    });
    if (issues.length) rememberTouched(beads, issues[issues.length - 1].id);
    if (ctx.globals.json) emitResults(ctx, issues, code);
    else for (const i of issues) ctx.out.line(`${ctx.out.paint("green", "✓")} Updated issue: ${i.id}`);
    return code;
  },
};

const close: Command = {
  path: ["close"],
  aliases: [["done"]],
  section: SECTION,
  summary: "Close issues",
  args: "[ID...]",
  description: `With no ID: the last-touched issue (the most recent create, update, show or close here).

With several IDs, give one --reason for all of them, or one --reason per ID: reasons map
by position (the first --reason to the first ID, and so on, wherever the flags stand). Any other
count is an error, and nothing is closed.

--suggest-next (one ID) lists the issues this close made ready; with --json the answer is then
{"closed": [...], "unblocked": [...]}. --claim-next then claims the next ready issue (by
priority) for you, atomically; with --json {"closed": [...], "claimed": issue or null}.

Examples:
  bd close bd-a3f --reason "Fixed in 4c2e1d"
  bd close bd-a3f bd-b71 -r "shipped" -r "duplicate of bd-a3f"
  bd done bd-a3f --suggest-next
  git log -1 --format=%B | bd close bd-a3f --reason-file -`,
  flags: {
    reason: {
      type: "string",
      short: "r",
      value: "TEXT",
      help: "why (default: Closed); repeat once per ID",
      multiple: true,
    },
    "reason-file": { type: "string", value: "FILE", help: "read the reason from FILE (- = stdin)", readsFile: true },
    "suggest-next": { type: "boolean", help: "show the issues this close made ready (one ID)" },
    "claim-next": { type: "boolean", help: "then claim the next ready issue (by priority)" },
  },
  run(ctx, given, flags) {
    const args = given.length ? given : [lastTouched(ctx.beads())];
    let reasons = (flags.reason as string[] | undefined) ?? [];
    const file = str(flags, "reason-file");
    if (file !== undefined) {
      if (reasons.length) throw new BdError("USAGE", "give --reason or --reason-file, not both");
      reasons = [textOrFile(ctx, { "reason-file": file }, "reason", "reason-file")!.replace(/\s+$/, "")];
    }
    if (reasons.length > 1 && reasons.length !== args.length) {
      throw validation(
        `${reasons.length} --reason values for ${args.length} issue(s): give one reason for all, or one per issue (they map by position); nothing was closed`,
      );
    }
    if (flags["suggest-next"] === true && args.length > 1) {
      throw new BdError("USAGE", "--suggest-next works when closing one issue");
    }
    const beads = ctx.beads();
    let at = 0;
    const reasonFor = () => (reasons.length > 1 ? reasons[at++] : reasons[0]);
    const closeAll = () => forEachId(ctx, args, (id) => beads.closeIssue(id, reasonFor()));
    const { result: [closed, code], ready } = flags["suggest-next"] === true
      ? beads.withNewlyReady(args, closeAll)
      : { result: closeAll(), ready: undefined };
    if (closed.length) rememberTouched(beads, closed[closed.length - 1].id);
    const claimed = flags["claim-next"] === true && closed.length
      ? beads.claimNextReady({ sort: "priority" })
      : undefined;
    if (ctx.globals.json) {
      if (ready === undefined && claimed === undefined) emitResults(ctx, closed, code);
      else if (closed.length) {
        ctx.out.data({
          closed,
          ...(ready !== undefined ? { unblocked: ready } : {}),
          ...(flags["claim-next"] === true ? { claimed: claimed ?? null } : {}),
        });
      }
      return code;
    }
    for (const i of closed) {
      ctx.out.line(`${ctx.out.paint("green", "✓")} Closed ${i.id}: ${i.close_reason || "Closed"}`);
    }
    if (ready?.length) {
      ctx.out.line("\nNewly unblocked:");
      for (const i of ready) ctx.out.line(`  • ${i.id}: ${i.title} (P${i.priority})`);
    } else if (ready) ctx.out.line("\nNo issue became ready.");
    if (claimed) {
      ctx.out.line(
        `${
          ctx.out.paint("green", "✓")
        } Auto-claimed next ready issue: ${claimed.id}: ${claimed.title} (P${claimed.priority})`,
      );
    } else if (flags["claim-next"] === true && closed.length) ctx.out.line("\n✨ No ready issues available to claim.");
    return code;
  },
};

const note: Command = {
  path: ["note"],
  section: SECTION,
  summary: "Add a line to an issue's notes (= update --append-notes)",
  args: "ID TEXT",
  minArgs: 2,
  maxArgs: 2,
  description: `Appends TEXT to the issue's notes on a new line, in one write (two agents' notes never
overwrite each other).

Examples:
  bd note bd-a3f "tried the cache: no gain"`,
  run(ctx, args) {
    const beads = ctx.beads();
    return eachIssue(
      ctx,
      [args[0]],
      (id) => beads.update(id, { append_notes: args[1] }),
      (i) => `${ctx.out.paint("green", "✓")} Added a note to ${i.id}`,
    );
  },
};

const reopen: Command = {
  path: ["reopen"],
  section: SECTION,
  summary: "Reopen closed issues",
  args: "ID [ID...]",
  minArgs: 1,
  flags: { reason: { type: "string", short: "r", value: "TEXT", help: "why (recorded in the event)" } },
  run(ctx, args, flags) {
    const beads = ctx.beads();
    const why = str(flags, "reason");
    return eachIssue(
      ctx,
      args,
      (id) => beads.reopenIssue(id, why),
      (i) => `↻ Reopened ${i.id}${why ? `: ${why}` : ""}`,
    );
  },
};

const del: Command = {
  path: ["delete"],
  section: SECTION,
  summary: "Delete issues for good (preview unless --force)",
  args: "ID [ID...]",
  minArgs: 1,
  missingArgs: "no issue IDs provided",
  description: `Without --force, shows what would be removed. With --force, removes the issues with their
labels, comments and edges (and rows of extension tables, through their foreign keys) and records
tombstones so other clones delete them on their next import.`,
  flags: {
    force: { type: "boolean", short: "f", help: "really delete" },
    reason: { type: "string", value: "TEXT", help: "recorded in the tombstone" },
  },
  run(ctx, args, flags) {
    const beads = ctx.beads();
    if (!flags.force) {
      const ids: string[] = [];
      let failed = 0;
      for (const a of args) {
        try {
          ids.push(beads.resolveId(a));
        } catch (e) {
          if (!(e instanceof BdError)) throw e;
          failed++;
          ctx.out.error(e);
        }
      }
      const preview = beads.deletePreview(ids);
      if (ctx.globals.json) {
        ctx.out.data({ preview: true, issues: preview.issues, dependents: preview.dependents });
      } else if (preview.issues.length) {
        const many = preview.issues.length > 1;
        ctx.out.line(`\n${ctx.out.paint("yellow", "⚠️  DELETE PREVIEW")}\n`);
        ctx.out.line(many ? `Issues to delete (${preview.issues.length}):` : "Issue to delete:");
        for (const i of preview.issues) ctx.out.line(`  ${i.id}: ${i.title}`);
        if (preview.dependents.length) {
          ctx.out.line(`\nDependency links to remove: ${preview.dependents.length}`);
          for (const d of preview.dependents) ctx.out.line(`  ${d.issue_id} → ${d.depends_on_id} (${d.type})`);
        }
        if (many) ctx.out.line(`\nWould delete: ${preview.issues.length} issues`);
        ctx.out.line("\nThis operation cannot be undone!");
        ctx.out.line(`To proceed, run: bd delete ${preview.issues.map((i) => i.id).join(" ")} --force`);
      }
      return failed ? 1 : 0;
    }
    const [deleted, code] = forEachId(ctx, args, (id) => beads.delete(id, str(flags, "reason") ?? "deleted"));
    if (ctx.globals.json) emitResults(ctx, deleted.map((i) => ({ id: i.id, status: "deleted" })), code);
    else if (deleted.length > 1) ctx.out.line(`${ctx.out.paint("green", "✓")} Deleted ${deleted.length} issue(s)`);
    else for (const i of deleted) ctx.out.line(`${ctx.out.paint("green", "✓")} Deleted ${i.id}`);
    return code;
  },
};

export const issueCommands: Command[] = [update, close, note, reopen, del];
