/** `bd orphans`: open issues that commit messages mention (work committed, issue never closed). */
import type { Issue } from "../model/types.ts";
import type { BeadsContext } from "./context.ts";
import { git } from "./sync/git.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "issuesById" | "paths" | "prefix">;

/** Returns the issues that are not closed and whose IDs appear in the repository's commit messages. */
export function orphanedIssues(beads: Ctx): Issue[] {
  const top = git(beads.paths.beadsDir, ["rev-parse", "--show-toplevel"], { allowFail: true });
  if (!top.ok) return [];
  const log = git(top.out, ["log", "--all", "--format=%B"], { allowFail: true });
  if (!log.ok) return []; // no commits yet
  const prefix = beads.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const mentioned = new Set(log.out.match(new RegExp(`\\b${prefix}-[0-9a-z]+(?:\\.\\d+)*\\b`, "gi")) ?? []);
  return beads.issuesById([...mentioned].sort()).filter((i) => i.status !== "closed");
}
