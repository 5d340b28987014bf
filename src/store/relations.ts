/** Dependencies, labels and comments rows. */
import type { Db } from "./db.ts";
import { BdError } from "../model/errors.ts";
import type { Comment, Dependency, Issue } from "../model/types.ts";
import { ISSUE_COLUMNS, rowToIssue } from "./issues.ts";
import { rfc3339 } from "../model/time.ts";

interface DepRow {
  issue_id: string;
  depends_on_id: string;
  type: string;
  created_at: string;
  created_by: string | null;
  extra: string | null;
}

function rowToDependency(r: DepRow): Dependency {
  const dep: Dependency = {
    issue_id: r.issue_id,
    depends_on_id: r.depends_on_id,
    type: r.type,
    created_at: rfc3339(String(r.created_at ?? "")),
  };
  if (r.created_by) dep.created_by = r.created_by;
  if (r.extra) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(r.extra))) if (!(k in dep)) dep[k] = v;
    } catch { /* ignore a foreign writer's non-JSON */ }
  }
  return dep;
}

const DEP_COLUMNS = "issue_id, depends_on_id, type, created_at, created_by, extra";

/** Above this many IDs one ordered scan of the table beats a lookup per ID (export: 100k IDs). */
const SCAN_ABOVE = 2000;

/**
 * The set of a list of IDs, built once per list: an export asks for the labels, dependencies and
 * comments of the same 100k IDs, and each Set of them cost ~30 ms.
 */
const idSets = new WeakMap<readonly string[], Set<string>>();
function idSet(ids: readonly string[]): Set<string> {
  let set = idSets.get(ids);
  if (!set) idSets.set(ids, set = new Set(ids));
  return set;
}

/** Rows for these IDs: indexed lookups for a few, one scan (filtered here) for many. */
function rowsFor<T>(db: Db, ids: readonly string[], sql: (cond: string) => string, key: (r: T) => string): T[] {
  if (ids.length <= SCAN_ABOVE) return db.all<T>(sql("IN (SELECT value FROM json_each(?))"), JSON.stringify(ids));
  const wanted = idSet(ids);
  return db.all<T>(sql("IS NOT NULL")).filter((r) => wanted.has(key(r)));
}

/** Returns the edges A→B (several when they have different types), oldest type first by name. */
export function edgesBetween(db: Db, issueId: string, dependsOnId: string): Dependency[] {
  return db.all<DepRow>(
    `SELECT ${DEP_COLUMNS} FROM dependencies WHERE issue_id = ? AND depends_on_id = ? ORDER BY type`,
    issueId,
    dependsOnId,
  ).map(rowToDependency);
}

/** Returns the edge A→B of this type, if any. */
export function getDependency(db: Db, issueId: string, dependsOnId: string, type: string): Dependency | undefined {
  const r = db.get<DepRow>(
    `SELECT ${DEP_COLUMNS} FROM dependencies WHERE issue_id = ? AND depends_on_id = ? AND type = ?`,
    issueId,
    dependsOnId,
    type,
  );
  return r ? rowToDependency(r) : undefined;
}

/**
 * Inserts an edge; an edge is identified by (issue, target, type), so an edge of another type
 * between the same two issues is a second edge. Returns false when this one already existed.
 */
