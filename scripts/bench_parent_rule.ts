/**
 * What upstream's parent rule (store/parent_rule.ts: the parent-child edge, the ID prefix only for
 * an issue without one) costs the queries that walk parents, in process at 10k and 100k generated
 * issues: the whole blocked set (the rule the views and a full refresh run), an epic's descendants
 * (list --parent), epic status, and a write that refreshes the kept set incrementally. The rule
 * before it (every ID prefix, edges or not) is spelled out here for the comparison; both run
 * alternately in one process and are reported as a ratio.
 *
 * Usage: deno run -A scripts/bench_parent_rule.ts [--sizes 10000,100000] [--runs 9]
 */
import { initWorkspace } from "../src/core/init.ts";
import { importRecords } from "../src/core/sync/jsonl_import.ts";
import { parseJsonl } from "../src/core/sync/jsonl.ts";
import { BLOCKED_IDS_SQL } from "../src/store/schema.ts";
import { DESCENDANTS_SQL } from "../src/store/parent_rule.ts";
import { epicChildCounts } from "../src/store/query.ts";
import { isDone, isNotDone } from "../src/store/status_rules.ts";
import { generate } from "./gen_data.ts";

const flag = (name: string, d: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : d;
};
const SIZES = flag("--sizes", "10000,100000").split(",").map(Number);
const RUNS = Number(flag("--runs", "9"));

/** The blocked rule before upstream's parent rule: children by edge and by every ID prefix. */
const OLD_BLOCKED = `
WITH RECURSIVE blocked(id) AS (
  SELECT d.issue_id FROM dependencies d JOIN issues blocker ON blocker.id = d.depends_on_id
  WHERE d.type = 'blocks' AND ${isNotDone("blocker.status")}
  UNION
  SELECT d.issue_id FROM blocked b CROSS JOIN dependencies d ON d.depends_on_id = b.id AND d.type = 'parent-child'
  UNION
  SELECT c.id FROM blocked b CROSS JOIN issues c ON c.id > b.id || '.' AND c.id < b.id || '/'
)
SELECT id FROM blocked`;
const OLD_DESCENDANTS = `
WITH RECURSIVE descendant(id) AS (
  SELECT ?
  UNION
  SELECT d.issue_id FROM descendant p CROSS JOIN dependencies d ON d.depends_on_id = p.id AND d.type = 'parent-child'
  UNION
  SELECT c.id FROM descendant p CROSS JOIN issues c ON c.id > p.id || '.' AND c.id < p.id || '/'
)
SELECT id FROM descendant`;

/** Epic status's counts before: children by edge only. */
const OLD_EPIC_COUNTS = `
SELECT e.id AS id, count(c.id) AS total, coalesce(sum(${isDone("c.status")}), 0) AS closed
FROM issues e
LEFT JOIN dependencies d ON d.depends_on_id = e.id AND d.type = 'parent-child'
LEFT JOIN issues c ON c.id = d.issue_id
WHERE e.issue_type = 'epic' AND ${isNotDone("e.status")}
GROUP BY e.id ORDER BY e.priority, e.id`;

const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log("| issues | operation | before (ms) | parent rule (ms) | ratio |");
console.log("| ---: | --- | ---: | ---: | ---: |");
for (const size of SIZES) {
  const dir = Deno.makeTempDirSync({ prefix: "bd-bench-parents-" });
  const { beads } = initWorkspace({ cwd: dir, env: {}, prefix: "bench", actor: "bench", autoFlush: false });
  importRecords(beads, parseJsonl(generate(size).join("\n") + "\n").records);
  const epics = beads.list({ type: ["epic"] }, { limit: 20 }).issues.map((i) => i.id);
  const count = (sql: string, ...params: string[]) => beads.db.all(`SELECT count(*) AS n FROM (${sql})`, ...params);
  let e = 0;
  const cases: [string, () => unknown, () => unknown][] = [
    ["the whole blocked set", () => count(OLD_BLOCKED), () => count(BLOCKED_IDS_SQL)],
    [
      "an epic's descendants (list --parent)",
      () => count(OLD_DESCENDANTS, epics[e++ % epics.length]),
      () => count(DESCENDANTS_SQL, epics[e++ % epics.length]),
    ],
    ["epic status's counts", () => beads.db.all(OLD_EPIC_COUNTS), () => epicChildCounts(beads.db)],
  ];
  for (const [name, before, after] of cases) {
    const a: number[] = [], b: number[] = [];
    for (let i = 0; i < RUNS; i++) a.push(time(before)), b.push(time(after));
    const ma = median(a), mb = median(b);
    console.log(`| ${size} | ${name} | ${ma.toFixed(2)} | ${mb.toFixed(2)} | ${(mb / ma).toFixed(2)} |`);
  }
  // A write under an epic: create a child, then close it; the kept blocked set follows incrementally.
  const writes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    writes.push(time(() => {
      const c = beads.create({ title: `child ${i}`, parent: epics[i % epics.length] });
      beads.closeIssue(c.id, "done");
    }));
  }
  console.log(
    `| ${size} | create a child + close it (two writes, kept set refreshed) | | ${median(writes).toFixed(2)} | |`,
  );
  beads.close();
  Deno.removeSync(dir, { recursive: true });
}
