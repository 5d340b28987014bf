/**
 * Remote mode's cost (issue 29): `dist/bd --server` through a TCP proxy that adds a round trip of
 * 2 × DELAY (and one more when a connection opens, the handshake loopback does not pay), against
 * the same command run locally, at 10k issues. The floor for a fresh process over plain TCP is two
 * round trips (connect, request) plus the command's own work, so each command is reported as
 * remote / (2 round trips + local). Also: requests per command (must be 1), the same with no delay,
 * and 8 concurrent remote clients' throughput.
 *
 * Usage: deno run -A scripts/bench_remote.ts [--bin dist/bd] [--size 10000] [--runs 15] [--delay 50]
 */
import { join } from "node:path";
import { generate } from "./gen_data.ts";
import { startDelayProxy } from "./delay_proxy.ts";

const flag = (name: string, d: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : d;
};
const ROOT = new URL("..", import.meta.url).pathname;
const BIN = join(ROOT, flag("--bin", "dist/bd"));
const SIZE = Number(flag("--size", "10000"));
const RUNS = Number(flag("--runs", "15"));
const DELAY = Number(flag("--delay", "50"));

const env = (extra: Record<string, string> = {}) => ({
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/tmp",
  NO_COLOR: "1",
  BD_ACTOR: "bench",
  ...extra,
});

/** Runs bd and times it; asynchronously, so that the proxy in this process keeps forwarding meanwhile. */
async function run(
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
): Promise<{ ms: number; out: string }> {
  const t = performance.now();
  const r = await new Deno.Command(BIN, {
    args,
    cwd,
    env: env(extra),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const ms = performance.now() - t;
  if (r.code !== 0) throw new Error(`bd ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  return { ms, out: new TextDecoder().decode(r.stdout) };
}

async function workspace(): Promise<string> {
  const dir = Deno.makeTempDirSync({ prefix: "bd-bench-remote-" });
  await run(["init", "--prefix", "bench", "-q", "--skip-hooks"], dir);
  Deno.writeTextFileSync(join(dir, "data.jsonl"), generate(SIZE).join("\n") + "\n");
  await run(["import", "data.jsonl", "-q"], dir);
  return dir;
}

async function serve(dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = new Deno.Command(BIN, {
    args: ["serve", "--port", "0", "--json", "--allow-host", "127.0.0.1"],
    cwd: dir,
    env: env(),
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (!buf.includes("\n")) buf += (await reader.read()).value ?? "";
  reader.releaseLock();
  const { port } = JSON.parse(buf.split("\n")[0]);
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const local = await workspace();
const remoteDir = await workspace();
const client = Deno.makeTempDirSync({ prefix: "bd-bench-client-" });
const server = await serve(remoteDir);
const ids =
  (JSON.parse((await run(["list", "--json", "--limit", "0", "--sort", "id", "--status", "open"], local)).out) as {
    id: string;
  }[]).map((i) => i.id);

// Claimed and closed: open issues nobody holds (the same IDs in both workspaces: the same data).
const free = (JSON.parse(
  (await run(["list", "--json", "--limit", "0", "--sort", "id", "--status", "open", "--unassigned"], local)).out,
) as { id: string }[]).map((i) => i.id);

type Case = [string, (i: number) => string[]];
const cases: Case[] = [
  ["ready --json", () => ["ready", "--json"]],
  ["show ID --json", (i) => ["show", ids[i], "--json"]],
  ["update ID --claim --json", (i) => ["update", free[i], "--claim", "--json"]],
  ["close ID --json", (i) => ["close", free[i], "--json"]],
];

async function measure(delay: number): Promise<void> {
  const proxy = await startDelayProxy(server.port, delay);
  const rtt = 2 * delay;
  const through = { BD_SERVER: `http://127.0.0.1:${proxy.port}` };
  console.log(
    `\n### ${delay} ms each way (round trip ${rtt} ms; a new connection pays one more), ${SIZE} issues, ${RUNS} runs\n`,
  );
  console.log("| command | local (ms) | remote (ms) | floor: 2 round trips + local (ms) | remote / floor | requests |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [name, args] of cases) {
    const here: number[] = [], there: number[] = [];
    let requests = 0;
    for (let i = 0; i < RUNS; i++) {
      here.push((await run(args(i + (delay ? 0 : RUNS)), local)).ms);
      const before = proxy.requests();
      there.push((await run(args(i + (delay ? 0 : RUNS)), client, through)).ms);
      requests = Math.max(requests, proxy.requests() - before);
    }
    const l = median(here), r = median(there), floor = 2 * rtt + l;
    console.log(
      `| \`${name}\` | ${l.toFixed(1)} | ${r.toFixed(1)} | ${floor.toFixed(1)} | ${
        (r / floor).toFixed(2)
      } | ${requests} |`,
    );
  }
  await proxy.close();
}

await measure(DELAY);
await measure(0);

// Throughput: 8 remote clients at once, each running `ready --json` then `show` in a loop.
const proxy = await startDelayProxy(server.port, 0);
const PER_CLIENT = 25;
const started = performance.now();
await Promise.all(Array.from({ length: 8 }, (_, c) =>
  (async () => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const cmd = new Deno.Command(BIN, {
        args: i % 2 ? ["show", ids[(c * PER_CLIENT + i) % ids.length], "--json"] : ["ready", "--json"],
        cwd: client,
        env: env({ BD_SERVER: `http://127.0.0.1:${proxy.port}` }),
        clearEnv: true,
        stdout: "null",
        stderr: "null",
      });
      const r = await cmd.output();
      if (r.code !== 0) throw new Error("a remote command failed");
    }
  })()));
const seconds = (performance.now() - started) / 1000;
console.log(
  `\n8 concurrent remote clients (no delay): ${8 * PER_CLIENT} commands in ${seconds.toFixed(2)} s = ${
    (8 * PER_CLIENT / seconds).toFixed(0)
  } commands/s (${proxy.requests()} requests)`,
);
await proxy.close();
await server.stop();
