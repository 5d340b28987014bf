/**
 * `bd hooks`: opt-in git hooks (never installed unasked). pre-commit flushes the database to
 * `.beads/issues.jsonl` and stages that file and nothing else; post-merge and post-checkout import
 * it. A hook that was there before is kept and run first (chained), never overwritten.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { BdError } from "../../model/errors.ts";
import { git } from "./git.ts";

export const HOOK_NAMES = ["pre-commit", "post-merge", "post-checkout"] as const;
const MARK = "# bd hook: installed by 'bd hooks install'; 'bd hooks uninstall' removes it";
const CHAINED = ".bd-chained";

export interface HookState {
  name: string;
  /** bd's hook is installed; `other`: someone else's hook is there instead. */
  state: "installed" | "other" | "none";
  /** A previous hook that bd's runs first. */
  chained: boolean;
  path: string;
}

function hooksDir(root: string): string {
  const dir = git(root, ["rev-parse", "--git-path", "hooks"]).out;
  return isAbsolute(dir) ? dir : join(root, dir);
}

function script(name: string, jsonl: string): string {
  const action = name === "pre-commit"
    ? `bd export -o '${jsonl}' -q >/dev/null || exit $?\ngit add -- '${jsonl}'`
    : `bd import -q >/dev/null || echo "bd: could not import ${jsonl}; run 'bd doctor'" >&2`;
  return `#!/bin/sh
${MARK}
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${name}${CHAINED}" ]; then "$hook_dir/${name}${CHAINED}" "$@" || exit $?; fi
command -v bd >/dev/null 2>&1 || exit 0
${action}
`;
}

function repoRoot(dir: string): string {
  const top = git(dir, ["rev-parse", "--show-toplevel"], { allowFail: true });
  if (!top.ok) throw new BdError("VALIDATION", `${dir} is not inside a git repository: hooks need git`);
  return top.out;
}

/** Reports which of bd's hooks are installed. */
export function listHooks(beadsDir: string): HookState[] {
  const dir = hooksDir(repoRoot(beadsDir));
  return HOOK_NAMES.map((name) => {
    const path = join(dir, name);
    const text = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    return {
      name,
      path,
      state: text === undefined ? "none" : text.includes(MARK) ? "installed" : "other",
      chained: existsSync(path + CHAINED),
    };
  });
}

/** Installs bd's hooks (idempotent), chaining any hook that was there. */
export function installHooks(beadsDir: string, jsonlPath: string): HookState[] {
  const root = repoRoot(beadsDir);
  const dir = hooksDir(root);
  mkdirSync(dir, { recursive: true });
  const jsonl = relative(root, jsonlPath).split("\\").join("/");
  for (const h of listHooks(beadsDir)) {
    if (h.state === "other") {
      if (existsSync(h.path + CHAINED)) {
        throw new BdError("CONFLICT", `${h.path} and ${h.path}${CHAINED} both exist: merge them by hand first`);
      }
      renameSync(h.path, h.path + CHAINED);
    }
    writeFileSync(h.path, script(h.name, jsonl));
    chmodSync(h.path, 0o755);
  }
  return listHooks(beadsDir);
}

/** Removes bd's hooks and puts chained ones back. */
export function uninstallHooks(beadsDir: string): HookState[] {
  for (const h of listHooks(beadsDir)) {
    if (h.state !== "installed") continue;
    unlinkSync(h.path);
    if (h.chained) renameSync(h.path + CHAINED, h.path);
  }
  return listHooks(beadsDir);
}
