/**
 * Test helpers: run the real bd program in a temporary workspace. The program comes from one
 * place: `BD_BIN` (e.g. `dist/bd`, the single binary), else `deno run main.ts` from source.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DENO = Deno.execPath();

/** The command line that runs bd (binary or source). */
export function bdCommand(): string[] {
  const bin = Deno.env.get("BD_BIN");
  if (bin) return [bin.startsWith("/") ? bin : join(ROOT, bin)];
  return [
    DENO,
    "run",
    "--quiet",
    "--allow-all",
    "--no-prompt",
    "--config",
    join(ROOT, "deno.json"),
    join(ROOT, "main.ts"),
  ];
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not). */
  // deno-lint-ignore no-explicit-any
  json<T = any>(): T;
}

/** Returns the base environment for bd in tests (no colour, fixed actor). */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    NO_COLOR: "1",
    BD_ACTOR: "tester",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? "",
    ...extra,
  };
}

/** Runs bd with `args` in `cwd`; never throws on a non-zero exit. */
export async function bd(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; clearEnv?: boolean } = {},
): Promise<Result> {
  const [cmd, ...pre] = bdCommand();
  const env = baseEnv(opts.env);
  if (!env.DENO_DIR) delete env.DENO_DIR;
  const child = new Deno.Command(cmd, {
    args: [...pre, ...args],
    cwd,
    env,
    clearEnv: true,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  return {
    code: out.code,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not JSON (exit ${out.code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** Runs bd and fails the test unless it exits 0; returns the result. */
export async function bdOk(cwd: string, args: string[], opts: Parameters<typeof bd>[2] = {}): Promise<Result> {
  const r = await bd(cwd, args, opts);
  if (r.code !== 0) throw new Error(`bd ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** Creates a temp dir with an initialised workspace (prefix `test`); returns its path. */
export async function workspace(prefix = "test", extraArgs: string[] = []): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bd-test-" });
  await bdOk(dir, ["init", "--prefix", prefix, "-q", ...extraArgs]);
  return dir;
}

/** Creates an issue through the CLI and returns its ID. */
export async function createIssue(dir: string, title: string, ...flags: string[]): Promise<string> {
  return (await bdOk(dir, ["create", title, "--json", ...flags])).json().id;
}

/** Polls `check` until it returns true or the deadline passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface Server {
  url: string;
  child: Deno.ChildProcess;
  stderr: () => string;
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Starts `bd serve --port 0 --json` in `dir` and returns its URL once it listens. */
export async function startServer(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const [cmd, ...pre] = bdCommand();
  const child = new Deno.Command(cmd, {
    args: [...pre, "serve", "--port", "0", "--json", ...args],
    cwd: dir,
    env: { NO_COLOR: "1", BD_ACTOR: "server", PATH: Deno.env.get("PATH")!, ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) err += c;
  })();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const deadline = Date.now() + 20_000;
  while (!buf.includes("\n")) {
    const { value, done } = await Promise.race([
      reader.read(),
      new Promise<{ value: undefined; done: true }>((r) =>
        setTimeout(() => r({ value: undefined, done: true }), Math.max(0, deadline - Date.now()))
      ),
    ]);
    if (done) throw new Error(`bd serve did not start: ${err}`);
    buf += value;
  }
  reader.releaseLock();
  const { url } = JSON.parse(buf.split("\n")[0]);
  return {
    url,
    child,
    stderr: () => err,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      const status = await child.status;
      await child.stdout.cancel().catch(() => {});
      return status;
    },
  };
}

/** Real data the tests read, carried in the repository (tests/fixtures/data/README.md says where each came from). */
export const FIXTURE_DATA = join(ROOT, "tests", "fixtures", "data");
/** The beads project's own issues.jsonl as exported on 2025-12-14 (894 issues). */
export const REAL_EXPORT = join(FIXTURE_DATA, "beads-2025-12-14.jsonl");

/** A workspace (prefix `prefix`) holding `n` open, unassigned issues `PREFIX-w0000`... with fixed times. */
export async function workspaceWithIssues(n: number, prefix = "test"): Promise<string> {
  const dir = await workspace(prefix);
  const text = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `${prefix}-w${String(i).padStart(4, "0")}`,
      title: `work ${i}`,
      status: "open",
      priority: i % 5,
      issue_type: "task",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
    })).join("\n");
  await bdOk(dir, ["import", "-i", "-"], { stdin: text + "\n" });
  return dir;
}
