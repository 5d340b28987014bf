/**
 * What custom statuses cost the rules that read them, in process (no start-up), at 100k issues:
 * ready (each sort), the ready count, the default list and its count, stats and blocked, first with
 * no custom statuses, then with status.custom giving ~1% of the issues active, done, wip and frozen
 * statuses. Each pair is measured alternately in one run and reported as a ratio.
 *
 * Usage: deno run -A scripts/bench_statuses.ts [--size 100000] [--runs 15]
 */
import { initWorkspace } from "../src/core/init.ts";
import { importRecords } from "../src/core/sync/jsonl_import.ts";
import { parseJsonl } from "../src/core/sync/jsonl.ts";
import { generate } from "./gen_data.ts";

const flag = (name: string, d: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : d;
};
const SIZE = Number(flag("--size", "100000"));
const RUNS = Number(flag("--runs", "15"));

function workspace(custom: boolean) {
  const dir = Deno.makeTempDirSync({ prefix: "bd-bench-statuses-" });
  const { beads } = initWorkspace({ cwd: dir, env: {}, prefix: "bench", actor: "bench", autoFlush: false });
  importRecords(beads, parseJsonl(generate(SIZE).join("\n") + "\n").records);
  if (custom) {
    beads.configSet("status.custom", "in_review:active,shipped:done,qa:wip,on_hold:frozen");
    // ~1% of the open issues each way, with plain SQL (one write; the rules read the statuses as they are).
    beads.db.write(() => {
      for (const [status, mod] of [["in_review", 0], ["shipped", 1], ["qa", 2], ["on_hold", 3]] as const) {
        beads.db.run(
          "UPDATE issues SET status = ? WHERE status = 'open' AND (rowid % 400) = ?",
          status,
          mod,
        );
      }
    });
    beads.update(beads.list({}, { limit: 1 }).issues[0].id, { title: "refresh the kept sets" });
  }
  return beads;
}

const plain = workspace(false);
const custom = workspace(true);
const counts = custom.countBy({ includeClosed: true }, "status").map((g) => `${g.key} ${g.count}`).join(", ");

const cases: [string, (b: typeof plain) => unknown][] = [
  ["ready --limit 10 (hybrid)", (b) => b.ready({ limit: 10 })],
  ["ready --limit 100 --sort priority", (b) => b.ready({ limit: 100, sort: "priority" })],
  ["ready --limit 100 --sort oldest", (b) => b.ready({ limit: 100, sort: "oldest" })],
  ["ready count (stats)", (b) => b.stats()],
  ["list --limit 50 (default)", (b) => b.list({}, { limit: 50 })],
  ["count of the default list", (b) => b.count({})],
  ["blocked", (b) => b.blocked()],
];

const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`${SIZE} issues; with status.custom: ${counts}\n`);
console.log("| operation | no custom statuses (ms) | with custom statuses (ms) | ratio |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, op] of cases) {
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(time(() => op(plainFresh(plain))));
    b.push(time(() => op(plainFresh(custom))));
  }
  const ma = median(a), mb = median(b);
  console.log(`| ${name} | ${ma.toFixed(2)} | ${mb.toFixed(2)} | ${(mb / ma).toFixed(2)} |`);
}

/** Forgets the ready memo (kept for servers that ask many times a second), so each run does the work. */
function plainFresh(b: typeof plain) {
  (b as unknown as { shared: { readyMemo: Map<string, unknown> } }).shared.readyMemo.clear();
  return b;
}
