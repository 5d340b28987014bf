/**
 * The last-touched issue (upstream's words): the issue of the most recent create, update, show or
 * close in this workspace, which close, update and show act on when given no ID. Kept in a small
 * file beside the database, not in it, so that `show` stays a read.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { addIgnoreLines, missingIgnoreLines } from "./beads_gitignore.ts";
import { join } from "node:path";
import type { BeadsContext } from "./context.ts";
import { BdError } from "../model/errors.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "actor" | "issuesById" | "list" | "paths" | "readonly">;

const FILE = "last-touched";

/** Remembers `id` as the last-touched issue (best effort; not under --readonly, which writes nothing). */
export function rememberTouched(beads: Ctx, id: string): void {
  if (beads.readonly) return;
  try {
    const file = join(beads.paths.beadsDir, FILE);
    const first = !existsSync(file);
    writeFileSync(file, id + "\n");
    // New workspaces' .gitignore lists the file; one made by an older bd gets the line once, here.
    if (first) addIgnoreLines(beads.paths.beadsDir, missingIgnoreLines(beads.paths.beadsDir).filter((l) => l === FILE));
  } catch { /* not remembering is harmless */ }
}

/** The last-touched issue's ID; NOT_FOUND when there is none (or it is gone). */
export function lastTouched(beads: Ctx): string {
  let id = "";
  try {
    id = readFileSync(join(beads.paths.beadsDir, FILE), "utf8").trim();
  } catch { /* none yet */ }
  if (!id || beads.issuesById([id]).length === 0) {
    throw new BdError("NOT_FOUND", "no issue ID provided and no last touched issue");
  }
  return id;
}

/** `show --current`: the issue the actor has in progress (the latest updated), else the last-touched one. */
export function currentIssue(beads: Ctx): string {
  const mine = beads.list({ status: ["in_progress"], assignee: beads.actor }, { sort: "updated", limit: 1 }).issues;
  if (mine[0]) return mine[0].id;
  try {
    return lastTouched(beads);
  } catch {
    throw new BdError("NOT_FOUND", "no current issue found (no in-progress, hooked, or recently touched issues)");
  }
}
