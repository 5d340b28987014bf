/**
 * The command line that runs this very bd again, for everything bd writes that later runs bd: git's
 * merge driver, git hooks, agent hooks and MCP configs. Git runs those from its own shell, where an
 * alias or `./scripts/bd` means nothing, so the command names the program by its absolute path —
 * the binary (`dist/bd`, an installed one), the launcher that started it (`scripts/bd`, the npm
 * package's, which set BD_SELF), or deno with this source tree — and is plain `bd` only when the
 * `bd` on PATH is this same program.
 */
import { accessSync, constants, realpathSync } from "node:fs";
import { basename, delimiter, join, posix, resolve, win32 } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const RUNTIMES = new Set(["deno", "node", "bun"]);

/** The argv that starts this bd: a binary, a launcher, or a runtime with this source tree. */
export function selfArgv(env: Record<string, string | undefined> = process.env): string[] {
  if (env.BD_SELF) return [resolve(env.BD_SELF)];
  const exec = process.execPath;
  if (!RUNTIMES.has(basename(exec).replace(/\.exe$/i, "").toLowerCase())) return [exec];
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  return [
    exec,
    "run",
    "--quiet",
    "--allow-all",
    "--no-prompt",
    "--config",
    join(root, "deno.json"),
    join(root, "main.ts"),
  ];
}

/**
 * Quotes one word for the POSIX shell git runs drivers and hooks with (Git for Windows' too).
 * Windows paths are written with forward slashes, which that shell and Windows both accept.
 */
export function shellQuote(word: string, platform: string = process.platform): string {
  const text = platform === "win32" ? word.replaceAll(win32.sep, posix.sep) : word;
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The first `bd` on PATH (an executable file), or undefined. */
function bdOnPath(env: Record<string, string | undefined>): string | undefined {
  const names = process.platform === "win32" ? ["bd.exe", "bd.cmd", "bd"] : ["bd"];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The shell command that runs this bd from any shell (see the module comment). */
export function selfCommand(env: Record<string, string | undefined> = process.env): string {
  const argv = selfArgv(env);
  if (argv.length === 1) {
    const onPath = bdOnPath(env);
    if (onPath && real(onPath) !== undefined && real(onPath) === real(argv[0])) return "bd";
  }
  return argv.map((a) => shellQuote(a)).join(" ");
}

/** The program of a recorded command: its first word, unquoted (undefined when it cannot tell). */
export function commandProgram(command: string): string | undefined {
  const m = /^\s*(?:'((?:[^']|'\\'')*)'|(\S+))/.exec(command);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2];
}
