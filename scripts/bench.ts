/**
 * Benchmarks: whole-process CLI timings (median of several runs) from source (`deno run
 * main.ts`) and from the single binary (`dist/bd`), beside the empty-script floor measured in the
 * same run; GraphQL throughput and latency from a separate load-generator process on 127.0.0.1;
 * `serve` memory. Writes BENCHMARKS.md.
 *
 * Usage: deno task bench [--sizes 10000,100000] [--runs 7] [--out BENCHMARKS.md]
 * Data comes from scripts/gen_data.ts (deterministic), cached under bench-data/.
 */
import { join } from "node:path";
import { generate } from "./gen_data.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const DENO = Deno.execPath();
const flag = (name: string, d: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : d;
};
const SIZES = flag("--sizes", "10000,100000").split(",").map(Number);
const RUNS = Number(flag("--runs", "7"));
const OUT = join(ROOT, flag("--out", "BENCHMARKS.md"));
const BIN = join(ROOT, "dist", "bd");
const haveBin = (() => {
  try {
    return Deno.statSync(BIN).isFile;
  } catch {
    return false;
  }
})();

const SOURCE = [
  DENO,
  "run",
  "--quiet",
  "--allow-all",
  "--no-prompt",
  "--config",
  join(ROOT, "deno.json"),
  join(ROOT, "main.ts"),
];
const ENV = {
  NO_COLOR: "1",
  BD_ACTOR: "bench",
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/tmp",
};

