/** Claim leases: heartbeat, reclaim, claims (who holds what, until when). */
import { BdError } from "../../model/errors.ts";
import type { Command } from "../command.ts";
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
'bd setup claude' registers this as a hook, so an agent's leases follow its tool calls.`,
  run(ctx, args) {
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

export const leaseCommands: Command[] = [heartbeatCmd, reclaimCmd, claimsCmd];
