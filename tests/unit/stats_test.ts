/**
 * stats counts from indexes; this holds them to the plain rule, written out as a scan of every
 * issue, on random workspaces: statuses bd does not know, blocked chains, defer times in the past,
 * the future, empty and unreadable, closed issues with and without closed_at.
 */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import { BdError } from "../../src/model/errors.ts";
import { BLOCKED_IDS_SQL } from "../../src/store/schema.ts";
import { refreshBlockedCache } from "../../src/store/query.ts";
import { rng } from "../../scripts/gen_data.ts";
import { createRandomTree } from "./random_tree.ts";

/** The counters by the rule itself: one pass over every issue. */
function oracle(b: Beads): Record<string, number> {
  const row = b.db.get<Record<string, number | null>>(
    `WITH blocked_ids AS (${BLOCKED_IDS_SQL})
     SELECT count(*) AS total_issues,
       coalesce(sum(status = 'open'), 0) AS open_issues,
       coalesce(sum(status = 'in_progress'), 0) AS in_progress_issues,
       coalesce(sum(status = 'closed'), 0) AS closed_issues,
       coalesce(sum(status = 'deferred'), 0) AS deferred_issues,
       coalesce(sum(status <> 'closed' AND (status = 'blocked' OR id IN (SELECT id FROM blocked_ids))), 0)
         AS blocked_issues,
       coalesce(sum(status = 'open'
         AND (defer_until IS NULL OR defer_until = '' OR julianday(defer_until) <= julianday('now'))
         AND id NOT IN (SELECT id FROM blocked_ids)), 0) AS ready_issues,
       avg(CASE WHEN status = 'closed' AND closed_at IS NOT NULL
           THEN (julianday(closed_at) - julianday(created_at)) * 24 END) AS average_lead_time_hours
     FROM issues`,
  )!;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Number(v ?? 0);
  out.average_lead_time_hours = Math.round(out.average_lead_time_hours * 100) / 100;
  return out;
}

/** issue_counts as kept by the triggers and the cache's refresh, and as counted afresh. */
const keptCounts = (b: Beads) =>
  b.db.all("SELECT scope, status, n FROM issue_counts WHERE n <> 0 ORDER BY scope, status").map((r) => ({ ...r }));
function recounted(b: Beads) {
  return b.db.all(
    `SELECT 'all' AS scope, status, count(*) AS n FROM issues GROUP BY status
     UNION ALL SELECT 'blocked', i.status, count(*) FROM blocked_cache c JOIN issues i ON i.id = c.issue_id GROUP BY i.status
     UNION ALL SELECT 'top', '', count(*) FROM issues WHERE instr(id, '.') = 0 HAVING count(*) > 0
     ORDER BY 1, 2`,
  ).map((r) => ({ ...r }));
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  Deno.test(`stats and the ready count equal the rule on random workspaces (seed ${seed})`, () => {
    const dir = Deno.makeTempDirSync({ prefix: "bd-stats-" });
    const b = initWorkspace({ cwd: dir, env: {}, prefix: "s", actor: "prop", autoFlush: false }).beads;
    const rand = rng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const ids: string[] = [];
    b.configSet("status.custom", "review"); // counted below whether or not an issue has it
    assert.deepEqual(b.stats(), oracle(b), "an empty workspace");
    ids.push(...createRandomTree(b, 60, rand, 0.2));
    for (let step = 0; step < 150; step++) {
      const r = rand();
      const a = pick(ids), c = pick(ids);
      try {
        if (r < 0.3) b.addDependency(a, c, pick(["blocks", "blocks", "parent-child", "related"]));
        else if (r < 0.45) b.closeIssue(a);
        else if (r < 0.5) b.reopenIssue(a);
        else if (r < 0.53 && ids.length > 20) {
          b.delete(a);
          ids.splice(ids.indexOf(a), 1);
        } else if (r < 0.6) b.update(a, { status: pick(["open", "in_progress", "blocked", "deferred"]) });
        else {
          // What other writers leave: defer times of every kind, a status bd does not know, a
          // closed issue without closed_at, created_at with an offset.
          const day = 86400e3;
          b.db.write(() => {
            if (r < 0.75) {
              const defer = pick([
                new Date(Date.now() - day).toISOString(),
                new Date(Date.now() + day).toISOString(),
                "",
                null,
                "someday",
              ]);
              b.db.run("UPDATE issues SET defer_until = ? WHERE id = ?", defer, a);
            } else if (r < 0.82) b.db.run("UPDATE issues SET status = 'review' WHERE id = ?", a);
            else if (r < 0.88) b.db.run("UPDATE issues SET status = 'closed', closed_at = NULL WHERE id = ?", a);
            else b.db.run("UPDATE issues SET created_at = '2025-06-01T10:00:00+02:00' WHERE id = ?", a);
          });
        }
      } catch (e) {
        if (!(e instanceof BdError)) throw e;
      }
      if (step % 10 === 9) {
        // Every other check with the blocked set's cache brought current (the kept counts are
        // read then), the others possibly behind another writer's change (the rule is read).
        if (step % 20 === 9) b.db.write(() => refreshBlockedCache(b.db));
        assert.deepEqual(keptCounts(b), recounted(b), `kept counts after step ${step}`);
        const got = b.stats(); // first: it wakes deferred issues whose time has come, as ready does
        const want = oracle(b);
        assert.deepEqual(got, { ...got, ...want }, `after step ${step}`);
        assert.equal(b.ready({ limit: 0 }).length, want.ready_issues, `ready list after step ${step}`);
        // count by status alone reads the kept counts; with any other filter it counts rows.
        assert.equal(b.count({}), want.total_issues - want.closed_issues, `count after step ${step}`);
        assert.equal(b.count({ status: ["open", "review"] }), b.count({ status: ["open", "review"], priorityMin: 0 }));
        assert.equal(b.count({ includeClosed: true }), want.total_issues);
      }
    }
    b.close();
  });
}