async function timeOnce(cmd: string[], cwd: string, stdin?: string): Promise<number> {
  const t = performance.now();
  const child = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env: ENV,
    stdin: stdin ? "piped" : "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const ms = performance.now() - t;
  if (out.code !== 0) throw new Error(`${cmd.slice(-3).join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Runs `args(i)` RUNS times (after one warm-up) and returns the median in ms. */
async function measure(
  prog: string[],
  cwd: string,
  args: (i: number) => string[],
  stdin?: () => string,
): Promise<number> {
  await timeOnce([...prog, ...args(-1)], cwd, stdin?.());
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) xs.push(await timeOnce([...prog, ...args(i)], cwd, stdin?.()));
  return median(xs);
}

/** Returns a workspace holding N generated issues (built once, copied for each use). */
async function dataset(n: number): Promise<{ dir: string; jsonl: string; ids: string[] }> {
  const base = join(ROOT, "bench-data", String(n));
  const jsonl = join(base, "issues.jsonl");
  try {
    Deno.statSync(join(base, ".beads", "bench.db"));
  } catch {
    await Deno.mkdir(base, { recursive: true });
    const lines = generate(n);
    await Deno.writeTextFile(jsonl, lines.join("\n") + "\n");
    const r = await new Deno.Command(DENO, {
      args: [
        "run",
        "-A",
        "--config",
        join(ROOT, "deno.json"),
        join(ROOT, "scripts", "gen_data.ts"),
        String(n),
        "--db",
        base,
      ],
      env: ENV,
    }).output();
    if (r.code !== 0) throw new Error(new TextDecoder().decode(r.stderr));
  }
  const dir = await Deno.makeTempDir({ prefix: `bd-bench-${n}-` });
  await Deno.mkdir(join(dir, ".beads"));
  for (const f of ["bench.db", "issues.jsonl", ".gitignore"]) {
    await Deno.copyFile(join(base, ".beads", f), join(dir, ".beads", f));
  }
  // One write so the copied metadata matches the copy's JSONL file state and the cache is fresh.
  await timeOnce([...SOURCE, "config", "set", "bench.ready", "1"], dir);
  const ids = (await Deno.readTextFile(jsonl)).split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((o) =>
    o.status === "open"
  )
    .map((o) => o.id as string);
  return { dir, jsonl, ids };
}

interface Row {
  what: string;
  source: number;
  binary?: number;
}

async function cliBench(n: number): Promise<{ rows: Row[]; floor: number; binFloor?: number }> {
  const { dir, jsonl, ids } = await dataset(n);
  const floorScript = join(dir, "empty.ts");
  await Deno.writeTextFile(floorScript, "");
  const floor = await measure([DENO, "run", floorScript], dir, () => []);
  const binFloor = haveBin ? await measure([BIN, "version"], dir, () => []) : undefined;
  const show = ids[Math.floor(ids.length / 2)];
  const cases: [string, (i: number) => string[], (() => string)?][] = [
    ["version", () => ["version"]],
    ["show ID", () => ["show", show]],
    ["ready --json", () => ["ready", "--json"]],
    ["ready --json --limit 100", () => ["ready", "--json", "--limit", "100"]],
    ["list --json", () => ["list", "--json"]],
    ["blocked --json", () => ["blocked", "--json"]],
    ["stats --json", () => ["stats", "--json"]],
    ["create (with auto-flush)", (i) => ["create", `bench create ${i}`, "-q", "--silent"]],
    ["update --priority", (i) => ["update", ids[(i + 10) % ids.length], "--priority", String((i + 7) % 5), "-q"]],
    ["close", (i) => ["close", ids[(i + 1000) % ids.length], "-q"]],
    ["dep add (with cycle check)", (i) => ["dep", "add", ids[ids.length - 2 - i - 3 * RUNS], ids[i + 3 * RUNS], "-q"]],
  ];
  const rows: Row[] = [];
  let k = 0;
  for (const [what, args] of cases) {
    const offset = (k++) * 50;
    const source = await measure(SOURCE, dir, (i) => args(i + offset + 1));
    const binary = haveBin ? await measure([BIN], dir, (i) => args(i + offset + 60)) : undefined;
    rows.push({ what, source, binary });
    console.error(
      `${n}: ${what}: ${source.toFixed(1)} ms (source)${binary ? `, ${binary.toFixed(1)} ms (binary)` : ""}`,
    );
  }
  // Whole-set export and import (into a fresh workspace each time).
  const exportMs = await measure(SOURCE, dir, () => ["export", "-o", join(dir, "out.jsonl")]);
  const exportBin = haveBin ? await measure([BIN], dir, () => ["export", "-o", join(dir, "out.jsonl")]) : undefined;
  rows.push({ what: `export (${n} issues)`, source: exportMs, binary: exportBin });
  const importOnce = async (prog: string[]) => {
    const xs: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const fresh = await Deno.makeTempDir();
      await timeOnce([...SOURCE, "init", "--prefix", "bench", "-q"], fresh);
      xs.push(await timeOnce([...prog, "import", "-i", jsonl, "-q"], fresh));
      await Deno.remove(fresh, { recursive: true });
    }
    return median(xs);
  };
  rows.push({
    what: `import (${n} issues, fresh database)`,
    source: await importOnce(SOURCE),
    binary: haveBin ? await importOnce([BIN]) : undefined,
  });
  await Deno.remove(dir, { recursive: true });
  return { rows, floor, binFloor };
}

async function startServe(prog: string[], dir: string): Promise<{ url: string; child: Deno.ChildProcess }> {
  const child = new Deno.Command(prog[0], {
    args: [...prog.slice(1), "serve", "--port", "0", "--json"],
    cwd: dir,
    env: ENV,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("serve did not start");
    line += value;
  }
  reader.releaseLock();
  return { url: JSON.parse(line).url, child };
}

async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

interface LoadResult {
  what: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

async function graphqlBench(n: number, prog: string[]): Promise<{ results: LoadResult[]; rss: number }> {
  const { dir, ids } = await dataset(n);
  const { url, child } = await startServe(prog, dir);
  const queries: [string, string, number][] = [
    ["{ __typename } (ceiling of server + load generator)", JSON.stringify({ query: "{ __typename }" }), 3000],
    ["ready(limit: 50)", JSON.stringify({ query: "{ ready(limit: 50) { id title priority status } }" }), 3000],
    [
      "issues(first: 100) with dependencies and labels",
      JSON.stringify({
        query: "{ issues(first: 100) { nodes { id title labels dependencies { type dependsOnId } } } }",
      }),
      1000,
    ],
    [
      "mutation updateIssue(notes)",
      JSON.stringify({
        query: `mutation { updateIssue(input: { id: "${ids[5]}", notes: "bench" }) { issue { id } } }`,
      }),
      500,
    ],
  ];
  const results: LoadResult[] = [];
  for (const [what, body, requests] of queries) {
    const out = await new Deno.Command(DENO, {
      args: [
        "run",
        "-A",
        join(ROOT, "scripts", "load.ts"),
        url,
        body,
        "--requests",
        String(requests),
        "--concurrency",
        "10",
      ],
      stdout: "piped",
    }).output();
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    results.push({ what, ...r });
    console.error(
      `${n} graphql ${
        prog.length > 1 ? "source" : "binary"
      }: ${what}: ${r.rps} req/s p50 ${r.p50_ms} ms p99 ${r.p99_ms} ms (${r.errors} errors)`,
    );
  }
  const rss = await rssMb(child.pid);
  child.kill("SIGTERM");
  await child.status;
  await child.stdout.cancel().catch(() => {});
  await Deno.remove(dir, { recursive: true });
  return { results, rss };
}

const fmt = (ms?: number) => (ms === undefined ? "–" : ms.toFixed(1));
const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
const mem = Math.round(Number(/MemTotal:\s+(\d+)/.exec(await Deno.readTextFile("/proc/meminfo"))![1]) / 1024 / 1024);
const lines: string[] = [
  "# Benchmarks",
  "",
  `Measured ${
    new Date().toISOString().slice(0, 16).replace("T", " ")
  } UTC on ${navigator.hardwareConcurrency} cores (${cpu}), ${mem} GiB,`,
  `Deno ${Deno.version.deno}, bd ${
    JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).version
  }. Reproduce: \`deno task build && deno task bench\``,
  `(${RUNS} runs per figure, median, after one warm-up; data from \`scripts/gen_data.ts\`, seed 42: ~2 dependencies`,
  "per issue of mixed types, epics with hierarchical children, labels, comments). Whole-process wall time in ms.",
  "",
];
for (const n of SIZES) {
  const { rows, floor, binFloor } = await cliBench(n);
  lines.push(`## CLI at ${n.toLocaleString("en")} issues`, "");
  lines.push(
    `Floor in this run: empty \`deno run\` script **${fmt(floor)} ms**${
      binFloor ? `; \`dist/bd version\` **${fmt(binFloor)} ms**` : ""
    }.`,
    "",
  );
  lines.push("| command | deno run main.ts | × floor | dist/bd |", "|---|---:|---:|---:|");
  for (const r of rows) {
    lines.push(`| ${r.what} | ${fmt(r.source)} | ${(r.source / floor).toFixed(2)} | ${fmt(r.binary)} |`);
  }
  lines.push("");
}
for (const n of SIZES) {
  lines.push(`## GraphQL at ${n.toLocaleString("en")} issues`, "");
  lines.push("10 concurrent clients from a separate process (`scripts/load.ts`) on 127.0.0.1.", "");
  lines.push("| server | request | req/s | p50 ms | p99 ms | errors |", "|---|---|---:|---:|---:|---:|");
  const rssRows: string[] = [];
  for (
    const [label, prog] of [["deno run", SOURCE], ...(haveBin ? [["dist/bd", [BIN]]] : [])] as [string, string[]][]
  ) {
    const { results, rss } = await graphqlBench(n, prog);
    for (const r of results) {
      lines.push(`| ${label} | ${r.what} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} |`);
    }
    rssRows.push(`${label}: ${rss} MB`);
  }
  lines.push("", `\`serve\` resident memory after the load: ${rssRows.join(", ")}.`, "");
}
const notesPath = join(ROOT, "scripts", "bench_notes.md");
try {
  lines.push(await Deno.readTextFile(notesPath));
} catch { /* no notes */ }
await Deno.writeTextFile(OUT, lines.join("\n") + "\n");
console.error(`wrote ${OUT}`);
