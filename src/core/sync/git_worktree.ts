/**
 * Linked git worktrees (`git worktree add ../agent2`), read from git's own files without starting
 * git (every bd command pays for its discovery): a linked worktree's `.git` is a file naming its
 * private git directory, which holds `commondir`, the repository's shared git directory. The
 * main worktree is the directory around that shared `.git`.
 */
import { readFileSync } from "node:fs";
import { statOf } from "../file_stat.ts";
import path, { dirname, join, resolve } from "node:path";

export interface LinkedWorktree {
  /** The linked worktree's top directory (where its `.git` file is). */
  root: string;
  /** The repository's shared git directory. */
  commonDir: string;
  /** The main worktree's top directory; undefined for a bare repository's worktrees. */
  mainRoot?: string;
}

/**
 * Returns the linked worktree that `dir` is in, or undefined when `dir` is in a main worktree, a
 * plain repository, a submodule (its `.git` file has no `commondir`) or no repository at all.
 */
export function linkedWorktreeOf(dir: string): LinkedWorktree | undefined {
  for (let at = resolve(dir);;) {
    const dotGit = join(at, ".git");
    const st = statOf(dotGit);
    if (st?.isDirectory()) return undefined; // a main worktree or an ordinary repository
    if (st?.isFile()) return readLink(at, dotGit);
    const parent = dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

function readLink(root: string, dotGit: string): LinkedWorktree | undefined {
  let link: ReturnType<typeof worktreeLink>;
  try {
    link = worktreeLink(
      root,
      readFileSync(dotGit, "utf8"),
      (gitDir) => readFileSync(join(gitDir, "commondir"), "utf8"),
    );
  } catch {
    return undefined; // a submodule's .git file: its git directory has no commondir
  }
  if (!link) return undefined;
  const mainRoot = link.mainRoot && statOf(link.commonDir)?.isDirectory() ? link.mainRoot : undefined;
  return { root, commonDir: link.commonDir, mainRoot };
}

/**
 * Reads a linked worktree's `.git` file text (`gitdir: PATH`) and its git directory's `commondir`
 * (`readCommonDir(gitDir)`): the shared git directory, and the main worktree around it when that
 * is a `.git` directory. `p` is node:path (path.win32 in tests: git for Windows writes `C:/...`).
 */
export function worktreeLink(
  root: string,
  dotGitText: string,
  readCommonDir: (gitDir: string) => string,
  p: typeof path = path,
): { commonDir: string; mainRoot?: string } | undefined {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(dotGitText);
  if (!m) return undefined;
  const gitDir = p.resolve(root, m[1]);
  const commonDir = p.resolve(gitDir, readCommonDir(gitDir).trim());
  // A shared `.git` inside a directory is a main worktree's; any other is a bare repository.
  return { commonDir, mainRoot: p.basename(commonDir) === ".git" ? p.dirname(commonDir) : undefined };
}
