/** Reading the work: lists, counts, pages, blocked work, search, stale issues, stats and epic progress. */
import { fromBase64Url, toBase64Url } from "../model/base64url.ts";
import * as issuesRepo from "../store/issues.ts";
import * as query from "../store/query.ts";
import * as rel from "../store/relations.ts";
import { validation } from "../model/errors.ts";
import type { Issue, IssueFilter, ListSort } from "../model/types.ts";
import type { BeadsContext } from "./context.ts";
import type { ReadyOptions } from "./types.ts";
import { wakeDueDeferred } from "./lifecycle.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  | "blocked"
  | "db"
  | "importProblem"
  | "issuesById"
  | "mutate"
  | "parentsOf"
  | "ready"
  | "readyAmong"
  | "resolveFilter"
  | "resolveId"
  | "update"
>;

/** Returns issues matching a filter (`limit` 0 = all) and whether more matched. */
export function list(
  beads: Ctx,
  filter: IssueFilter,
  opts: { sort?: ListSort; reverse?: boolean; limit?: number; offset?: number } = {},
): { issues: Issue[]; truncated: boolean } {
  const limit = opts.limit ?? 50;
  const rows = query.listIssues(beads.db, beads.resolveFilter(filter), {
    ...opts,
    limit: limit > 0 ? limit + 1 : 0,
  });
  const truncated = limit > 0 && rows.length > limit;
  return { issues: truncated ? rows.slice(0, limit) : rows, truncated };
}

/** Returns the number of issues matching a filter. */
export function count(beads: Ctx, filter: IssueFilter): number {
  return query.countIssues(beads.db, beads.resolveFilter(filter));
}

/** Returns counts grouped by status, priority, type, assignee or label. */
export function countBy(
  beads: Ctx,
  filter: IssueFilter,
  by: "status" | "priority" | "issue_type" | "assignee" | "label",
): { key: string; count: number }[] {
  return query.countGrouped(beads.db, beads.resolveFilter(filter), by);
}

/** Returns blocked active issues with the IDs of their open blockers. */
export function blocked(
  beads: Ctx,
  filter: IssueFilter = {},
): (Issue & { blocked_by_count: number; blocked_by: string[] })[] {
  return query.blockedIssues(beads.db, beads.resolveFilter(filter)).map(({ issue, blockedBy }) => ({
    ...issue,
    blocked_by_count: blockedBy.length,
    blocked_by: blockedBy,
  }));
}

/** Returns one page of issues in a stable keyset order, with opaque cursors. */
export function issuesPage(
  beads: Ctx,
  filter: IssueFilter,
  order: { field: query.PageField; desc?: boolean },
  first: number,
  after?: string,
): { issues: Issue[]; cursors: string[]; hasNextPage: boolean; totalCount: number } {
  const resolved = beads.resolveFilter(filter);
  const desc = order.desc ?? false;
  let position: { key: string | number; id: string } | undefined;
  if (after) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(fromBase64Url(after));
    } catch { /* reported below */ }
    if (!Array.isArray(decoded) || decoded.length !== 4 || decoded[0] !== order.field || decoded[1] !== desc) {
      throw validation("invalid cursor: pass an endCursor from the same query and ordering");
    }
    position = { key: decoded[2], id: decoded[3] };
  }
  const rows = query.listIssuesPage(beads.db, resolved, { field: order.field, desc }, position, first + 1);
  const page = rows.slice(0, first);
  return {
    issues: page.map((r) => r.issue),
    cursors: page.map((r) => toBase64Url(JSON.stringify([order.field, desc, r.key, r.issue.id]))),
    hasNextPage: rows.length > first,
    totalCount: query.countIssues(beads.db, resolved),
  };
}

/** Returns issues whose text contains `text` (case-insensitive). */
export function search(beads: Ctx, text: string, filter: IssueFilter = {}, limit = 50): Issue[] {
  if (!text.trim()) throw validation("a search query is required");
  return query.searchIssues(beads.db, text.trim(), beads.resolveFilter(filter), limit);
}

/** Returns active issues not updated in the last `days` days, oldest first. */
export function stale(beads: Ctx, days: number, filter: IssueFilter = {}, limit = 50): Issue[] {
  if (!Number.isFinite(days) || days < 0) throw validation(`invalid --days "${days}": use a number ≥ 0`);
  const before = new Date(Date.now() - days * 86400e3).toISOString();
  return query.staleIssues(beads.db, before, beads.resolveFilter(filter), limit);
}

