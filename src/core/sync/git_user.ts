/**
 * `git config user.name` without starting git. Starting git costs ~3 ms, and bd asks for the
 * actor on every write when BD_ACTOR is not set. The value is read from the files git reads, in
 * git's order (system, global, repository; the last one set wins). Whatever this reader does not
 * model — includes, per-worktree config, config passed through the environment, a repository
 * owned by someone else, a line it cannot read — makes it answer ASK_GIT, and the caller runs git.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";

/** Returned when only git itself can say (see the module comment). */
export const ASK_GIT = Symbol("ask git");

/** Environment variables through which git takes config this reader does not model. */
const GIT_CONFIG_ENV = [
  "GIT_CONFIG_GLOBAL",
  "GIT_CONFIG_SYSTEM",
  "GIT_CONFIG_COUNT",
  "GIT_CONFIG_PARAMETERS",
  "GIT_CONFIG",
  "GIT_DIR",
  "GIT_COMMON_DIR",
  "GIT_CEILING_DIRECTORIES",
  "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/** Where git builds other than a distribution's keep their system config: ask git if present. */
const OTHER_SYSTEM_CONFIGS = [
  "/usr/local/etc/gitconfig",
  "/opt/homebrew/etc/gitconfig",
  "/usr/local/git/etc/gitconfig",
];

/**
 * Returns git's user.name for `cwd`: the name, "" when no file sets it, or ASK_GIT.
 */
export function gitUserName(cwd: string, env: Record<string, string | undefined>): string | typeof ASK_GIT {
  if (GIT_CONFIG_ENV.some((k) => env[k] !== undefined)) return ASK_GIT;
  const home = env.HOME;
  if (!home) return ASK_GIT;
  if (OTHER_SYSTEM_CONFIGS.some((p) => existsSync(p))) return ASK_GIT;
  const files: string[] = [];
  if (env.GIT_CONFIG_NOSYSTEM === undefined) files.push("/etc/gitconfig");
  files.push(join(env.XDG_CONFIG_HOME || join(home, ".config"), "git", "config"), join(home, ".gitconfig"));
  const repo = repositoryConfig(cwd);
  if (repo === ASK_GIT) return ASK_GIT;
  if (repo) files.push(repo);
  let name = "";
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") continue;
      return ASK_GIT;
    }
    const found = userNameIn(text, file === repo);
    if (found === ASK_GIT) return ASK_GIT;
    if (found !== undefined) name = found;
  }
  return name;
}

/** The repository's config file for `cwd`, undefined outside a repository, or ASK_GIT. */
function repositoryConfig(cwd: string): string | undefined | typeof ASK_GIT {
  for (let dir = resolve(cwd);;) {
    const dotGit = join(dir, ".git");
    let st;
    try {
      st = statSync(dotGit);
    } catch {
      st = undefined;
    }
    if (st) {
      // git ignores (and refuses) a repository that another user owns.
      const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
      if (uid !== undefined && statSync(dir).uid !== uid) return ASK_GIT;
      if (st.isDirectory()) return join(dotGit, "config");
      // A worktree or a submodule: `.git` is a file naming the git directory.
      const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
      if (!m) return ASK_GIT;
      const gitDir = resolve(dir, m[1].trim());
      const common = join(gitDir, "commondir");
      return existsSync(common)
        ? join(resolve(gitDir, readFileSync(common, "utf8").trim()), "config")
        : join(gitDir, "config");
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The last user.name a config text sets (undefined when none), or ASK_GIT for what this reader
 * does not model: include directives, per-worktree config (in a repository's file), lines it
 * cannot read.
 */
export function userNameIn(text: string, isRepository = false): string | undefined | typeof ASK_GIT {
  let section = "";
  let name: string | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    // A value may continue on the next line after a backslash (outside a comment).
    while (/\\\r?$/.test(line) && !/^\s*[#;]/.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\r?$/, "") + lines[++i];
    }
    let rest = line.replace(/^\s+/, "");
    if (rest === "" || rest.startsWith("#") || rest.startsWith(";")) continue;
    if (rest.startsWith("[")) {
      const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(rest);
      if (!header) return ASK_GIT;
      const [base, sub] = [header[1].toLowerCase(), header[2]];
      section = sub === undefined ? base : `${base}.${sub.replace(/\\(.)/g, "$1")}`;
      if (base === "include" || base === "includeif") return ASK_GIT;
      rest = rest.slice(header[0].length).replace(/^\s+/, "");
      if (rest === "" || rest.startsWith("#") || rest.startsWith(";")) continue;
    }
    const variable = /^([A-Za-z][A-Za-z0-9-]*)\s*(=?)/.exec(rest);
    if (!variable) return ASK_GIT;
    const key = `${section}.${variable[1].toLowerCase()}`;
    if (isRepository && key === "extensions.worktreeconfig") return ASK_GIT;
    if (key !== "user.name") continue;
    if (variable[2] !== "=") return ASK_GIT; // a bare key (boolean true): let git say what it means
    const value = parseValue(rest.slice(variable[0].length));
    if (value === undefined) return ASK_GIT;
    name = value;
  }
  return name;
}

/** A config value as git reads it: quotes removed, escapes applied, comments and edges dropped. */
function parseValue(raw: string): string | undefined {
  let out = "";
  let quoted = false;
  let pendingSpace = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (!quoted && (c === "#" || c === ";")) break;
    if (c === "\r" && i === raw.length - 1) break;
    if (!quoted && (c === " " || c === "\t")) {
      if (out !== "") pendingSpace += " "; // inner whitespace is kept (as spaces), the edges dropped
      continue;
    }
    out += pendingSpace;
    pendingSpace = "";
    if (c === '"') quoted = !quoted;
    else if (c === "\\") {
      const next = raw[++i];
      const escaped = next === "n"
        ? "\n"
        : next === "t"
        ? "\t"
        : next === "b"
        ? "\b"
        : next === '"' || next === "\\"
        ? next
        : undefined;
      if (escaped === undefined) return undefined;
      out += escaped;
    } else out += c;
  }
  return quoted ? undefined : out;
}
