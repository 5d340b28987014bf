/** Finding (contract §1) and creating a bd workspace: the `.beads/` dir, its database and JSONL. */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { BdError } from "../model/errors.ts";
import { type LinkedWorktree, linkedWorktreeOf } from "./sync/git_worktree.ts";
import { isDir, statOf } from "./file_stat.ts";
import { writeBeadsGitignore } from "./beads_gitignore.ts";

export const BEADS_DIR = ".beads";
export const JSONL_NAME = "issues.jsonl";

/** Where a workspace's files are. */
export interface WorkspacePaths {
  dbPath: string;
  beadsDir: string;
  jsonlPath: string;
  /** Something the user should know about how the database was chosen (printed on stderr). */
  warning?: string;
  /** Set when bd runs in a linked git worktree: the database is the main worktree's, shared by all. */
  worktree?: { main: string; linked: string };
  /** The database does not exist yet: open it and build it from the JSONL beside it. */
  build?: boolean;
}

export interface LocateOptions {
  db?: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * Returns the database of a `.beads` directory, or undefined. Candidates are the `*.db` files
 * other than backups (`*.backup*`). With several, the rule is: the one `metadata.json` names
 * (as bd writes it), else `beads.db` (the mature bd's name), else the first by name — with a
 * warning that names them all. A directory holding only a Dolt database (`dolt/`) is an error
 * that says what to do.
 */
function dbInDir(dir: string): { path: string; warning?: string } | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".db") && !n.includes(".backup")).sort();
  } catch {
    return undefined;
  }
  if (names.length === 0) {
    if (isDir(join(dir, "dolt"))) {
      throw new BdError(
        "VALIDATION",
        `${dir} holds a Dolt database (dolt/), which this bd cannot open (it uses SQLite). With the bd that wrote it, run 'bd export -o ${
          join(dir, JSONL_NAME)
        }'; then 'bd init' here rebuilds a SQLite database from that file`,
      );
    }
    return undefined;
  }
  if (names.length === 1) return { path: join(dir, names[0]) };
  const named = metadataDatabase(dir);
  const chosen = named && names.includes(named) ? named : names.includes("beads.db") ? "beads.db" : names[0];
  return {
    path: join(dir, chosen),
    warning: `several databases in ${dir} (${names.join(", ")}); using ${chosen} (pass --db PATH to choose another)`,
  };
}

/** The database file name that `.beads/metadata.json` names, if any. */
function metadataDatabase(dir: string): string | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8"));
    return typeof meta?.database === "string" ? basename(meta.database) : undefined;
  } catch {
    return undefined;
  }
}

function pathsFor(dbPath: string, warning?: string): WorkspacePaths {
  const beadsDir = dirname(dbPath);
  return { dbPath, beadsDir, jsonlPath: join(beadsDir, JSONL_NAME), ...(warning ? { warning } : {}) };
}

