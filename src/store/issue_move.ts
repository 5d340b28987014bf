/**
 * Moving an issue to another ID with everything that points at it: its row, bd's own rows
 * (dependencies both ways, labels, comments, events, dirty marks, child counter, blocked cache,
 * import base)
 * and every column of any table — an application's too — whose foreign key references
 * `issues(id)`. Used when an import finds that another clone gave this issue's ID to a different
 * issue and moved this one (see core/sync/id_collisions.ts). Table and column names come from the
 * catalog only and are quoted; the IDs are bound parameters.
 */
import type { Db } from "./db.ts";
import { tableInfo, tableNames } from "./ext_tables.ts";
import { quoteIdent } from "./sql_ident.ts";

/** bd's columns that hold an issue ID without (always) a foreign key to `issues`. */
const BD_ID_COLUMNS: [string, string][] = [
  ["dependencies", "issue_id"],
  ["dependencies", "depends_on_id"],
  ["labels", "issue_id"],
  ["comments", "issue_id"],
  ["events", "issue_id"],
  ["child_counters", "parent_id"],
];

/** bd's sets of issue IDs (a trigger may already have put the new ID in): merged, not moved. */
const BD_ID_SETS: [string, string][] = [
  ["dirty_issues", "issue_id"],
  ["blocked_cache", "issue_id"],
  ["blocked_seeds", "issue_id"],
  ["jsonl_base", "key"],
];

/** Moves each issue `from` to its free ID `to` (catalog read once); call inside a write transaction. */
export function moveIssues(db: Db, moves: ReadonlyMap<string, string>): void {
  if (moves.size === 0) return;
  const tables = new Map(tableNames(db).map((t) => [t, tableInfo(db, t)]));
  const columns = tables.get("issues")!.columns.map((c) => c.name);
  const copy = `INSERT INTO issues (${columns.map(quoteIdent).join(", ")}) SELECT ${
    columns.map((c) => (c === "id" ? "?" : quoteIdent(c))).join(", ")
  } FROM issues WHERE id = ?`;
  const targets = new Set<string>();
  for (const [table, column] of BD_ID_COLUMNS) {
    if (tables.get(table)?.columns.some((c) => c.name === column)) targets.add(`${table}\u0000${column}`);
  }
  for (const info of tables.values()) {
    for (const fk of info.foreignKeys) {
      if (fk.table === "issues" && (fk.to === null || fk.to === "id")) targets.add(`${info.name}\u0000${fk.column}`);
    }
  }
  const updates = [...targets].map((t) => {
    const [table, column] = t.split("\u0000");
    return `UPDATE ${quoteIdent(table)} SET ${quoteIdent(column)} = ? WHERE ${quoteIdent(column)} = ?`;
  });
  const merges = BD_ID_SETS.filter(([table, column]) => tables.get(table)?.columns.some((c) => c.name === column))
    .map(([table, column]) =>
      `UPDATE OR REPLACE ${quoteIdent(table)} SET ${quoteIdent(column)} = ? WHERE ${quoteIdent(column)} = ?`
    );
  for (const [from, to] of moves) {
    db.run(copy, to, from);
    for (const sql of [...updates, ...merges]) db.run(sql, to, from);
    db.run("DELETE FROM issues WHERE id = ?", from);
  }
}
