/**
 * bd as git's merge driver for `.beads/issues.jsonl`: the `.gitattributes` line and the
 * `merge.beads.*` git config that make plain `git merge`/`git pull` call `bd merge`, so that two
 * clones' edits merge issue by issue instead of leaving conflict markers in the file.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { git } from "./git.ts";

export const DRIVER_COMMAND = "bd merge %A %O %A %B";
export const DRIVER_NAME = "bd JSONL merge driver";
const ATTRIBUTES_COMMENT = "# Use bd merge for beads JSONL files";

export interface MergeDriverState {
  /** The repository root, or undefined outside git. */
  root?: string;
  attributes: boolean;
  driver: boolean;
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
function attributesLine(root: string, jsonlPath: string): string {
  return `${relative(root, jsonlPath).split("\\").join("/")} merge=beads`;
}

/** Reports whether the merge driver is configured for this workspace. */
export function mergeDriverState(beadsDir: string, jsonlPath: string): MergeDriverState {
  const root = repoRoot(beadsDir);
  if (!root) return { attributes: false, driver: false };
  const path = join(root, ".gitattributes");
  const attributes = existsSync(path) &&
    readFileSync(path, "utf8").split("\n").some((l) => l.trim() === attributesLine(root, jsonlPath));
  const driver = git(root, ["config", "--get", "merge.beads.driver"], { allowFail: true }).out !== "";
  return { root, attributes, driver };
}

/**
 * Configures the merge driver (idempotent); returns what it changed, or undefined outside git or
 * when git ignores the JSONL (a workspace in an ignored folder is not shared through git).
 */
export function installMergeDriver(beadsDir: string, jsonlPath: string): string[] | undefined {
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
  if (!state.driver) {
    git(state.root, ["config", "merge.beads.driver", DRIVER_COMMAND]);
    git(state.root, ["config", "merge.beads.name", DRIVER_NAME]);
    changed.push("git config merge.beads.driver");
  }
  return changed;
}
