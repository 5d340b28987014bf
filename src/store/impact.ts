/**
 * What the triage analysis reads (core/triage.ts): the open work as a graph — every issue that is
 * not done (closed or a custom done status), with the ready rule's verdict, and the blocks and parent-child edges between them —
 * and the kept `unblocks` counts (impact_cache), valid while graph_version is unchanged.
 */
import type { Db } from "./db.ts";
import { blockedSource, READY_WHERE, whereFor } from "./query.ts";
import { ISSUE_COLUMNS, rowToIssue } from "./issues.ts";
import { isNotDone } from "./status_rules.ts";
import { allParentLinks } from "./parent_rule.ts";
import type { Issue, IssueFilter } from "../model/types.ts";

export interface OpenNode {
  id: string;
  title: string;
  status: string;
  priority: number;
  issue_type: string;
  assignee: string | null;
  created_at: string;
  updated_at: string;
  /** The ready rule's verdict (query.ts READY_WHERE). */
  ready: boolean;
}

export interface OpenGraph {
  nodes: OpenNode[];
  /** `from` blocks `to` (to has a blocks dependency on from); both open. */
  blocks: { from: string; to: string }[];
  /**
   * Each open issue's nearest open ancestor by the parent rule (parent_rule.ts), walking up
   * through finished ones.
   */
  parents: { child: string; parent: string }[];
}

/** Returns the open work as a graph (closed issues and edges touching them drop out). */
export function openGraph(db: Db): OpenGraph {
  const nodes = db.all<Omit<OpenNode, "ready"> & { ready: number }>(
    `WITH blocked_ids AS (${blockedSource(db)})
     SELECT i.id, i.title, i.status, i.priority, i.issue_type, i.assignee, i.created_at, i.updated_at,
       (${READY_WHERE}) AS ready
     FROM issues i WHERE ${isNotDone("i.status")}`,
  ).map((r) => ({ ...r, priority: Number(r.priority), ready: Number(r.ready) === 1 }));
  const edges = (type: string) =>
    db.all<{ a: string; b: string }>(
      `SELECT d.issue_id AS a, d.depends_on_id AS b FROM dependencies d
       JOIN issues x ON x.id = d.issue_id AND ${isNotDone("x.status")}
       JOIN issues y ON y.id = d.depends_on_id AND ${isNotDone("y.status")}
       WHERE d.type = ?`,
      type,
    );
  const open = new Set(nodes.map((n) => n.id));
  const parentOf = new Map(allParentLinks(db).map((l) => [l.child, l.parent]));
  const parents: { child: string; parent: string }[] = [];
  for (const child of open) {
    const seen = new Set([child]);
    let at = parentOf.get(child);
    while (at !== undefined && !open.has(at) && !seen.has(at)) seen.add(at), at = parentOf.get(at);
    if (at !== undefined && open.has(at) && at !== child) parents.push({ child, parent: at });
  }
  return { nodes, blocks: edges("blocks").map((e) => ({ from: e.b, to: e.a })), parents };
}

/** True when the kept unblocks counts match the graph. */
export function impactCacheFresh(db: Db): boolean {
  return !!db.get<{ fresh: number }>(
    `SELECT (SELECT value FROM metadata WHERE key = 'graph_version') =
            (SELECT value FROM metadata WHERE key = 'impact_cache_version') AS fresh`,
  )?.fresh;
}

/** Replaces the kept counts (only non-zero ones are kept) and marks them current; inside a write. */
export function replaceImpactCache(db: Db, counts: Iterable<readonly [string, number]>): void {
  db.run("DELETE FROM impact_cache");
  const rows = [...counts].filter(([, n]) => n > 0);
  for (let at = 0; at < rows.length; at += 1000) {
    db.run(
      `INSERT INTO impact_cache (issue_id, unblocks)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`,
      JSON.stringify(rows.slice(at, at + 1000)),
    );
  }
  db.run(
    `INSERT INTO metadata (key, value) VALUES ('impact_cache_version', (SELECT value FROM metadata WHERE key = 'graph_version'))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
}

/** The kept unblocks count of each of these issues (0 when none is kept). */
export function keptUnblocks(db: Db, ids: readonly string[]): Map<string, number> {
  const out = new Map(ids.map((id) => [id, 0]));
  if (ids.length === 0) return out;
  for (
    const r of db.all<{ issue_id: string; unblocks: number }>(
      "SELECT issue_id, unblocks FROM impact_cache WHERE issue_id IN (SELECT value FROM json_each(?))",
      JSON.stringify(ids),
    )
  ) out.set(r.issue_id, Number(r.unblocks));
  return out;
}

/**
 * Ready issues that unblock something, most first (then priority, then age), from the kept counts:
 * the head of `ready --sort impact`; the caller fills the rest by priority.
 */
export function readyByKeptImpact(db: Db, filter: IssueFilter, limit: number): { issue: Issue; unblocks: number }[] {
  const where = whereFor({ ...filter, status: undefined, includeClosed: true });
  const cols = ISSUE_COLUMNS.split(", ").map((c) => `i.${c}`).join(", ");
  return db.all(
    `WITH blocked_ids AS (${blockedSource(db)})
     SELECT ${cols}, c.unblocks AS bd_unblocks FROM impact_cache c CROSS JOIN issues i ON i.id = c.issue_id
     WHERE ${READY_WHERE} AND ${where.sql}
     ORDER BY c.unblocks DESC, i.priority, julianday(i.created_at), i.id LIMIT ?`,
    ...where.params,
    limit > 0 ? limit : -1,
  ).map((row) => ({ issue: rowToIssue(row), unblocks: Number(row.bd_unblocks) }));
}
