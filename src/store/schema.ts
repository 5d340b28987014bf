/**
 * The rules every command reads from the schema: the blocked rule as SQL and the kept counts.
 * The schema itself, its migrations and the adoption of other bds' databases are in
 * store/migrate.ts; the triggers and bulk loads in store/triggers.ts.
 */
import type { Db } from "./db.ts";
import { childrenStep } from "./parent_rule.ts";
import { isNotDone } from "./status_rules.ts";

/**
 * The blocked rule (contract §6) as SQL, in one place: an issue is blocked if it has a `blocks`
 * dependency on an active issue (not closed, nor in a custom `done` status), or if its parent is
 * blocked (parent_rule.ts: the parent-child edge, else the hierarchical ID `P.n`). CROSS JOIN pins
 * the join order of the recursive steps: the queued row first, then an index lookup (SQLite 3.53
 * otherwise scans every parent-child edge per queued row — measured 1.1 s instead of 30 ms at 10k
 * issues).
 */
export const BLOCKED_IDS_SQL = `
WITH RECURSIVE blocked(id) AS (
  SELECT d.issue_id FROM dependencies d
  JOIN issues blocker ON blocker.id = d.depends_on_id
  WHERE d.type = 'blocks' AND ${isNotDone("blocker.status")}
  UNION
  ${childrenStep("blocked")}
)
SELECT id FROM blocked`;

/** Recounts `issue_counts` from the tables (after a load without triggers, or a full rebuild). */
export function recountIssues(db: Db, scopes: ("all" | "blocked")[] = ["all", "blocked"]): void {
  if (scopes.includes("all")) {
    db.run("DELETE FROM issue_counts WHERE scope IN ('all', 'top')");
    db.run(`INSERT INTO issue_counts (scope, status, n)
      SELECT 'all', coalesce(status, ''), count(*) FROM issues GROUP BY coalesce(status, '')`);
    db.run(`INSERT INTO issue_counts (scope, status, n)
      SELECT 'top', '', count(*) FROM issues WHERE instr(id, '.') = 0`);
  }
  if (scopes.includes("blocked")) {
    db.run("DELETE FROM issue_counts WHERE scope = 'blocked'");
    db.run(`INSERT INTO issue_counts (scope, status, n)
      SELECT 'blocked', coalesce(i.status, ''), count(*) FROM blocked_cache b JOIN issues i ON i.id = b.issue_id
      GROUP BY coalesce(i.status, '')`);
  }
}
