/** Changing issues: create (IDs, parents, deps), update with the status rule, close, reopen, claim, delete with tombstones. */
import * as issuesRepo from "../store/issues.ts";
import * as rel from "../store/relations.ts";
import * as meta from "../store/meta.ts";
import { BdError, validation } from "../model/errors.ts";
import { generateHashId } from "../model/hash_id.ts";
import { nowIso } from "../model/time.ts";
import {
  assertUsable,
  checkEstimate,
  checkIssueType,
  checkLabel,
  checkStatus,
  checkTitle,
  parsePriority,
  stripControl,
} from "../model/validate.ts";
import type { Dependency, Issue, IssueField } from "../model/types.ts";
import { statusChange } from "./status.ts";
import { missingSections } from "./lint.ts";
import type { BeadsContext } from "./context.ts";
import type { CreateInput, ReadyOptions, UpdateInput } from "./types.ts";
import { linkDependency } from "./dependencies.ts";
import * as leasesRepo from "../store/leases.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  | "actor"
  | "addDependency"
  | "claim"
  | "configGet"
  | "customStatusNames"
  | "customTypes"
  | "db"
  | "event"
  | "issue"
  | "issuesById"
  | "mutate"
  | "prefix"
  | "ready"
  | "recordTombstone"
  | "removeDependency"
  | "resolveId"
  | "touch"
  | "update"
>;

/** The fields `update` may change. */
const EDITABLE: IssueField[] = [
  "title",
  "description",
  "design",
  "acceptance_criteria",
  "notes",
  "priority",
  "issue_type",
  "status",
  "assignee",
  "owner",
  "estimated_minutes",
  "external_ref",
  "due_at",
  "defer_until",
];

/** Creates an issue (with labels, parent and dependencies) and returns it. */
export function create(beads: Ctx, input: CreateInput): Issue {
  const title = checkTitle(stripControl(input.title ?? ""));
  const fields = normaliseFields(input, beads.customTypes(), beads.customStatusNames());
  if (input.append_notes) {
    const notes = stripControl(input.append_notes);
    fields.notes = fields.notes ? `${fields.notes}\n${notes}` : notes;
  }
  if (input.validate || beads.configGet("validation.on-create") === "error") {
    const missing = missingSections({ issue_type: "task", ...fields } as unknown as Issue);
    if (missing.length) {
      throw validation(
        `the description of a ${fields.issue_type ?? "task"} issue needs these sections: ${
          missing.join(", ")
        } (as '## ${missing[0]}' or '${missing[0]}:'); nothing was created`,
      );
    }
  }
  return beads.mutate(() => {
    const now = nowIso();
    const description = fields.description as string ?? "";
    const id = newId(beads, input, now, title, description);
    const issue: Issue = {
      id,
      title,
      status: "open",
      priority: 2,
      issue_type: "task",
      created_at: now,
      created_by: beads.actor,
      updated_at: now,
    };
    for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined && k !== "title") issue[k] = v;
    if (issue.status === "closed") Object.assign(issue, statusChange({ ...issue, status: "open" }, "closed", now));
    assertUsable(issue);
    issuesRepo.insertIssue(beads.db, issue);
    for (const label of input.labels ?? []) rel.insertLabel(beads.db, id, checkLabel(label));
    beads.event(id, "created", null, title, null, now);
    if (input.parent !== undefined) {
      const parent = beads.resolveId(input.parent);
      rel.insertDependency(beads.db, {
        issue_id: id,
        depends_on_id: parent,
        type: "parent-child",
        created_at: now,
        created_by: beads.actor,
      });
    }
    for (const dep of input.deps ?? []) linkDependency(beads, id, dep.id, dep.type ?? "blocks", now);
    meta.markDirty(beads.db, [id], now);
    return beads.issue(id);
  });
}

