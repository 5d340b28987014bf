/** Claim leases: heartbeat, reclaim, claims (who holds what, until when). */
import { BdError } from "../../model/errors.ts";
import type { Command, Context } from "../command.ts";
import { claims, heartbeat, reclaim } from "../../core/leases.ts";
import { emitResults } from "./util.ts";

const SECTION = "Working With Issues";

const LEASES = `A claim can carry a lease ('bd update ID --claim --lease 30m', 'bd ready --claim --lease 30m';
default: config claim.lease, else $BD_CLAIM_LEASE, else none). While the lease is live the claim is
the holder's. Once it lapses the issue is ready for everyone again, and the next --claim takes it
over (the event records from whom); the old holder's next heartbeat is refused ("lease lost to X").
Nothing needs to run for a lease to lapse: every command compares it with the clock.`;

const heartbeatCmd: Command = {
  path: ["heartbeat"],
  section: SECTION,
  summary: "Renew your claim leases (all of them, or these IDs)",
  args: "[ID...]",
  description: `${LEASES}

Renews each lease by its own length from now. An issue you no longer hold exits 1 with CONFLICT.
'bd setup claude' (and gemini) registers 'bd heartbeat --hook-json' to run after every tool call,
so an agent's leases live as long as it keeps working; that form never fails the agent's tool
call: a lost claim comes back as context for the agent ({"hookSpecificOutput":...}), anything
else (no workspace, no lease) prints nothing.`,
  flags: {
    "hook-json": {
      type: "boolean",
      help: "for agent hooks: exit 0 always; a lost claim is told to the agent as hook JSON",
      readsStdin: true,
    },
  },
  run(ctx, args, flags) {
    if (flags["hook-json"] === true) return hookHeartbeat(ctx, args);
    const { renewed, lost } = heartbeat(ctx.beads(), args);
    if (ctx.globals.json) emitResults(ctx, renewed, lost.length ? 1 : 0);
    else {
      for (const r of renewed) ctx.out.line(`♥ ${r.id}: lease until ${r.lease_expires_at}`);
      if (!renewed.length && !lost.length) ctx.out.note("No leases to renew.");
    }
    // Renewed what is still ours; a claim lost to a takeover is a CONFLICT the holder must hear.
    for (const l of lost) ctx.out.error(new BdError("CONFLICT", `lease lost to ${l.holder}: ${l.id} is theirs now`));
    return lost.length ? 1 : 0;
  },
};

const reclaimCmd: Command = {
  path: ["reclaim"],
  section: SECTION,
  summary: "Release claims whose lease lapsed (open, unassigned again)",
  args: "[ID...]",
  description: `${LEASES}

Without IDs, every lapsed claim is released; an ID whose lease is still live is refused (CONFLICT)
and nothing changes.`,
  run(ctx, args) {
    const released = reclaim(ctx.beads(), args);
    if (ctx.globals.json) return emitResults(ctx, released, 0);
    if (!released.length) return ctx.out.line("No lapsed claims.");
    for (const i of released) ctx.out.line(`↺ Reclaimed ${i.id}: ${i.title}`);
  },
};

const claimsCmd: Command = {
  path: ["claims"],
  aliases: [["who"]],
  section: SECTION,
  summary: "List who holds which claims and when each lease lapses",
  maxArgs: 0,
  description: `${LEASES}

Lists the claims under a lease, soonest to lapse first (lapsed ones marked); --all adds the claims
without a lease.`,
  flags: { all: { type: "boolean", help: "also claims without a lease (in progress with an assignee)" } },
  run(ctx, _args, flags) {
    const rows = claims(ctx.beads(), flags.all === true);
    if (ctx.globals.json) return ctx.out.data(rows);
    if (!rows.length) return ctx.out.line("No claims under a lease.");
    const width = Math.max(...rows.map((r) => r.holder.length));
    for (const r of rows) {
      const until = r.lease_expires_at
        ? (r.lapsed ? `lapsed ${r.lease_expires_at}` : `until ${r.lease_expires_at}`)
        : "no lease";
      ctx.out.line(`${r.holder.padEnd(width)}  ${r.id}  ${until}  ${r.title}`);
    }
  },
};

/**
 * The hook form: renews quietly and never fails the tool call it follows. The agent hears of a
 * claim it lost, as context, in the envelope its hook host reads (the event named in the hook's
 * input, PostToolUse by default).
 */
function hookHeartbeat(ctx: Context, args: string[]): number {
  let event = "PostToolUse";
  try {
    const input = JSON.parse(ctx.readStdin() || "{}");
    if (typeof input.hook_event_name === "string" && /^[A-Za-z]+$/.test(input.hook_event_name)) {
      event = input.hook_event_name;
    }
  } catch { /* no input, or not JSON: the default event */ }
  const said: string[] = [];
  try {
    for (const l of heartbeat(ctx.beads(), args).lost) {
      said.push(
        `bd: your claim on ${l.id} lapsed and ${l.holder} took it over: stop working on it (bd ready shows other work).`,
      );
    }
  } catch (e) {
    // A named issue no longer held (CONFLICT) is the agent's to hear; no workspace, no lease: nothing to say.
    if (e instanceof BdError && e.code === "CONFLICT") said.push(`bd: ${e.message}`);
  }
  if (said.length) {
    const envelope = { hookSpecificOutput: { hookEventName: event, additionalContext: said.join("\n") } };
    ctx.out.raw(JSON.stringify(envelope) + "\n");
  }
  return 0;
}

export const leaseCommands: Command[] = [heartbeatCmd, reclaimCmd, claimsCmd];
