/** Running git: every call in one place, with output limits chosen for real sizes. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path, { dirname, join } from "node:path";
import process from "node:process";
import { BdError } from "../../model/errors.ts";

// Loaded on first use: init pulls this module in, and node:child_process costs start-up time.
const childProcess = () => process.getBuiltinModule("node:child_process") as typeof import("node:child_process");

/**
 * The most output bd accepts from one git call. The largest thing bd reads from git is one
 * version of `issues.jsonl` (42 MB at 100k issues); Node's default (1 MiB) failed at bd's own
 * tracker (2 MB, ENOBUFS). 512 MiB is an order of magnitude above 100k issues and still below
 * the longest string the JS engines here can hold.
 */
export const GIT_MAX_OUTPUT = 512 * 1024 * 1024;

export interface GitResult {
  ok: boolean;
  status: number;
  out: string;
  err: string;
}

/** Runs `git args` in `cwd`; throws on failure unless `allowFail`. */
export function git(
  cwd: string,
  args: string[],
  opts: { allowFail?: boolean; env?: Record<string, string>; trim?: boolean } = {},
): GitResult {
  const r = childProcess().spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    maxBuffer: GIT_MAX_OUTPUT,
    stdio: ["ignore", "pipe", "pipe"],
    // BD_RUNNING_GIT: bd's own git hooks stand aside (hooks.ts); bd keeps the file in step itself.
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", BD_RUNNING_GIT: "1", ...(opts.env ?? {}) },
  });
  if (r.error) throw new BdError("INTERNAL", `cannot run git ${args[0]}: ${r.error.message}`);
  const trim = opts.trim ?? true;
  const result = {
    ok: r.status === 0,
    status: r.status ?? 1,
    out: trim ? String(r.stdout ?? "").trim() : String(r.stdout ?? ""),
    err: String(r.stderr ?? "").trim(),
  };
  if (!result.ok && !opts.allowFail) {
    throw new BdError("INTERNAL", `git ${args.join(" ")} failed: ${result.err || result.out}`);
  }
  return result;
}

/** Returns the text of a blob (`:1:path`, `HEAD:path`, ...), or undefined if it does not exist. */
export function gitBlob(cwd: string, spec: string): string | undefined {
  const r = git(cwd, ["cat-file", "blob", spec], { allowFail: true, trim: false });
  return r.ok ? r.out : undefined;
}

/** The repository's git directory (absolute). */
export function gitDir(root: string): string {
  const dir = git(root, ["rev-parse", "--absolute-git-dir"]).out;
  return dir;
}

/** What git is in the middle of, if anything: a rebase, a merge, a cherry-pick or a revert. */
export function operationInProgress(root: string): "rebase" | "merge" | "cherry-pick" | "revert" | undefined {
  const dir = gitDir(root);
  if (existsSync(join(dir, "rebase-merge")) || existsSync(join(dir, "rebase-apply"))) return "rebase";
  if (existsSync(join(dir, "MERGE_HEAD"))) return "merge";
  if (existsSync(join(dir, "CHERRY_PICK_HEAD"))) return "cherry-pick";
  if (existsSync(join(dir, "REVERT_HEAD"))) return "revert";
  return undefined;
}

/** Paths with unresolved conflicts. */
export function unmergedPaths(root: string): string[] {
  return git(root, ["diff", "--name-only", "--diff-filter=U"], { allowFail: true }).out.split("\n").filter(Boolean);
}

/**
 * A file's path relative to the repository root as git writes it (forward slashes, also on
 * Windows): for .gitattributes lines and hook scripts. `p` is node:path (path.win32 in tests).
 */
export function gitRelativePath(root: string, file: string, p: typeof path = path): string {
  return p.relative(root, file).split(p.sep).join("/");
}

/**
 * Adds `dir` to the repository's own exclude file (.git/info/exclude: never committed), so git
 * ignores it in this clone only; returns the file, or undefined outside git.
 */
export function excludeFromGit(dir: string): string | undefined {
  const top = git(dir, ["rev-parse", "--show-toplevel"], { allowFail: true });
  if (!top.ok) return undefined;
  const file = git(top.out, ["rev-parse", "--path-format=absolute", "--git-path", "info/exclude"]).out;
  const line = `/${gitRelativePath(top.out, dir)}/`;
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (!before.split("\n").includes(line)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${before}${before && !before.endsWith("\n") ? "\n" : ""}${line}\n`);
  }
  return file;
}
