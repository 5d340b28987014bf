/**
 * Moving issues through their life beyond create/update/close: deferring and waking them,
 * closing one in favour of another (duplicate, supersede), relating two, and closing epics whose
 * children are all done. Each is one transaction through the Beads facade.
 */
import { BdError, validation } from "../model/errors.ts";
import { nowIso } from "../model/time.ts";
import type { Issue } from "../model/types.ts";
import * as query from "../store/query.ts";
import type { BeadsContext } from "./context.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  | "addDependency"
  | "closeIssue"
  | "db"
  | "dependencies"
  | "epicStatus"
  | "importProblem"
  | "issue"
  | "mutate"
  | "removeDependency"
  | "resolveId"
  | "update"
>;

/**
 * Defers an issue: status `deferred`, hidden from ready work; with `until` (a time the front end
 * read with parseUserTime), it comes back on its own once that time has passed (see wakeDueDeferred).
 */
export function deferIssue(beads: Ctx, id: string, until?: string): Issue {
  return beads.update(id, { status: "deferred", defer_until: until ?? "" });
}

/** Puts a deferred issue back to `open` (and forgets its defer time). */
export function undeferIssue(beads: Ctx, id: string): Issue {
  const issue = beads.issue(id);
  if (issue.status !== "deferred" && !issue.defer_until) {
    throw validation(`issue ${issue.id} is not deferred (status: ${issue.status})`);
  }
  return beads.update(issue.id, { status: "open", defer_until: "" });
}

/**
 * Reopens deferred issues whose `defer_until` has passed, so that ready work includes them again.
 * Cheap when there are none (one lookup in a partial index); a read-only database is left alone.
 */
export function wakeDueDeferred(beads: Pick<BeadsContext, "db" | "importProblem" | "mutate" | "update">): string[] {
  const now = nowIso();
  const due = query.dueDeferredIds(beads.db, now);
  if (due.length === 0 || beads.importProblem) return [];
  try {
    beads.mutate(() => {
      for (const id of due) beads.update(id, { status: "open", defer_until: "" });
    });
  } catch (e) {
    if (e instanceof BdError && (e.code === "DB_LOCKED" || /read-only/.test(e.message))) return [];
    if (e instanceof BdError && e.code === "CONFLICT") return []; // writes refused (unimported JSONL)
    throw e;
  }
  return due;
}

/**
 * Closes `id` as a duplicate of `canonical` (or as superseded by it): an edge of type
 * `duplicates`/`supersedes` from `id` to the other, then the close with a reason naming it.
 */
export function closeInFavourOf(
  beads: Ctx,
  idInput: string,
  otherInput: string,
  how: "duplicates" | "supersedes",
): { issue: Issue; other: Issue } {
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const other = beads.resolveId(otherInput);
    if (id === other) {
      throw validation(
        how === "duplicates"
          ? "cannot mark an issue as duplicate of itself"
          : "cannot mark an issue as superseded by itself",
      );
    }
    beads.addDependency(id, other, how);
    const reason = how === "duplicates" ? `duplicate of ${other}` : `superseded by ${other}`;
    const issue = beads.issue(id).status === "closed" ? beads.issue(id) : beads.closeIssue(id, reason);
    return { issue, other: beads.issue(other) };
  });
}

/** Links two issues with a `related` edge (which never blocks). */
export function relate(beads: Ctx, a: string, b: string) {
  return beads.addDependency(a, b, "related");
}

/** Removes the `related` edge between two issues, whichever way it was recorded. */
export function unrelate(beads: Ctx, aInput: string, bInput: string) {
  return beads.mutate(() => {
    const a = beads.resolveId(aInput), b = beads.resolveId(bInput);
    const { dependencies } = beads.dependencies(a);
    if (dependencies.some((d) => d.depends_on_id === b && d.type === "related")) {
      return beads.removeDependency(a, b, "related");
    }
    return beads.removeDependency(b, a, "related");
  });
}

/** Closes (or with dryRun, lists) open epics whose children are all closed. */
export function closeEligibleEpics(beads: Ctx, dryRun: boolean): Issue[] {
  return beads.mutate(() => {
    const eligible = beads.epicStatus().filter((e) => e.eligible_for_close).map((e) => e.epic);
    if (dryRun) return eligible;
    return eligible.map((e) => beads.closeIssue(e.id, "all children closed"));
  });
}