function newId(beads: Ctx, input: CreateInput, now: string, title: string, description: string): string {
  if (input.id) {
    const id = input.id.trim();
    if (!id.startsWith(`${beads.prefix}-`) || /[\s"\\,]/.test(id)) {
      throw validation(`invalid ID "${id}": it must start with the prefix "${beads.prefix}-" and contain no spaces`);
    }
    if (issuesRepo.issueExists(beads.db, id)) throw new BdError("CONFLICT", `issue ${id} already exists`);
    return id;
  }
  if (input.parent !== undefined) {
    const parent = beads.resolveId(input.parent);
    if ((parent.match(/\./g) ?? []).length >= 3) {
      throw validation(`cannot create a child of ${parent}: hierarchies are at most 3 levels deep`);
    }
    for (;;) {
      const n = meta.nextChildNumber(beads.db, parent, meta.maxExistingChild(beads.db, parent));
      const id = `${parent}.${n}`;
      if (!issuesRepo.issueExists(beads.db, id)) return id;
    }
  }
  if (meta.getKey(beads.db, "config", "id_mode") === "sequential") {
    for (;;) {
      const n = Number(meta.getKey(beads.db, "metadata", "next_seq") ?? "1");
      meta.setKey(beads.db, "metadata", "next_seq", String(n + 1));
      const id = `${beads.prefix}-${n}`;
      if (!issuesRepo.issueExists(beads.db, id)) return id;
    }
  }
  return generateHashId(
    beads.prefix,
    { title, description, actor: beads.actor, createdAt: now },
    issuesRepo.countTopLevelIssues(beads.db),
    (id) => issuesRepo.issueExists(beads.db, id) || meta.tombstones(beads.db, [id]).length > 0,
  );
}

/** Validates and normalises editable fields; returns column values (null clears). */
function normaliseFields(
  input: UpdateInput,
  customTypes: readonly string[],
  customStatuses: readonly string[],
): Partial<Record<IssueField, unknown>> {
  const out: Partial<Record<IssueField, unknown>> = {};
  for (const key of EDITABLE) {
    const v = (input as Record<string, unknown>)[key];
    if (v === undefined) continue;
    switch (key) {
      case "title":
        out.title = checkTitle(stripControl(String(v)));
        break;
      case "priority":
        out.priority = parsePriority(v as string | number);
        break;
      case "issue_type":
        out.issue_type = checkIssueType(String(v), customTypes);
        break;
      case "status":
        out.status = checkStatus(String(v), customStatuses);
        break;
      case "estimated_minutes":
        out.estimated_minutes = v === null || v === "" ? null : checkEstimate(v as string | number);
        break;
      default:
        out[key] = v === null ? null : stripControl(String(v));
    }
  }
  return out;
}

/** Updates fields of an issue; a status change follows the closed_at rule. Returns the issue. */
export function update(beads: Ctx, idInput: string, patch: UpdateInput): Issue {
  const fields = normaliseFields(patch, beads.customTypes(), beads.customStatusNames());
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const before = issuesRepo.getIssue(beads.db, id)!;
    const now = nowIso();
    const changes: Partial<Record<IssueField, unknown>> = {};
    if (patch.append_notes !== undefined && patch.append_notes !== "") {
      // Appended to the notes as they are inside this write, so two appends never lose one.
      const base = (fields.notes as string | undefined) ?? before.notes ?? "";
      fields.notes = base ? `${base}\n${patch.append_notes}` : patch.append_notes;
    }
    for (const [k, v] of Object.entries(fields)) {
      if ((before[k] ?? null) !== (v === "" ? null : v)) changes[k as IssueField] = v;
    }
    if (changes.status !== undefined) {
      Object.assign(changes, statusChange(before, changes.status as string, now, patch.close_reason));
      const type = changes.status === "closed" ? "closed" : before.status === "closed" ? "reopened" : "status_changed";
      beads.event(id, type, before.status, changes.status, patch.close_reason ?? null, now);
    }
    const other = Object.keys(changes).filter((k) => !["status", "closed_at", "close_reason"].includes(k));
    if (other.length) {
      const delta = Object.fromEntries(other.map((k) => [k, changes[k as IssueField]]));
      const old = Object.fromEntries(other.map((k) => [k, before[k] ?? null]));
      beads.event(id, "updated", JSON.stringify(old), JSON.stringify(delta), null, now);
    }
    if (Object.keys(changes).length) {
      assertUsable({ ...before, ...changes, updated_at: now } as Issue);
      issuesRepo.updateIssueColumns(beads.db, id, { ...changes, updated_at: now });
      meta.markDirty(beads.db, [id], now);
    }
    // A lease belongs to a claim: it ends when the issue leaves in_progress or changes hands.
    const leftProgress = changes.status !== undefined && changes.status !== "in_progress";
    if (leftProgress || changes.assignee !== undefined) leasesRepo.dropLease(beads.db, id);
    return beads.issue(id);
  });
}

/** Closes an issue with a reason (default `Closed`). */
export function closeIssue(beads: Ctx, idInput: string, reason?: string): Issue {
  return beads.update(idInput, { status: "closed", close_reason: reason?.trim() || undefined });
}

/** Reopens a closed issue (clears closed_at and close_reason). */
export function reopenIssue(beads: Ctx, idInput: string, reason?: string): Issue {
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const before = issuesRepo.getIssue(beads.db, id)!;
    if (before.status !== "closed") throw validation(`issue ${id} is not closed (status: ${before.status})`);
    const now = nowIso();
    issuesRepo.updateIssueColumns(beads.db, id, { ...statusChange(before, "open", now), updated_at: now });
    beads.event(id, "reopened", before.status, "open", reason ?? null, now);
    meta.markDirty(beads.db, [id], now);
    return beads.issue(id);
  });
}

