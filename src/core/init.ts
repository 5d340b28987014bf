/** `bd init`: create a workspace, or rebuild the database from an existing `issues.jsonl`. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { linkedWorktreeOf } from "./sync/git_worktree.ts";
import { openDatabase } from "../store/open.ts";
import * as meta from "../store/meta.ts";
import { Beads } from "./service.ts";
import { flushJsonl, type ImportSummary, jsonlHasContent } from "./sync/jsonl_io.ts";
import { importWorkspaceText } from "./sync/jsonl_import.ts";
import { installMergeDriver } from "./sync/merge_driver.ts";
import { type HookState, installHooks } from "./sync/hooks.ts";
import { git } from "./sync/git.ts";
import { BdError } from "../model/errors.ts";
import { excludeFromGit } from "./sync/git.ts";
import { type SectionResult, syncAgentFiles } from "./agents_md.ts";
import {
  checkPrefix,
  type LocateOptions,
  prefixFromDir,
  prefixInJsonl,
  prepareWorkspace,
  sharedWorkspace,
  type WorkspacePaths,
} from "./workspace.ts";

export interface InitOptions extends LocateOptions {
  prefix?: string;
  sequential?: boolean;
  actor?: string;
  autoFlush?: boolean;
  /** Configure bd as git's merge driver for the JSONL (default true; only inside git). */
  mergeDriver?: boolean;
  /** Adopt a database that is already there (keeping every issue) instead of refusing. */
  force?: boolean;
  /** Install bd's git hooks (default true; only inside git; never with `stealth`). */
  hooks?: boolean;
  /** Write the bd section into AGENTS.md (default true; never with `stealth`). */
  agents?: boolean;
  /** Track nothing bd adds: .beads/ goes into .git/info/exclude; no AGENTS.md, no .gitattributes. */
  stealth?: boolean;
}

/** Creates the workspace; returns it with the import summary when it was rebuilt from JSONL. */
export function initWorkspace(
  opts: InitOptions,
): {
  beads: Beads;
  paths: WorkspacePaths;
  prefix: string;
  imported?: ImportSummary;
  mergeDriver?: string[];
  /** Set in a linked worktree whose main worktree already has the database: nothing was created. */
  shared?: boolean;
  /** What became of AGENTS.md (and CLAUDE.md). */
  agents?: SectionResult[];
  /** With --stealth: the exclude file .beads/ was added to. */
  excluded?: string;
  /** bd's git hooks as installed, or why they were not. */
  hooks?: HookState[];
  hooksSkipped?: string;
} {
  if (opts.prefix !== undefined) checkPrefix(opts.prefix);
  const linked = !opts.db && !opts.env.BEADS_DB && !opts.env.BEADS_DIR ? linkedWorktreeOf(opts.cwd) : undefined;
  if (linked) {
    // Every worktree uses the main worktree's database: a second one would let two agents claim one issue.
    const shared = sharedWorkspace(linked, opts.cwd);
    if (shared.paths && !shared.paths.build) {
      const beads = Beads.openPaths(shared.paths, { actor: opts.actor, env: opts.env, cwd: opts.cwd });
      return { beads, paths: shared.paths, prefix: beads.prefix, shared: true };
    }
    opts = { ...opts, cwd: dirname(shared.beadsDir) };
  }
  const paths = prepareWorkspace(opts);
  const existing = jsonlHasContent(paths.jsonlPath) ? readFileSync(paths.jsonlPath, "utf8") : undefined;
  const db = openDatabase(paths.dbPath);
  // An adopted database (--force) keeps its prefix unless one is given.
  const stored = meta.getKey(db, "config", "issue_prefix");
  const prefix = opts.prefix ?? stored ?? (existing ? prefixInJsonl(existing) : undefined) ??
    prefixFromDir(opts.cwd);
  db.write(() => {
    if (prefix !== stored) meta.setKey(db, "config", "issue_prefix", prefix);
    if (opts.sequential) meta.setKey(db, "config", "id_mode", "sequential");
  });
  const beads = new Beads(db, paths, { actor: opts.actor, env: opts.env, cwd: opts.cwd, autoFlush: opts.autoFlush });
  let imported: ImportSummary | undefined;
  if (existing !== undefined) {
    imported = importWorkspaceText(beads, existing);
  } else {
    if (!existsSync(paths.jsonlPath)) writeFileSync(paths.jsonlPath, "");
    if (opts.autoFlush !== false) flushJsonl(beads, { full: true });
  }
  // Stealth: git is told to ignore .beads/ in this clone only, so the merge driver has nothing to merge.
  const excluded = opts.stealth ? excludeFromGit(paths.beadsDir) : undefined;
  const mergeDriver = opts.mergeDriver === false || opts.stealth
    ? undefined
    : installMergeDriver(paths.beadsDir, paths.jsonlPath);
  const agents = opts.agents === false || opts.stealth
    ? undefined
    : syncAgentFiles(dirname(paths.beadsDir), prefix, false);
  const hooks = opts.hooks === false || opts.stealth ? {} : gitHooks(paths);
  return { beads, paths, prefix, imported, mergeDriver, agents, excluded, ...hooks };
}

/**
 * Installs bd's git hooks when the workspace is inside a git repository. A hook of another tool is
 * kept and chained; one that cannot be (its chained slot is taken), or a hooks directory set by
 * core.hooksPath, leaves the hooks out, with the reason, rather than failing init.
 */
function gitHooks(paths: WorkspacePaths): { hooks?: HookState[]; hooksSkipped?: string } {
  let hooksPath: string;
  try {
    if (!git(paths.beadsDir, ["rev-parse", "--git-dir"], { allowFail: true }).ok) return {};
    hooksPath = git(paths.beadsDir, ["config", "--get", "core.hooksPath"], { allowFail: true }).out;
  } catch {
    return {}; // git is not installed: nothing to hook into
  }
  // A workspace git ignores (scratch or benchmark data inside another project) is not shared
  // through that repository: its hooks are not bd's to set (the merge driver follows the same rule).
  if (git(paths.beadsDir, ["check-ignore", "-q", "--", paths.jsonlPath], { allowFail: true }).ok) {
    return { hooksSkipped: `git ignores ${paths.jsonlPath}, so the repository's hooks are left alone` };
  }
  // A hooks directory another tool manages (husky, lefthook: often tracked in the repository) is
  // not bd's to rearrange unasked.
  if (hooksPath) {
    return {
      hooksSkipped:
        `core.hooksPath is set (${hooksPath}), so another tool manages the hooks; 'bd hooks install' adds bd's there`,
    };
  }
  try {
    return { hooks: installHooks(paths.beadsDir, paths.jsonlPath) };
  } catch (e) {
    if (e instanceof BdError) return { hooksSkipped: e.message };
    throw e;
  }
}
