/** Stat without exceptions: bd probes many paths that may not exist (workspaces, worktrees). */
import { type Stats, statSync } from "node:fs";

/** The path's stats, or undefined when it cannot be read (missing, not a directory, no access). */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether the path is a directory (false when it cannot be read). */
export function isDir(path: string): boolean {
  return statOf(path)?.isDirectory() ?? false;
}