/**
 * Claims an issue for the actor: assignee = actor, status = in_progress, inside the write lock.
 * Throws CONFLICT if someone else holds it under a live (or no) lease, or it is closed. A claim
 * whose lease has lapsed is taken over, and the event says from whom. With `leaseSeconds` the
 * claim lapses that long from now unless renewed (bd heartbeat); without, it never does.
 */
export function claim(beads: Ctx, idInput: string, opts: { leaseSeconds?: number } = {}): Issue {
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const before = issuesRepo.getIssue(beads.db, id)!;
    if (before.status === "closed") throw new BdError("CONFLICT", `cannot claim ${id}: it is closed`);
    const lease = leasesRepo.leaseOf(beads.db, id);
    const lapsed = !!lease && before.status === "in_progress" && leasesRepo.lapsed(beads.db, lease);
    const takeover = !!before.assignee && before.assignee !== beads.actor;
    if (takeover && !lapsed) {
      const until = lease ? ` (lease until ${lease.expires_at})` : "";
      throw new BdError("CONFLICT", `cannot claim ${id}: already claimed by ${before.assignee}${until}`);
    }
    const now = nowIso();
    issuesRepo.updateIssueColumns(beads.db, id, { assignee: beads.actor, status: "in_progress", updated_at: now });
    if (takeover) {
      beads.event(
        id,
        "claim_taken_over",
        before.assignee ?? null,
        beads.actor,
        `lease lapsed at ${lease!.expires_at}`,
        now,
      );
    }
    beads.event(id, "claimed", before.assignee ?? null, beads.actor, null, now);
    if (before.status !== "in_progress") beads.event(id, "status_changed", before.status, "in_progress", null, now);
    if (opts.leaseSeconds) {
      leasesRepo.putLease(beads.db, id, beads.actor, opts.leaseSeconds, takeover ? before.assignee! : null);
    } else if (lease) leasesRepo.dropLease(beads.db, id);
    meta.markDirty(beads.db, [id], now);
    return beads.issue(id);
  });
}

/**
 * Claims the first ready issue (by the ready order), with the lease given; returns null when
 * nothing is ready. A claim whose lease lapsed is ready, and is taken over.
 */
export function claimNextReady(beads: Ctx, opts: ReadyOptions & { leaseSeconds?: number } = {}): Issue | null {
  const { leaseSeconds, ...ready } = opts;
  return beads.mutate(() => {
    // The write lock is held (BEGIN IMMEDIATE), so no other process can claim in between.
    const candidates = beads.ready({ ...ready, limit: 25 });
    for (const c of candidates) {
      const lapsed = c.status === "in_progress" && c.lease_expires_at !== undefined;
      if (c.assignee && c.assignee !== beads.actor && !lapsed) continue;
      return beads.claim(c.id, { leaseSeconds });
    }
    return null;
  });
}

/** Returns what `delete` would remove: the issues and the edges that point at them. */
export function deletePreview(
  beads: Ctx,
  idInputs: readonly string[],
): { issues: Issue[]; dependents: Dependency[] } {
  const ids = idInputs.map((i) => beads.resolveId(i));
  const dependents = rel.dependentsOf(beads.db, ids);
  return { issues: beads.issuesById(ids), dependents: ids.flatMap((id) => dependents.get(id) ?? []) };
}

/**
 * Deletes an issue for good: its labels, comments, edges and extension rows go with it; a
 * tombstone tells other clones to delete it too. Returns the deleted issue.
 */
export function deleteIssue(beads: Ctx, idInput: string, reason = "deleted"): Issue {
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const issue = issuesRepo.getIssue(beads.db, id)!;
    const now = nowIso();
    const affected = rel.deleteEdgesTo(beads.db, id).filter((x) => x !== id);
    issuesRepo.deleteIssueRow(beads.db, id);
    beads.recordTombstone(issue, now, beads.actor, reason);
    beads.event(id, "deleted", issue.title, null, reason, now);
    beads.touch([...new Set(affected)], now);
    meta.markDirty(beads.db, [id], now);
    return issue;
  });
}

/** Stores the tombstone line of a deleted issue. */
export function recordTombstone(
  beads: Ctx,
  issue: Issue,
  deletedAt: string,
  deletedBy: string,
  reason: string,
): void {
  const line = {
    ...Object.fromEntries(Object.entries(issue).filter(([k]) => !["labels", "dependencies", "comments"].includes(k))),
    status: "tombstone",
    updated_at: deletedAt,
    deleted_at: deletedAt,
    deleted_by: deletedBy,
    delete_reason: reason,
  };
  meta.upsertTombstone(beads.db, {
    id: issue.id,
    deleted_at: deletedAt,
    deleted_by: deletedBy,
    delete_reason: reason,
    data: JSON.stringify(line),
  });
}