export function insertDependency(db: Db, dep: Dependency, extra?: Record<string, unknown>): boolean {
  const inserted = db.run(
    `INSERT INTO dependencies (${DEP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    dep.issue_id,
    dep.depends_on_id,
    dep.type,
    dep.created_at,
    dep.created_by ?? null,
    extra && Object.keys(extra).length ? JSON.stringify(extra) : null,
  ).changes > 0;
  // A database whose dependencies table could not be re-keyed (an application's foreign key
  // points at it) still allows one edge per pair: say so rather than drop the edge silently.
  if (!inserted && !getDependency(db, dep.issue_id, dep.depends_on_id, dep.type)) {
    throw new BdError(
      "CONFLICT",
      `${dep.issue_id} already depends on ${dep.depends_on_id} with another type, and this database keeps one edge per pair (a table of another program references dependencies, so bd did not re-key it); remove the other edge first`,
    );
  }
  return inserted;
}

/** Deletes the edge A→B of this type; returns true if it existed. */
export function deleteDependency(db: Db, issueId: string, dependsOnId: string, type: string): boolean {
  return db.run(
    "DELETE FROM dependencies WHERE issue_id = ? AND depends_on_id = ? AND type = ?",
    issueId,
    dependsOnId,
    type,
  ).changes > 0;
}

/** Deletes every edge pointing at an issue; returns the IDs of the issues that had them. */
export function deleteEdgesTo(db: Db, id: string): string[] {
  return db.all<{ issue_id: string }>(
    "DELETE FROM dependencies WHERE depends_on_id = ? RETURNING issue_id",
    id,
  ).map((r) => r.issue_id);
}

/** Returns the outgoing edges of each issue (keyed by issue ID), sorted by target. */
export function dependenciesOf(db: Db, ids: readonly string[]): Map<string, Dependency[]> {
  const out = new Map<string, Dependency[]>();
  if (ids.length === 0) return out;
  for (
    const r of rowsFor<DepRow>(
      db,
      ids,
      (cond) => `SELECT ${DEP_COLUMNS} FROM dependencies WHERE issue_id ${cond} ORDER BY issue_id, depends_on_id, type`,
      (r) => r.issue_id,
    )
  ) {
    const list = out.get(r.issue_id) ?? [];
    list.push(rowToDependency(r));
    out.set(r.issue_id, list);
  }
  return out;
}

/** Returns the incoming edges of each issue (keyed by the depended-on ID). */
export function dependentsOf(db: Db, ids: readonly string[]): Map<string, Dependency[]> {
  const out = new Map<string, Dependency[]>();
  if (ids.length === 0) return out;
  for (
    const r of rowsFor<DepRow>(
      db,
      ids,
      (cond) =>
        `SELECT ${DEP_COLUMNS} FROM dependencies WHERE depends_on_id ${cond} ORDER BY depends_on_id, issue_id, type`,
      (r) => r.depends_on_id,
    )
  ) {
    const list = out.get(r.depends_on_id) ?? [];
    list.push(rowToDependency(r));
    out.set(r.depends_on_id, list);
  }
  return out;
}

/** An edge of a shown issue, with the issue at its other end (undefined when that issue is not here). */
export interface EdgeWithIssue {
  other: string;
  type: string;
  issue?: Issue;
}

/**
 * The edges out of (`dependencies`) and into (`dependents`) each issue, each with the issue at
 * its other end, in one statement: what `show` prints, in the order dependenciesOf and
 * dependentsOf give.
 */
export function edgesWithIssues(
  db: Db,
  ids: readonly string[],
): { dependencies: Map<string, EdgeWithIssue[]>; dependents: Map<string, EdgeWithIssue[]> } {
  const dependencies = new Map<string, EdgeWithIssue[]>(), dependents = new Map<string, EdgeWithIssue[]>();
  if (ids.length === 0) return { dependencies, dependents };
  const columns = ISSUE_COLUMNS.split(", ").map((c) => `i.${c}`).join(", ");
  const rows = db.all<{ dir: number; of_id: string; other_id: string; dep_type: string; id: string | null }>(
    `SELECT 0 AS dir, d.issue_id AS of_id, d.depends_on_id AS other_id, d.type AS dep_type, ${columns}
       FROM dependencies d LEFT JOIN issues i ON i.id = d.depends_on_id
      WHERE d.issue_id IN (SELECT value FROM json_each(?1))
     UNION ALL
     SELECT 1, d.depends_on_id, d.issue_id, d.type, ${columns}
       FROM dependencies d LEFT JOIN issues i ON i.id = d.issue_id
      WHERE d.depends_on_id IN (SELECT value FROM json_each(?1))
     ORDER BY dir, of_id, other_id, dep_type`,
    JSON.stringify(ids),
  );
  for (const r of rows) {
    const into = r.dir === 0 ? dependencies : dependents;
    const list = into.get(r.of_id) ?? [];
    list.push({ other: r.other_id, type: r.dep_type, issue: r.id === null ? undefined : rowToIssue(r) });
    into.set(r.of_id, list);
  }
  return { dependencies, dependents };
}

/**
 * Returns [dependency_count, dependent_count] per issue: its `blocks` edges out and in, as upstream
 * bd counts them (related, parent-child and the other types are not counted).
 */
export function dependencyCounts(db: Db, ids: readonly string[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  if (ids.length === 0) return out;
  const json = JSON.stringify(ids);
  for (const id of ids) out.set(id, [0, 0]);
  for (
    const r of db.all<{ id: string; n: number; dir: number }>(
      `SELECT issue_id AS id, count(*) AS n, 0 AS dir FROM dependencies
       WHERE issue_id IN (SELECT value FROM json_each(?1)) AND type = 'blocks' GROUP BY issue_id
       UNION ALL
       SELECT depends_on_id AS id, count(*) AS n, 1 AS dir FROM dependencies
       WHERE depends_on_id IN (SELECT value FROM json_each(?1)) AND type = 'blocks' GROUP BY depends_on_id`,
      json,
    )
  ) {
    const c = out.get(r.id)!;
    c[Number(r.dir)] = Number(r.n);
  }
  return out;
}

/** Returns every edge of the given types (for graph walks such as cycle detection). */
export function allEdges(db: Db, types?: readonly string[]): { from: string; to: string; type: string }[] {
  const sql = types
    ? "SELECT issue_id AS f, depends_on_id AS t, type FROM dependencies WHERE type IN (SELECT value FROM json_each(?))"
    : "SELECT issue_id AS f, depends_on_id AS t, type FROM dependencies";
  const rows = types
    ? db.all<{ f: string; t: string; type: string }>(sql, JSON.stringify(types))
    : db.all<{ f: string; t: string; type: string }>(sql);
  return rows.map((r) => ({ from: r.f, to: r.t, type: r.type }));
}

/**
 * Returns true if `to` can reach `from` through edges (excluding `related`), i.e. adding
 * from→to would close a cycle.
 */
export function reaches(db: Db, start: string, target: string): boolean {
  return db.get(
    `WITH RECURSIVE reach(id) AS (
       SELECT ?1
       UNION
       SELECT d.depends_on_id FROM reach r CROSS JOIN dependencies d ON d.issue_id = r.id
       WHERE d.type <> 'related'
     ) SELECT 1 AS x FROM reach WHERE id = ?2 LIMIT 1`,
    start,
    target,
  ) !== undefined;
}

// ---- labels

/** Adds a label; returns false if the issue already had it. */
export function insertLabel(db: Db, issueId: string, label: string): boolean {
  return db.run("INSERT OR IGNORE INTO labels (issue_id, label) VALUES (?, ?)", issueId, label).changes > 0;
}

/** Removes a label; returns false if the issue did not have it. */
export function deleteLabel(db: Db, issueId: string, label: string): boolean {
  return db.run("DELETE FROM labels WHERE issue_id = ? AND label = ?", issueId, label).changes > 0;
}

/** Returns the sorted labels of each issue. */
export function labelsOf(db: Db, ids: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  for (
    const r of rowsFor<{ issue_id: string; label: string }>(
      db,
      ids,
      (cond) => `SELECT issue_id, label FROM labels WHERE issue_id ${cond} ORDER BY issue_id, label`,
      (r) => r.issue_id,
    )
  ) {
    const list = out.get(r.issue_id) ?? [];
    list.push(r.label);
    out.set(r.issue_id, list);
  }
  return out;
}

/** Returns every label with the number of issues carrying it. */
export function labelCounts(db: Db): { label: string; count: number }[] {
  return db.all<{ label: string; count: number }>(
    "SELECT label, count(*) AS count FROM labels GROUP BY label ORDER BY label",
  ).map((r) => ({ label: r.label, count: Number(r.count) }));
}

// ---- comments

const COMMENT_COLUMNS = "id, issue_id, author, text, created_at";

/** Inserts a comment and returns it. */
export function insertComment(
  db: Db,
  c: { issue_id: string; author: string; text: string; created_at: string },
): Comment {
  const r = db.run(
    "INSERT INTO comments (issue_id, author, text, created_at) VALUES (?, ?, ?, ?)",
    c.issue_id,
    c.author,
    c.text,
    c.created_at,
  );
  return { id: r.lastInsertRowid, ...c };
}

/** Deletes a comment by its row ID; returns true if it existed. */
export function deleteComment(db: Db, id: number): boolean {
  return db.run("DELETE FROM comments WHERE id = ?", id).changes > 0;
}

/** Returns true if an identical comment (author, text, time) exists on the issue. */
export function commentExists(
  db: Db,
  c: { issue_id: string; author: string; text: string; created_at: string },
): boolean {
  return db.get(
    "SELECT 1 AS x FROM comments WHERE issue_id = ? AND author = ? AND text = ? AND created_at = ?",
    c.issue_id,
    c.author,
    c.text,
    c.created_at,
  ) !== undefined;
}

/** Returns the comments of each issue, oldest first. */
export function commentsOf(db: Db, ids: readonly string[]): Map<string, Comment[]> {
  const out = new Map<string, Comment[]>();
  if (ids.length === 0) return out;
  for (
    const r of rowsFor<Comment>(
      db,
      ids,
      (cond) => `SELECT ${COMMENT_COLUMNS} FROM comments WHERE issue_id ${cond} ORDER BY issue_id, created_at, id`,
      (r) => r.issue_id,
    )
  ) {
    const list = out.get(r.issue_id) ?? [];
    list.push({ ...r, id: Number(r.id), created_at: rfc3339(String(r.created_at)) });
    out.set(r.issue_id, list);
  }
  return out;
}

/** Returns edges whose target is neither an issue here nor a deleted one (a tombstone). */
export function danglingDependencies(db: Db): Dependency[] {
  return db.all<DepRow>(
    `SELECT ${DEP_COLUMNS.split(", ").map((c) => `d.${c}`).join(", ")} FROM dependencies d
     WHERE NOT EXISTS (SELECT 1 FROM issues i WHERE i.id = d.depends_on_id)
       AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.id = d.depends_on_id)
     ORDER BY d.issue_id, d.depends_on_id, d.type`,
  ).map(rowToDependency);
}

/** When each issue first went in progress: its earliest `status_changed` event to in_progress. */
export function firstStartedAt(db: Db, ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  return new Map(
    db.all<{ issue_id: string; at: string }>(
      `SELECT issue_id, min(created_at) AS at FROM events
       WHERE issue_id IN (SELECT value FROM json_each(?)) AND event_type = 'status_changed' AND new_value = 'in_progress'
       GROUP BY issue_id`,
      JSON.stringify(ids),
    ).map((r) => [r.issue_id, rfc3339(r.at)]),
  );
}