/**
 * Returns the workspace counters (contract §3 `stats`). Deferred issues whose time has come are
 * woken first, as ready does, so the ready count and the ready list never disagree.
 */
export function stats(beads: Ctx): Record<string, number> {
  wakeDueDeferred(beads);
  const counters = query.statsCounters(beads.db);
  counters.ready_issues = query.countReady(beads.db);
  return {
    total_issues: counters.total_issues,
    open_issues: counters.open_issues,
    in_progress_issues: counters.in_progress_issues,
    closed_issues: counters.closed_issues,
    blocked_issues: counters.blocked_issues,
    deferred_issues: counters.deferred_issues,
    ready_issues: counters.ready_issues,
    average_lead_time_hours: counters.average_lead_time_hours,
  };
}

/** Returns open epics with their children's progress. */
export function epicStatus(
  beads: Ctx,
): { epic: Issue; total_children: number; closed_children: number; eligible_for_close: boolean }[] {
  const rows = query.epicChildCounts(beads.db);
  const epics = new Map(issuesRepo.getIssues(beads.db, rows.map((r) => r.id)).map((i) => [i.id, i]));
  return rows.map((r) => ({
    epic: epics.get(r.id)!,
    total_children: r.total,
    closed_children: r.closed,
    eligible_for_close: r.total > 0 && r.total === r.closed,
  }));
}

/**
 * Runs `act` (closing `ids`) and returns its result with the issues it made ready: those blocked
 * by one of `ids` (and their descendants, which a blocked parent held) that were not ready before
 * and are now, under the one ready rule.
 */
export function withNewlyReady<T>(beads: Ctx, ids: readonly string[], act: () => T): { result: T; ready: Issue[] } {
  const resolved = ids.map((id) => beads.resolveId(id));
  const candidates = new Set<string>();
  for (const deps of rel.dependentsOf(beads.db, resolved).values()) {
    for (const d of deps) if (d.type === "blocks") candidates.add(d.issue_id);
  }
  for (const c of [...candidates]) for (const d of query.descendantIds(beads.db, c)) candidates.add(d);
  const before = beads.readyAmong([...candidates]);
  const result = act();
  const after = beads.readyAmong([...candidates]);
  return { result, ready: beads.issuesById([...after].filter((id) => !before.has(id)).sort()) };
}

export interface ReadyExplanation {
  ready: (Issue & { why: string })[];
  blocked: (Issue & { why: string; blocked_by: string[]; through_parent?: string })[];
}

/**
 * Why each ready issue is ready (nothing blocks it, or its blockers are resolved: closed or in a done status) and what holds
 * each blocked one: its open blockers, or the blocked ancestor it waits through.
 */
export function explainReady(beads: Ctx, opts: ReadyOptions): ReadyExplanation {
  const ready = beads.ready(opts);
  const deps = rel.dependenciesOf(beads.db, ready.map((i) => i.id));
  const blocked = beads.blocked({ ...opts, includeClosed: undefined });
  const direct = new Map(blocked.map((i) => [i.id, i.blocked_by]));
  /** The nearest blocked ancestor (by the parent rule), preferring one with open blockers. */
  const holder = (id: string): string | undefined => {
    const seen = new Set<string>();
    let nearest: string | undefined;
    for (let at: string | undefined = id; at !== undefined && !seen.has(at);) {
      seen.add(at);
      const parent = beads.parentsOf([at]).get(at);
      if (parent === undefined) break;
      if ((direct.get(parent)?.length ?? 0) > 0) return parent;
      at = query.isBlocked(beads.db, parent) ? parent : undefined;
      nearest ??= at;
    }
    return nearest;
  };
  return {
    ready: ready.map((i) => {
      const blockers = (deps.get(i.id) ?? []).filter((d) => d.type === "blocks").map((d) => d.depends_on_id);
      return { ...i, why: blockers.length ? `its blockers are resolved: ${blockers.join(", ")}` : "nothing blocks it" };
    }),
    blocked: blocked.map((i) => {
      if (i.blocked_by.length) return { ...i, why: `blocked by ${i.blocked_by.join(", ")}` };
      const through = holder(i.id);
      return { ...i, why: through ? `blocked through its parent ${through}` : "blocked", through_parent: through };
    }),
  };
}
