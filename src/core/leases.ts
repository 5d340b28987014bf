/**
 * Claim leases (contract §10): a claim may carry a lease (`--lease 30m`); while it is live the
 * claim is the holder's, and once it lapses the issue is ready for anyone again and the next
 * claim takes it over. Expiry needs no daemon: every reader compares with the clock (store/leases.ts).
 * `heartbeat` renews the caller's leases, `reclaim` turns lapsed claims back into open work, and
 * `claims` lists who holds what.
 */
import { BdError, validation } from "../model/errors.ts";
import { nowIso } from "../model/time.ts";
import { spanMs } from "../model/duration.ts";
import type { Issue } from "../model/types.ts";
import * as issuesRepo from "../store/issues.ts";
import * as leasesRepo from "../store/leases.ts";
import * as meta from "../store/meta.ts";
import type { BeadsContext } from "./context.ts";

type Ctx = Pick<BeadsContext, "actor" | "db" | "event" | "issue" | "mutate" | "resolveId">;

/** Config key of the default lease (else $BD_CLAIM_LEASE, else none). */
export const CLAIM_LEASE = "claim.lease";

/**
 * Reads a lease length: `90s`, `30m` (minutes here: a lease is short), `4h`, `1d`; `0` or `none`
 * means no lease. Returns seconds (0 = none).
 */
export function parseLease(text: string, what = "--lease"): number {
  const t = text.trim().toLowerCase();
  if (t === "0" || t === "none") return 0;
  const ms = t.endsWith("ms") ? undefined : spanMs(t);
  const seconds = ms === undefined ? NaN : ms / 1000;
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > 30 * 86400) {
    throw validation(`invalid ${what} ${JSON.stringify(text)}: use 90s, 30m, 4h or 1d (at most 30d), or none`);
  }
  return seconds;
}

/**
 * The lease a claim gets: the one given, else config claim.lease, else $BD_CLAIM_LEASE, else none.
 * Returns seconds (0 = the claim never lapses).
 */
export function claimLease(
  beads: Pick<BeadsContext, "configGet">,
  given: string | undefined,
  env: Record<string, string | undefined>,
): number {
  if (given !== undefined) return parseLease(given);
  const configured = beads.configGet(CLAIM_LEASE);
  if (configured) return parseLease(configured, `config ${CLAIM_LEASE}`);
  if (env.BD_CLAIM_LEASE) return parseLease(env.BD_CLAIM_LEASE, "$BD_CLAIM_LEASE");
  return 0;
}

/** A renewed lease. */
export interface Heartbeat {
  id: string;
  lease_expires_at: string;
}

/** What a heartbeat did: the leases renewed, and the claims lost since the last one (told once). */
export interface HeartbeatResult {
  renewed: Heartbeat[];
  lost: { id: string; holder: string }[];
}

/**
 * Renews the caller's leases on `idInputs` (none: every lease the caller holds, and the claims it
 * lost to a takeover since its last heartbeat are reported, once). Naming an issue the caller no
 * longer holds (taken over, reclaimed, released) is a CONFLICT naming who has it now.
 */
export function heartbeat(beads: Ctx, idInputs: readonly string[]): HeartbeatResult {
  return beads.mutate(() => {
    const lost = idInputs.length
      ? []
      : leasesRepo.takeLostLeases(beads.db, beads.actor).map((l) => ({ id: l.issue_id, holder: l.holder }));
    const ids = idInputs.length
      ? idInputs.map((i) => beads.resolveId(i))
      : leasesRepo.leasesHeldBy(beads.db, beads.actor).map((l) => l.issue_id);
    const renewed: Heartbeat[] = [];
    for (const id of ids) {
      const lease = leasesRepo.leaseOf(beads.db, id);
      const issue = issuesRepo.getIssue(beads.db, id)!;
      const holder = issue.status === "in_progress" ? issue.assignee : undefined;
      if (holder !== beads.actor) {
        throw new BdError(
          "CONFLICT",
          holder
            ? `lease lost to ${holder}: ${id} is theirs now`
            : `lease lost: ${id} is no longer claimed (${issue.status})`,
        );
      }
      if (!lease) throw new BdError("CONFLICT", `${id} is claimed by you without a lease: nothing to renew`);
      leasesRepo.putLease(beads.db, id, beads.actor, lease.seconds);
      renewed.push({ id, lease_expires_at: leasesRepo.leaseOf(beads.db, id)!.expires_at });
    }
    return { renewed, lost };
  });
}

/**
 * Turns lapsed claims on `idInputs` (none: every lapsed claim) back into open, unassigned work.
 * Naming an issue whose lease is live, or that has none, is a CONFLICT; nothing is changed then.
 */
export function reclaim(beads: Ctx, idInputs: readonly string[]): Issue[] {
  return beads.mutate(() => {
    const ids = idInputs.length ? idInputs.map((i) => beads.resolveId(i)) : undefined;
    const lapsed = leasesRepo.lapsedLeases(beads.db, ids);
    for (const id of ids ?? []) {
      if (!lapsed.some((l) => l.issue_id === id)) {
        const lease = leasesRepo.leaseOf(beads.db, id);
        throw new BdError(
          "CONFLICT",
          lease ? `${id}'s lease is live until ${lease.expires_at} (held by ${lease.holder})` : `${id} has no lease`,
        );
      }
    }
    const now = nowIso();
    const out: Issue[] = [];
    for (const lease of lapsed) {
      const before = issuesRepo.getIssue(beads.db, lease.issue_id)!;
      leasesRepo.dropLease(beads.db, lease.issue_id);
      if (before.status !== "in_progress") continue;
      issuesRepo.updateIssueColumns(beads.db, lease.issue_id, { status: "open", assignee: null, updated_at: now });
      beads.event(
        lease.issue_id,
        "reclaimed",
        before.assignee ?? null,
        null,
        `lease lapsed at ${lease.expires_at}`,
        now,
      );
      meta.markDirty(beads.db, [lease.issue_id], now);
      out.push(beads.issue(lease.issue_id));
    }
    return out;
  });
}

/** A live or lapsed claim under a lease (bd claims). */
export interface ClaimRow {
  id: string;
  title: string;
  holder: string;
  lease_expires_at: string;
  lapsed: boolean;
}

/** Every claim under a lease, soonest to lapse first; `all` adds claims without a lease. */
export function claims(beads: Pick<BeadsContext, "db" | "issuesById" | "list">, all = false): ClaimRow[] {
  const leases = leasesRepo.allLeases(beads.db);
  const issues = new Map(beads.issuesById(leases.map((l) => l.issue_id)).map((i) => [i.id, i]));
  const rows: ClaimRow[] = leases.filter((l) => issues.get(l.issue_id)?.status === "in_progress").map((l) => ({
    id: l.issue_id,
    title: issues.get(l.issue_id)!.title,
    holder: issues.get(l.issue_id)!.assignee ?? l.holder,
    lease_expires_at: l.expires_at,
    lapsed: l.lapsed,
  }));
  if (!all) return rows;
  const leased = new Set(rows.map((r) => r.id));
  const unleased = beads.list({ status: ["in_progress"] }, { sort: "updated", limit: 0 }).issues
    .filter((i) => !leased.has(i.id) && i.assignee)
    .map((i) => ({ id: i.id, title: i.title, holder: i.assignee!, lease_expires_at: "", lapsed: false }));
  return [...rows, ...unleased];
}
