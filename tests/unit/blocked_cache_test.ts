/**
 * The incremental blocked set against its oracle: after every write of random sequences on random
 * graphs (through bd, and through raw SQL as another program would write), the cached set equals
 * the full recompute of the rule (BLOCKED_IDS_SQL).
 */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import { BdError } from "../../src/model/errors.ts";
import { BLOCKED_IDS_SQL } from "../../src/store/schema.ts";
import { refreshBlockedCache } from "../../src/store/query.ts";
import { rng } from "../../scripts/gen_data.ts";
import { createRandomTree } from "./random_tree.ts";

function open(): Beads {
  const dir = Deno.makeTempDirSync({ prefix: "bd-blocked-" });
  return initWorkspace({ cwd: dir, env: {}, prefix: "p", actor: "prop", autoFlush: false }).beads;
}

const sorted = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

/** The cache (after bringing it up to date) and the oracle, as sorted ID lists. */
function compare(b: Beads, step: string) {
  b.db.write(() => refreshBlockedCache(b.db));
  const cached = sorted(b.db.all<{ id: string }>("SELECT issue_id AS id FROM blocked_cache"));
  const oracle = sorted(b.db.all<{ id: string }>(`SELECT DISTINCT id FROM (${BLOCKED_IDS_SQL})`));
  assert.deepEqual(cached, oracle, `after ${step}`);
  const seeds = b.db.get<{ n: number }>("SELECT count(*) AS n FROM blocked_seeds")!.n;
  assert.equal(Number(seeds), 0, "seeds are consumed by the refresh");
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
  Deno.test(`incremental blocked set equals the full recompute on random writes (seed ${seed})`, () => {
    const b = open();
    const rand = rng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const ids = createRandomTree(b, 40, rand, 0.25);
    compare(b, "creation");
    for (let step = 0; step < 400; step++) {
      const r = rand();
      const a = pick(ids), c = pick(ids);
      const what = `${step}: ${r.toFixed(2)} ${a} ${c}`;
      try {
        if (r < 0.25) b.addDependency(a, c, pick(["blocks", "blocks", "parent-child", "related"]));
        else if (r < 0.35) {
          const deps = b.dependencies(a).dependencies;
          if (deps.length) b.removeDependency(a, deps[0].depends_on_id, deps[0].type);
        } else if (r < 0.5) b.closeIssue(a);
        else if (r < 0.6) b.reopenIssue(a);
        else if (r < 0.68) b.update(a, { status: pick(["open", "in_progress", "blocked", "deferred"]) });
        else if (r < 0.74) {
          b.delete(a);
          ids.splice(ids.indexOf(a), 1);
        } else if (r < 0.82) {
          const made = b.create({ title: `late ${step}`, ...(rand() < 0.5 ? { parent: a } : {}) });
          ids.push(made.id);
        } else if (r < 0.9) {
          // Another program writes with plain SQL (triggers record what changed).
          b.db.write(() => {
            b.db.run("UPDATE issues SET status = ? WHERE id = ?", pick(["open", "closed"]), a);
            if (a !== c) {
              b.db.run(
                "INSERT OR IGNORE INTO dependencies (issue_id, depends_on_id, type) VALUES (?, ?, 'blocks')",
                a,
                `${c}-not-yet-here`,
              );
            }
          });
        } else if (r < 0.95) {
          // An edge to an issue that arrives later (an import order), then the issue arrives.
          const ghost = `p-ghost${step}`;
          b.db.write(() =>
            b.db.run("INSERT INTO dependencies (issue_id, depends_on_id, type) VALUES (?, ?, 'blocks')", a, ghost)
          );
          compare(b, `${what} (edge to a missing issue)`);
          ids.push(b.create({ title: "ghost", id: ghost }).id);
        } else {
          b.db.write(() => b.db.run("DELETE FROM dependencies WHERE issue_id = ?", a));
        }
      } catch (e) {
        if (!(e instanceof BdError)) throw e; // cycles, not-closed reopen, ...: refused writes
      }
      compare(b, what);
    }
    b.close();
  });
}

Deno.test("a rename and a never-built cache fall back to the full recompute", () => {
  const b = open();
  const a = b.create({ title: "a" }).id;
  const c = b.create({ title: "c", parent: a }).id;
  const x = b.create({ title: "x" }).id;
  b.addDependency(a, x);
  compare(b, "setup");
  b.db.write(() => b.db.run("UPDATE issues SET id = 'p-renamed' WHERE id = ?", x));
  assert.equal(
    b.db.get<{ value: string }>("SELECT value FROM metadata WHERE key = 'blocked_cache_version'")!.value,
    "-1",
  );
  compare(b, "rename");
  assert.ok(!b.isBlocked(c), "the blocker no longer exists under its old ID");
  b.close();
});