/** Returns the workspace paths following the discovery order of the contract, or throws NOT_FOUND. */
export function locateWorkspace(opts: LocateOptions): WorkspacePaths {
  if (opts.db) return pathsFor(resolve(opts.cwd, opts.db));
  const beadsDirEnv = opts.env.BEADS_DIR;
  if (beadsDirEnv) {
    const dir = resolve(opts.cwd, beadsDirEnv);
    const db = dbInDir(dir);
    if (!db) {
      throw new BdError("NOT_FOUND", `no bd database in BEADS_DIR=${beadsDirEnv}: run 'bd init' there first`);
    }
    return pathsFor(db.path, db.warning);
  }
  if (opts.env.BEADS_DB) return pathsFor(resolve(opts.cwd, opts.env.BEADS_DB));
  const linked = linkedWorktreeOf(opts.cwd);
  if (linked) {
    const shared = sharedWorkspace(linked, opts.cwd);
    if (shared.paths) return shared.paths;
    throw new BdError(
      "NOT_FOUND",
      `no bd workspace in ${shared.beadsDir}, the main worktree's (this is a linked worktree of ${linked.mainRoot}, and all worktrees share one database there): run 'bd init' (here or there)`,
    );
  }
  let dir = resolve(opts.cwd);
  for (;;) {
    const candidate = join(dir, BEADS_DIR);
    if (isDir(candidate)) {
      const db = dbInDir(candidate);
      if (db) return pathsFor(db.path, db.warning);
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new BdError(
    "NOT_FOUND",
    "no bd workspace found (no .beads/ with a database here or in any parent directory): run 'bd init' first",
    { hint: "bd init" },
  );
}

/**
 * The workspace a linked worktree shares with the main worktree: the `.beads/` at the same place
 * there as the nearest one here (the top by default). `paths` is undefined when it has neither a
 * database nor a JSONL to build one from; `build` is set when only the JSONL is there (a fresh
 * clone), so that the first command builds the shared database. A database of the worktree's own
 * (made by an older bd) is left alone, with a warning.
 */
export function sharedWorkspace(
  linked: LinkedWorktree,
  cwd: string,
): { beadsDir: string; paths?: WorkspacePaths } {
  if (!linked.mainRoot) {
    throw new BdError(
      "NOT_FOUND",
      `${linked.root} is a worktree of the bare repository ${linked.commonDir}, which has no main worktree to hold the shared database: set BEADS_DIR to one .beads directory for all worktrees`,
    );
  }
  let rel = "";
  for (let d = resolve(cwd); d.startsWith(linked.root); d = dirname(d)) {
    if (isDir(join(d, BEADS_DIR))) {
      rel = relative(linked.root, d);
      break;
    }
    if (d === linked.root || dirname(d) === d) break;
  }
  const beadsDir = join(linked.mainRoot, rel, BEADS_DIR);
  const worktree = { main: linked.mainRoot, linked: linked.root };
  const own = dbInDir(join(linked.root, rel, BEADS_DIR));
  const warning = own
    ? `ignoring ${own.path}: this linked worktree uses the main worktree's database, shared by every worktree`
    : undefined;
  const db = dbInDir(beadsDir);
  if (db) return { beadsDir, paths: { ...pathsFor(db.path, db.warning ?? warning), worktree } };
  const jsonl = join(beadsDir, JSONL_NAME);
  if (isDir(beadsDir) && (statOf(jsonl)?.size ?? 0) > 0) {
    return { beadsDir, paths: { ...pathsFor(join(beadsDir, "beads.db"), warning), worktree, build: true } };
  }
  return { beadsDir };
}

/** Returns the most common ID prefix in a JSONL text (how an adopted workspace names issues). */
export function prefixInJsonl(text: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/"id":"([^"]+?)-[^"-]+"/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Returns a prefix derived from a directory name (`My Project` → `my-project`). */
export function prefixFromDir(dir: string): string {
  const p = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  return p || "bd";
}

/** Checks a prefix: letters, digits, `_` and `-`, starting with a letter or digit. */
export function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(prefix) || prefix.endsWith("-")) {
    throw new BdError(
      "VALIDATION",
      `invalid prefix "${prefix}": use letters, digits, '_' and '-' (at most 32, not ending in '-')`,
    );
  }
  return prefix;
}

/**
 * Returns the paths for a new workspace (contract §1): `--db`, `$BEADS_DB`, `$BEADS_DIR`, else
 * `.beads/` in `cwd` with `<prefix>.db` (or `beads.db` when no prefix was given). Creates the
 * directory and its `.gitignore`; throws CONFLICT when a database is already there.
 */
export function prepareWorkspace(
  opts: LocateOptions & { prefix?: string; force?: boolean },
): WorkspacePaths {
  let paths: WorkspacePaths;
  if (opts.db) paths = pathsFor(resolve(opts.cwd, opts.db));
  else if (opts.env.BEADS_DB) paths = pathsFor(resolve(opts.cwd, opts.env.BEADS_DB));
  else {
    const dir = opts.env.BEADS_DIR ? resolve(opts.cwd, opts.env.BEADS_DIR) : join(resolve(opts.cwd), BEADS_DIR);
    const existing = dbInDir(dir);
    paths = pathsFor(existing?.path ?? join(dir, `${opts.prefix ?? "beads"}.db`));
  }
  if (existsSync(paths.dbPath) && !opts.force) {
    throw new BdError(
      "CONFLICT",
      `found existing database ${paths.dbPath}: this workspace is already initialized, and nothing was changed (bd init --force adopts it as it is, keeping every issue)`,
    );
  }
  mkdirSync(paths.beadsDir, { recursive: true });
  writeBeadsGitignore(paths.beadsDir);
  return paths;
}
