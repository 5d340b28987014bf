/**
 * bd's git hooks (`bd init` installs them unless --skip-hooks; `bd hooks`): pre-commit flushes the
 * database to `.beads/issues.jsonl` and stages that file and nothing else; post-merge and
 * post-checkout import it. A hook that was there before is kept and run first (chained), never
 * overwritten. A hook runs bd by the command recorded when it was installed (self_command.ts),
 * not by PATH. bd's part stands aside when bd itself runs git (`bd sync` keeps the file and the
 * database in step on its own) and in the middle of a rebase, whose steps hold partial files:
 * the next bd command imports the finished one.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { BdError } from "../../model/errors.ts";
import { git, gitRelativePath } from "./git.ts";
import { commandProgram, selfCommand, shellQuote } from "./self_command.ts";

export const HOOK_NAMES = ["pre-commit", "post-merge", "post-checkout"] as const;
const MARK = "# bd hook: installed by 'bd hooks install'; 'bd hooks uninstall' removes it";
const CHAINED = ".bd-chained";

/** Set in the environment of every git that bd runs (git.ts): bd's hooks then do nothing. */
export const BD_RUNNING_GIT = "BD_RUNNING_GIT";

export interface HookState {
  name: string;
  /** The bd command an installed hook runs. */
  command?: string;
  /** bd's hook is installed; `other`: someone else's hook is there instead. */
  state: "installed" | "other" | "none";
  /** A previous hook that bd's runs first. */
  chained: boolean;
  /** bd's hook is installed but was written by an older bd (its script is not today's). */
  outdated?: boolean;
  path: string;
}

function hooksDir(root: string): string {
  const dir = git(root, ["rev-parse", "--git-path", "hooks"]).out;
  return isAbsolute(dir) ? dir : join(root, dir);
}

/** The marker line that records which bd a hook runs (read back by listHooks and bd doctor). */
const COMMAND_LINE = "# bd command: ";

function script(name: string, jsonl: string, bd: string): string {
  // The import's notes (an issue moved to a new ID because the file holds another under its old
  // one) reach the person or agent running git on stderr; its summary does not.
  // In a linked worktree (its .git is a file) the issues live in the main worktree's shared file:
  // the worktree's own copy is whatever its branch holds, and bd does not commit into it.
  const action = name === "pre-commit"
    ? `[ -f "$(git rev-parse --show-toplevel)/.git" ] && exit 0\n${bd} export -o '${jsonl}' -q >/dev/null || exit $?\ngit add -- '${jsonl}'`
    : `for step in rebase-merge rebase-apply; do [ -d "$(git rev-parse --git-path $step)" ] && exit 0; done
${bd} import >/dev/null || echo "bd: could not import ${jsonl}; run 'bd doctor'" >&2`;
  const program = commandProgram(bd) ?? "bd";
  // A bd that was moved or uninstalled must not block commits, but must not go unnoticed either.
  const present = program.includes("/") ? `[ -x ${shellQuote(program)} ]` : `command -v ${program} >/dev/null 2>&1`;
  return `#!/bin/sh
${MARK}
${COMMAND_LINE}${bd}
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${name}${CHAINED}" ]; then "$hook_dir/${name}${CHAINED}" "$@" || exit $?; fi
[ -n "$${BD_RUNNING_GIT}" ] && exit 0
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

/** Reports which of bd's hooks are installed (and whether an older bd wrote them). */
export function listHooks(beadsDir: string, jsonlPath?: string): HookState[] {
  const root = repoRoot(beadsDir);
  const dir = hooksDir(root);
  const jsonl = jsonlPath ? gitRelativePath(root, jsonlPath) : undefined;
  return HOOK_NAMES.map((name) => {
    const path = join(dir, name);
    const text = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const recorded = text?.split("\n").find((l) => l.startsWith(COMMAND_LINE))?.slice(COMMAND_LINE.length);
    const ours = text?.includes(MARK);
    return {
      name,
      path,
      ...(ours ? { command: recorded ?? "bd" } : {}),
      ...(ours && jsonl !== undefined ? { outdated: text !== script(name, jsonl, recorded ?? "bd") } : {}),
      state: text === undefined ? "none" : ours ? "installed" : "other",
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
  return listHooks(beadsDir, jsonlPath);
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
