/**
 * "Parent of", as upstream bd decides it, in one place: an issue's parent is the target of its
 * `parent-child` edge; only an issue with no such edge takes its parent from its hierarchical ID
 * (`P.3`'s parent is P, `P.3.1`'s is P.3), and then only when that issue exists. So an issue moved
 * under another parent (`update --parent`) keeps its ID but leaves its first parent: `children`,
 * `list --parent`, the ready rule (a blocked parent blocks its children), epic status and triage
 * all follow the edge. The SQL fragments here and the model's idPrefixParent are that rule.
 */
import type { Db } from "./db.ts";
import { idPrefixParent } from "../model/parent_rule.ts";

/** True when issue `col` has a parent-child edge (so its ID prefix does not count). */
const hasParentEdge = (col: string) =>
  `EXISTS (SELECT 1 FROM dependencies pe WHERE pe.issue_id = ${col} AND pe.type = 'parent-child')`;

/**
 * Joins to `c` the children by ID of row `p` (`p.id.N`, N digits) that have no parent-child edge:
 * a range scan of the primary key, then one index lookup each.
 */
export const prefixChildJoin = (p: string) =>
  `CROSS JOIN issues c ON c.id > ${p}.id || '.' AND c.id < ${p}.id || '/'
    AND substr(c.id, length(${p}.id) + 2) NOT GLOB '*[^0-9]*' AND length(c.id) > length(${p}.id) + 1
    AND NOT ${hasParentEdge("c.id")}`;

/**
 * One step down a recursive walk: the children of the rows of CTE `walk` (column `id`), by edge,
 * and by ID (`id.N`, N digits) for issues that have no edge. CROSS JOIN pins the join order: the
 * queued row first, then an index lookup.
 */
export const childrenStep = (walk: string) => `
  SELECT d.issue_id FROM ${walk} p
  CROSS JOIN dependencies d ON d.depends_on_id = p.id AND d.type = 'parent-child'
  UNION
  SELECT c.id FROM ${walk} p ${prefixChildJoin("p")}`;

/** A parent and each of its descendants (the parent's own row included), recursively; one `?` for it. */
export const DESCENDANTS_SQL = `
WITH RECURSIVE descendant(id) AS (
  SELECT ?
  UNION
  ${childrenStep("descendant")}
)
SELECT id FROM descendant`;

/** Returns each issue's parent by the rule, for those among `ids` that have one. */
export function parentsOf(db: Db, ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const json = JSON.stringify(ids);
  for (
    const r of db.all<{ issue_id: string; depends_on_id: string }>(
      `SELECT d.issue_id, min(d.depends_on_id) AS depends_on_id FROM dependencies d
       WHERE d.issue_id IN (SELECT value FROM json_each(?)) AND d.type = 'parent-child' GROUP BY d.issue_id`,
      json,
    )
  ) out.set(r.issue_id, r.depends_on_id);
  const byId = new Map<string, string>();
  for (const id of ids) {
    const prefix = out.has(id) ? undefined : idPrefixParent(id);
    if (prefix) byId.set(id, prefix);
  }
  if (byId.size) {
    const existing = new Set(
      db.all<{ id: string }>(
        "SELECT id FROM issues WHERE id IN (SELECT value FROM json_each(?))",
        JSON.stringify([...new Set(byId.values())]),
      ).map((r) => r.id),
    );
    for (const [id, parent] of byId) if (existing.has(parent)) out.set(id, parent);
  }
  return out;
}

/** Returns the direct children of each of `ids` by the rule (edges first, then by ID), sorted by ID. */
export function childrenOf(db: Db, ids: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  for (
    const r of db.all<{ parent: string; id: string }>(
      `WITH walk(id) AS (SELECT value FROM json_each(?))
       SELECT p.id AS parent, d.issue_id AS id FROM walk p
       CROSS JOIN dependencies d ON d.depends_on_id = p.id AND d.type = 'parent-child'
       UNION
       SELECT p.id, c.id FROM walk p ${prefixChildJoin("p")}
       ORDER BY 1, 2`,
      JSON.stringify(ids),
    )
  ) out.get(r.parent)?.push(r.id);
  return out;
}

/** Every (child, parent) pair by the rule, for whole-graph analyses (triage). */
export function allParentLinks(db: Db): { child: string; parent: string }[] {
  const edges = db.all<{ child: string; parent: string }>(
    `SELECT issue_id AS child, min(depends_on_id) AS parent FROM dependencies WHERE type = 'parent-child' GROUP BY issue_id`,
  );
  const withEdge = new Set(edges.map((e) => e.child));
  const ids = db.all<{ id: string }>("SELECT id FROM issues WHERE instr(id, '.') > 0");
  const known = new Set(db.all<{ id: string }>("SELECT id FROM issues").map((r) => r.id));
  for (const { id } of ids) {
    if (withEdge.has(id)) continue;
    const parent = idPrefixParent(id);
    if (parent && known.has(parent)) edges.push({ child: id, parent });
  }
  return edges;
}
