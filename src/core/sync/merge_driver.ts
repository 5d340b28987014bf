/**
 * bd as git's merge driver for `.beads/issues.jsonl`: the `.gitattributes` line and the
 * `merge.beads.*` git config that make plain `git merge`/`git pull` call `bd merge`, so that two
 * clones' edits merge issue by issue instead of leaving conflict markers in the file.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git, gitRelativePath } from "./git.ts";
import { selfCommand } from "./self_command.ts";

/** The driver's arguments after the program (git fills in the three versions' temp files). */
const DRIVER_ARGS = "merge %A %O %A %B";
export const DRIVER_NAME = "bd JSONL merge driver";
const ATTRIBUTES_COMMENT = "# Use bd merge for beads JSONL files";

/** The merge driver command for a bd started as `program` (see self_command.ts). */
export function driverCommand(program: string = selfCommand()): string {
  return `${program} ${DRIVER_ARGS}`;
}

/** The program part of a configured driver command (undefined when it is not bd's form). */
export function driverProgram(command: string): string | undefined {
  return command.endsWith(` ${DRIVER_ARGS}`) ? command.slice(0, -DRIVER_ARGS.length - 1) : undefined;
}

export interface MergeDriverState {
  /** The repository root, or undefined outside git. */
  root?: string;
  attributes: boolean;
  /** The configured `merge.beads.driver` command, if any. */
  driver?: string;
}

function repoRoot(dir: string): string | undefined {
  try {
    const r = git(dir, ["rev-parse", "--show-toplevel"], { allowFail: true });
    return r.ok ? r.out : undefined;
  } catch {
    return undefined; // git is not installed
  }
}

/** Returns the `.gitattributes` line for the workspace's JSONL (relative to the repository root). */
export function attributesLine(root: string, jsonlPath: string): string {
  return `${gitRelativePath(root, jsonlPath)} merge=beads`;
}

/** Reports whether the merge driver is configured for this workspace, and with what command. */
export function mergeDriverState(beadsDir: string, jsonlPath: string): MergeDriverState {
  const root = repoRoot(beadsDir);
  if (!root) return { attributes: false };
  const path = join(root, ".gitattributes");
  const attributes = existsSync(path) &&
    readFileSync(path, "utf8").split("\n").some((l) => l.trim() === attributesLine(root, jsonlPath));
  const driver = git(root, ["config", "--get", "merge.beads.driver"], { allowFail: true }).out || undefined;
  return { root, attributes, driver };
}

/**
 * Runs a recorded bd command (`program version`) the way git runs drivers and hooks — through
 * git's own shell, from the repository — and returns what went wrong, or undefined when it ran.
 */
export function commandProblem(root: string, program: string): string | undefined {
  const r = git(root, ["-c", `alias.bd-doctor-probe=!${program} version`, "bd-doctor-probe"], { allowFail: true });
  if (r.ok && /^bd version /m.test(r.out)) return undefined;
  return (r.err || r.out || `exit ${r.status}`).split("\n").slice(-2).join(" ").trim();
}

/**
 * Configures the merge driver (idempotent) to run this bd (`command`, by default how this bd is
 * running: see self_command.ts); returns what it changed, or undefined outside git or when git
 * ignores the JSONL (a workspace in an ignored folder is not shared through git).
 */
export function installMergeDriver(
  beadsDir: string,
  jsonlPath: string,
  command: string = driverCommand(),
): string[] | undefined {
  const state = mergeDriverState(beadsDir, jsonlPath);
  if (!state.root) return undefined;
  if (git(state.root, ["check-ignore", "-q", "--", jsonlPath], { allowFail: true }).ok) return undefined;
  const changed: string[] = [];
  if (!state.attributes) {
    const path = join(state.root, ".gitattributes");
    const before = existsSync(path) ? readFileSync(path, "utf8") : "";
    const sep = before === "" || before.endsWith("\n") ? "" : "\n";
    writeFileSync(
      path,
      `${before}${sep}${before ? "\n" : ""}${ATTRIBUTES_COMMENT}\n${attributesLine(state.root, jsonlPath)}\n`,
    );
    changed.push(".gitattributes");
  }
  if (state.driver !== command) {
    git(state.root, ["config", "merge.beads.driver", command]);
    git(state.root, ["config", "merge.beads.name", DRIVER_NAME]);
    changed.push(`git config merge.beads.driver (${command})`);
  }
  return changed;
}
