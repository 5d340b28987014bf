/**
 * `bd serve --sync-every D`: the server keeps git current by running the same `bd sync` as the CLI
 * (pull, merge, import, push, with its retries) every D, and a few seconds after writes go quiet.
 * Each round is a child process running this very bd, so a slow fetch or a push retry never
 * blocks a request; one round at a time. A failed round is recorded and retried at the next one:
 * it never stops the server, and a write it could not push stays committed for the next round.
 */
import { spawn } from "node:child_process";
import { selfArgv } from "../core/sync/self_command.ts";
import { spanMs } from "../model/duration.ts";

/** What /healthz (with a token) and the UI's footer say about syncing. */
export interface SyncStatus {
  every_seconds: number;
  running: boolean;
  rounds: number;
  failures: number;
  /** When the last round finished, and whether it worked. */
  last_at?: string;
  last_ok_at?: string;
  /** The last round's error, until a round succeeds. */
  last_error?: string;
  /** What the last good round did (pulled, pushed, ...). */
  last_report?: { pulled: boolean; pushed: boolean; committed: boolean; push_retries: number };
}

export interface SyncSchedule {
  status(): SyncStatus;
  /** Tells the schedule that something was written (a round follows once writes go quiet). */
  wrote(): void;
  /** Runs a round now (or right after the running one); resolves when it has finished. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/** Reads `30s`, `5m`, `1h` (at least 1 s) as milliseconds. */
export function parseInterval(text: string): number {
  const ms = spanMs(text) ?? NaN;
  if (!Number.isFinite(ms) || ms < 1000) {
    throw new Error(`use a duration such as 30s, 5m or 1h (at least 1s), got ${JSON.stringify(text)}`);
  }
  return ms;
}

/**
 * Starts the schedule for the workspace at `cwd`. `quietMs` is how long after the last write a
 * round starts (at most the interval).
 */
export function startSyncSchedule(opts: {
  everyMs: number;
  cwd: string;
  env: Record<string, string | undefined>;
  quietMs?: number;
  log?: (line: string) => void;
}): SyncSchedule {
  const quietMs = Math.min(opts.quietMs ?? 3000, opts.everyMs);
  const status: SyncStatus = { every_seconds: opts.everyMs / 1000, running: false, rounds: 0, failures: 0 };
  let current: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let quiet: ReturnType<typeof setTimeout> | undefined;

  const round = (): Promise<void> =>
    new Promise((resolve) => {
      status.running = true;
      const [cmd, ...args] = selfArgv(opts.env);
      const child = spawn(cmd, [...args, "sync", "--json", "-m", "bd serve: sync"], {
        cwd: opts.cwd,
        env: { ...opts.env, NO_COLOR: "1" } as Record<string, string>,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "", err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      const done = (code: number | null, failure?: string) => {
        status.running = false;
        status.rounds++;
        status.last_at = new Date().toISOString();
        if (code === 0) {
          status.last_ok_at = status.last_at;
          delete status.last_error;
          try {
            const r = JSON.parse(out);
            status.last_report = {
              pulled: !!r.pulled,
              pushed: !!r.pushed,
              committed: !!r.committed,
              push_retries: Number(r.push_retries ?? 0),
            };
          } catch { /* a report bd could not parse is no failure of the sync */ }
        } else {
          status.failures++;
          status.last_error = failure ?? errorText(err) ?? `bd sync exited ${code}`;
          opts.log?.(`bd serve: sync failed (retried at the next round): ${status.last_error}`);
        }
        resolve();
      };
      child.on("error", (e) => done(null, `cannot run bd sync: ${e.message}`));
      child.on("close", (code) => done(code));
    });

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        await round();
      } while (again && !stopped);
      current = undefined;
    })();
    return current;
  };

  const timer = setInterval(() => void runNow(), opts.everyMs);
  return {
    status: () => ({ ...status }),
    wrote() {
      if (stopped) return;
      clearTimeout(quiet);
      quiet = setTimeout(() => void runNow(), quietMs);
    },
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(quiet);
      await current;
    },
  };
}

/** The message of bd's error line (text or JSON) on stderr. */
function errorText(stderr: string): string | undefined {
  const line = stderr.trim().split("\n").filter(Boolean).pop();
  if (!line) return undefined;
  try {
    const j = JSON.parse(line);
    if (typeof j.error === "string") return j.error;
  } catch { /* text */ }
  return line.replace(/^Error: /, "");
}
