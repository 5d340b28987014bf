/**
 * A swarm of clones on one remote: N clones x R rounds, all at once, through a local bare
 * repository (never the network). Each round every clone creates two issues, labels a shared one
 * and calls `bd sync` once; no caller retries. Reports syncs, the retries inside sync, failed
 * syncs and the time until every clone's export is identical (the last round's pushes pulled by
 * one more sync per clone, in turn). Writes scripts/bench_swarm.md and its section of BENCHMARKS.md.
 *
 * Usage: deno task build && deno run -A scripts/bench_swarm.ts [--sizes 2464,10000] [--clones 8] [--rounds 4]
 *        [--bin dist/bd]
 */
import { join, resolve } from "node:path";
import { generate } from "./gen_data.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const flag = (name: string, d: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : d;
};
const SIZES = flag("--sizes", "2464,10000").split(",").map(Number);
const CLONES = Number(flag("--clones", "8"));
const ROUNDS = Number(flag("--rounds", "4"));
const BIN = resolve(ROOT, flag("--bin", "dist/bd"));

const env = (dir: string) => ({
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: dir,
  GIT_CONFIG_NOSYSTEM: "1",
  NO_COLOR: "1",
  BD_ACTOR: dir.split("/").pop()!,
});

async function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(cmd, { args, cwd, env: env(cwd), clearEnv: true, stdout: "piped", stderr: "piped" })
    .output();
  return { code: r.code, out: new TextDecoder().decode(r.stdout), err: new TextDecoder().decode(r.stderr) };
}

async function ok(cmd: string, args: string[], cwd: string): Promise<string> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} in ${cwd}: ${r.err || r.out}`);
  return r.out;
}

async function clone(root: string, name: string): Promise<string> {
  await ok("git", ["clone", "-q", join(root, "remote.git"), name], root);
  const dir = join(root, name);
  await ok("git", ["config", "user.name", name], dir);
  await ok("git", ["config", "user.email", `${name}@example.test`], dir);
  return dir;
}

async function swarm(size: number) {
  const root = await Deno.makeTempDir({ prefix: "bd-swarm-" });
  await ok("git", ["init", "-q", "--bare", "-b", "main", "remote.git"], root);
  const first = await clone(root, "c0");
  await ok("git", ["checkout", "-q", "-b", "main"], first);
  await Deno.mkdir(join(first, ".beads"));
  await Deno.writeTextFile(join(first, ".beads", "issues.jsonl"), generate(size, 7, "s").join("\n") + "\n");
  await ok(BIN, ["init", "--prefix", "s", "-q"], first);
  await ok("git", ["add", "-A"], first);
  await ok("git", ["commit", "-q", "-m", "start"], first);
  await ok("git", ["push", "-q", "-u", "origin", "main"], first);
  const dirs = [first];
  for (let c = 1; c < CLONES; c++) {
    const dir = await clone(root, `c${c}`);
    await ok(BIN, ["init", "-q"], dir);
    dirs.push(dir);
  }
  const shared = (JSON.parse(await ok(BIN, ["list", "--json", "--limit", String(ROUNDS), "--sort", "id"], first)) as {
    id: string;
  }[]).map((i) => i.id);
  let syncs = 0, failed = 0, retries = 0;
  const syncMs: number[] = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(dirs.map(async (dir, c) => {
      await ok(BIN, ["create", `round ${round} from c${c}`, "-q"], dir);
      await ok(BIN, ["create", `round ${round} from c${c}, second`, "-q"], dir);
      await ok(BIN, ["label", "add", shared[round], `r${round}-c${c}`, "-q"], dir);
      const t = performance.now();
      const r = await run(BIN, ["sync", "--json"], dir);
      syncMs.push(performance.now() - t);
      syncs++;
      if (r.code !== 0) failed++;
      else retries += JSON.parse(r.out).push_retries ?? 0;
    }));
  }
  for (const dir of dirs) {
    const r = await run(BIN, ["sync", "--json"], dir);
    syncs++;
    if (r.code !== 0) failed++;
  }
  const exports = await Promise.all(dirs.map((dir) => ok(BIN, ["export"], dir)));
  const converged = performance.now() - started;
  const identical = exports.every((e) => e === exports[0]);
  const expected = size + CLONES * ROUNDS * 2;
  const issues = exports[0].split("\n").filter((l) => l.startsWith('{"id"')).length;
  await Deno.remove(root, { recursive: true });
  syncMs.sort((a, b) => a - b);
  return {
    size,
    syncs,
    retries,
    failed,
    identical,
    lost: expected - issues,
    seconds: (converged / 1000).toFixed(1),
    median: Math.round(syncMs[Math.floor(syncMs.length / 2)]),
    slowest: Math.round(syncMs.at(-1)!),
  };
}

const rows: string[] = [];
for (const size of SIZES) {
  const r = await swarm(size);
  console.error(JSON.stringify(r));
  rows.push(
    `| ${size.toLocaleString("en")} | ${CLONES} x ${ROUNDS} | ${r.syncs} | ${r.retries} | ${r.failed} | ${r.lost} | ${
      r.identical ? "yes" : "**no**"
    } | ${r.seconds} s | ${r.median} / ${r.slowest} ms |`,
  );
}
const section = [
  "## A swarm of clones: one `bd sync` per clone per round",
  "",
  `\`deno run -A scripts/bench_swarm.ts\` (dist/bd, ${new Date().toISOString().slice(0, 10)}): ${CLONES} clones of one`,
  "local bare remote, all at once; each round every clone creates two issues, labels a shared issue and calls `bd sync`",
  "once, with no retry loop of its own. Then one more sync per clone, in turn, and the exports are compared.",
  "",
  "| issues | clones x rounds | syncs | retries inside sync | failed syncs | issues lost | exports identical | until identical | sync median / slowest |",
  "|---|---|---|---|---|---|---|---|---|",
  ...rows,
  "",
].join("\n");
await Deno.writeTextFile(join(ROOT, "scripts", "bench_swarm.md"), section);
const out = join(ROOT, "BENCHMARKS.md");
const text = await Deno.readTextFile(out);
const start = text.indexOf("## A swarm of clones");
const end = start < 0 ? -1 : text.indexOf("\n## ", start + 3);
const updated = start < 0
  ? `${text.trimEnd()}\n\n${section}`
  : `${text.slice(0, start)}${section}${end < 0 ? "" : text.slice(end + 1)}`;
await Deno.writeTextFile(out, updated.trimEnd() + "\n");
console.error(`wrote ${out}`);
