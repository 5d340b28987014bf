/**
 * Recovering `issues.jsonl` after a merge made outside bd (plain git without the merge driver,
 * or an older bd): the two versions are merged issue by issue with the merge rule, never
 * imported as text with conflict markers in it.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { BeadsContext } from "../context.ts";
import { countLines, flushJsonl, type ImportSummary, writeFileAtomic } from "./jsonl_io.ts";
import { autoImport } from "./jsonl_import.ts";
import { mergeJsonl, type MergeResult, resolveConflictText } from "./jsonl_merge.ts";
import { firstMarkerLine } from "./conflict_markers.ts";
import { git, gitBlob, unmergedPaths } from "./git.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "db" | "importProblem" | "mutate" | "paths">;

export interface ConflictResolution {
  /** Conflict hunks in the file (0 when resolved from git's index without markers). */
  conflicts: number;
  /** Records both sides changed, merged field by field. */
  merged: number;
  /** Records in the resolved file. */
  records: number;
  /** Where the versions came from: git's index (a true three-way merge) or the markers. */
  source: "git-index" | "markers";
  imported?: ImportSummary;
}

/** The base, ours and theirs of the JSONL while git has it unmerged, or undefined. */
function unmergedStages(beads: Ctx): { base: string; ours: string; theirs: string } | undefined {
  let root: string;
  try {
    const top = git(beads.paths.beadsDir, ["rev-parse", "--show-toplevel"], { allowFail: true });
    if (!top.ok) return undefined;
    root = top.out;
  } catch {
    return undefined; // no git
  }
  const file = relative(root, beads.paths.jsonlPath);
  if (!unmergedPaths(root).includes(file)) return undefined;
  return {
    base: gitBlob(root, `:1:${file}`) ?? "",
    ours: gitBlob(root, `:2:${file}`) ?? "",
    theirs: gitBlob(root, `:3:${file}`) ?? "",
  };
}

/**
 * Resolves a conflicted `issues.jsonl`: while git still holds the merge (the file unmerged in the
 * index), from git's three versions — a true three-way merge; otherwise from the conflict
 * markers (ours, theirs and, with diff3 markers, the base). Writes the clean file, imports it
 * and flushes. Returns undefined when there is nothing to resolve.
 */
export function resolveJsonlConflicts(beads: Ctx, opts: { dryRun?: boolean } = {}): ConflictResolution | undefined {
  const path = beads.paths.jsonlPath;
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch { /* deleted on one side: the index may still hold both versions */ }
  const stages = unmergedStages(beads);
  const conflicts = firstMarkerLine(text) ? undefined : 0;
  if (!stages && conflicts === 0) return undefined;
  let result: MergeResult & { conflicts: number };
  if (stages) {
    const fromMarkers = conflicts === 0 ? 0 : resolveConflictText(text).conflicts;
    result = { ...mergeJsonl(stages.base, stages.ours, stages.theirs), conflicts: fromMarkers };
  } else result = resolveConflictText(text);
  const records = countLines(result.text);
  const source = stages ? "git-index" : "markers";
  if (opts.dryRun) return { conflicts: result.conflicts, merged: result.merged, records, source };
  writeFileAtomic(path, result.text);
  beads.importProblem = undefined;
  const imported = autoImport(beads);
  flushJsonl(beads);
  return { conflicts: result.conflicts, merged: result.merged, records, source, imported };
}
