/** Argument handling: global flags anywhere on the line, command words, per-command flags. */
import { BdError } from "../model/errors.ts";
import type { Command, Flag, Globals, Values } from "./command.ts";
import { FlagError, parseFlags } from "./parse_flags.ts";

/** Flags every command accepts, before or after the command words (contract §2). */
export const GLOBAL_FLAGS: Record<string, Flag> = {
  json: { type: "boolean", help: "print JSON on stdout (one line) and JSON errors on stderr" },
  db: { type: "string", value: "PATH", help: "use this database file (else $BEADS_DIR, $BEADS_DB, or discovery)" },
  actor: { type: "string", value: "NAME", help: "who is acting (else $BD_ACTOR, $BEADS_ACTOR, git user.name, $USER)" },
  "no-auto-flush": { type: "boolean", help: "do not rewrite .beads/issues.jsonl after changes" },
  "no-auto-import": { type: "boolean", help: "do not import .beads/issues.jsonl when it changed" },
  sandbox: { type: "boolean", help: "= --no-auto-flush --no-auto-import" },
  quiet: { type: "boolean", short: "q", help: "print no notes on stderr" },
  directory: { type: "string", short: "C", value: "PATH", help: "run as if bd was started in PATH (like git -C)" },
  readonly: { type: "boolean", help: "refuse every write (for sandboxed agents); reads work as usual" },
  version: { type: "boolean", short: "V", help: "print the version" },
  server: {
    type: "string",
    value: "URL",
    help: "run against a bd serve elsewhere (else $BD_SERVER; token from $BD_TOKEN)",
  },
  token: { type: "string", value: "T", help: "bearer token for --server (prefer $BD_TOKEN: a flag shows in ps)" },
  help: { type: "boolean", short: "h", help: "show help" },
};

export interface Parsed {
  command?: Command;
  /** The words given when no command matched (for the error message). */
  words: string[];
  args: string[];
  flags: Values;
  globals: Globals;
  help: boolean;
}

/** Returns the command selected by the leading words of `positionals`, and how many words it used. */
function matchCommand(commands: Command[], words: string[]): { command?: Command; used: number } {
  let best: { command?: Command; used: number } = { used: 0 };
  for (const c of commands) {
    for (const path of [c.path, ...(c.aliases ?? [])]) {
      if (path.length > words.length || path.length <= best.used) continue;
      if (path.every((w, i) => words[i] === w)) best = { command: c, used: path.length };
    }
  }
  return best;
}

/**
 * The first command word of argv (skipping global flags and their values), before any command is
 * loaded: it decides which command module loads (catalog.ts). Undefined when there is none.
 */
export function firstWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") return undefined;
    if (a.startsWith("--")) {
      if (!a.includes("=") && GLOBAL_FLAGS[a.slice(2)]?.type === "string") i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (a.length === 2 && Object.values(GLOBAL_FLAGS).some((f) => f.short === a[1] && f.type === "string")) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** Parses argv into the command, its arguments and flags, and the global flags. */
export function parseCommandLine(argv: string[], commands: Command[]): Parsed {
  // First pass: find the command words (positionals before any `--`) with every flag known to
  // any command treated leniently, so that values of flags are not taken for words.
  const valueFlags = new Set<string>();
  const valueShorts = new Set<string>();
  for (const f of [GLOBAL_FLAGS, ...commands.map((c) => c.flags ?? {})]) {
    for (const [name, spec] of Object.entries(f)) {
      if (spec.type === "string") {
        valueFlags.add(name);
        if (spec.short) valueShorts.add(spec.short);
      }
    }
  }
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (a.startsWith("--")) {
      if (!a.includes("=") && valueFlags.has(a.slice(2))) i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (a.length === 2 && valueShorts.has(a[1])) i++;
      continue;
    }
    words.push(a);
    if (words.length >= 3) break;
  }
  const { command, used } = matchCommand(commands, words);
  const flagSpecs = { ...GLOBAL_FLAGS, ...(command?.flags ?? {}) };
  let parsed;
  try {
    parsed = parseFlags(argv, flagSpecs);
  } catch (e) {
    if (command === undefined && words.length === 0 && argv.some((a) => a === "-h" || a === "--help")) {
      return { words, args: [], flags: {}, globals: globalsFrom({}), help: true };
    }
    const see = command ? `bd ${command.path.join(" ")} --help` : "bd --help";
    if (!(e instanceof FlagError)) throw e;
    throw new BdError("USAGE", `${e.message}\nRun '${see}' for usage.`);
  }
  const values = parsed.values as Values;
  // The command words are the first positionals.
  const args = parsed.positionals.slice(used);
  return {
    command,
    words,
    args,
    flags: values,
    globals: globalsFrom(values),
    help: values.help === true,
  };
}

function globalsFrom(values: Values): Globals {
  const sandbox = values.sandbox === true;
  return {
    json: values.json === true,
    quiet: values.quiet === true,
    db: values.db as string | undefined,
    actor: values.actor as string | undefined,
    noAutoFlush: sandbox || values["no-auto-flush"] === true,
    noAutoImport: sandbox || values["no-auto-import"] === true,
    directory: values.directory as string | undefined,
    readonly: values.readonly === true,
    version: values.version === true,
    server: values.server as string | undefined,
    token: values.token as string | undefined,
  };
}
