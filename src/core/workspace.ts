/** Finding (contract §1) and creating a bd workspace: the `.beads/` dir, its database and JSONL. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { BdError } from "../model/errors.ts";

export const BEADS_DIR = ".beads";
export const JSONL_NAME = "issues.jsonl";
const GITIGNORE = "# bd: the database is a local cache; issues.jsonl is what goes into git\n*.db\n*.db-wal\n*.db-shm\n";

/** Where a workspace's files are. */
export interface WorkspacePaths {
  dbPath: string;
  beadsDir: string;
  jsonlPath: string;
  /** Something the user should know about how the database was chosen (printed on stderr). */
  warning?: string;
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
  );
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
  const gitignore = join(paths.beadsDir, ".gitignore");
  if (!existsSync(gitignore)) writeFileSync(gitignore, GITIGNORE);
  return paths;
}
