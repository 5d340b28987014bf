/**
 * `bd hooks`: opt-in git hooks (never installed unasked). pre-commit flushes the database to
 * `.beads/issues.jsonl` and stages that file and nothing else; post-merge and post-checkout import
 * it. A hook that was there before is kept and run first (chained), never overwritten. A hook runs
 * bd by the command recorded when it was installed (self_command.ts), not by PATH.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { BdError } from "../../model/errors.ts";
import { git, gitRelativePath } from "./git.ts";
import { commandProgram, selfCommand, shellQuote } from "./self_command.ts";

export const HOOK_NAMES = ["pre-commit", "post-merge", "post-checkout"] as const;
const MARK = "# bd hook: installed by 'bd hooks install'; 'bd hooks uninstall' removes it";
const CHAINED = ".bd-chained";

export interface HookState {
  name: string;
  /** The bd command an installed hook runs. */
  command?: string;
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

/** The marker line that records which bd a hook runs (read back by listHooks and bd doctor). */
const COMMAND_LINE = "# bd command: ";

function script(name: string, jsonl: string, bd: string): string {
  // In a linked worktree (its .git is a file) the issues live in the main worktree's shared file:
  // the worktree's own copy is whatever its branch holds, and bd does not commit into it.
  const action = name === "pre-commit"
    ? `[ -f "$(git rev-parse --show-toplevel)/.git" ] && exit 0\n${bd} export -o '${jsonl}' -q >/dev/null || exit $?\ngit add -- '${jsonl}'`
    : `${bd} import -q >/dev/null || echo "bd: could not import ${jsonl}; run 'bd doctor'" >&2`;
  const program = commandProgram(bd) ?? "bd";
  // A bd that was moved or uninstalled must not block commits, but must not go unnoticed either.
  const present = program.includes("/") ? `[ -x ${shellQuote(program)} ]` : `command -v ${program} >/dev/null 2>&1`;
  return `#!/bin/sh
${MARK}
${COMMAND_LINE}${bd}
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${name}${CHAINED}" ]; then "$hook_dir/${name}${CHAINED}" "$@" || exit $?; fi
${present} || { echo "bd hook: ${
    program.replaceAll('"', "")
  } is not there (bd moved or uninstalled?): run 'bd doctor --fix'" >&2; exit 0; }
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
    const recorded = text?.split("\n").find((l) => l.startsWith(COMMAND_LINE))?.slice(COMMAND_LINE.length);
    return {
      name,
      path,
      ...(text?.includes(MARK) ? { command: recorded ?? "bd" } : {}),
      state: text === undefined ? "none" : text.includes(MARK) ? "installed" : "other",
      chained: existsSync(path + CHAINED),
    };
  });
}

/** Installs bd's hooks running `bd` (this bd by default), idempotently, chaining any hook that was there. */
export function installHooks(beadsDir: string, jsonlPath: string, bd: string = selfCommand()): HookState[] {
  const root = repoRoot(beadsDir);
  const dir = hooksDir(root);
  mkdirSync(dir, { recursive: true });
  const jsonl = gitRelativePath(root, jsonlPath);
  for (const h of listHooks(beadsDir)) {
    if (h.state === "other") {
      if (existsSync(h.path + CHAINED)) {
        throw new BdError("CONFLICT", `${h.path} and ${h.path}${CHAINED} both exist: merge them by hand first`);
      }
      renameSync(h.path, h.path + CHAINED);
    }
    writeFileSync(h.path, script(h.name, jsonl, bd));
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
