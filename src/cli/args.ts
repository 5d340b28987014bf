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

/** bd's group titles, in the order `bd --help` prints them. */
const GROUP_ORDER = [
  "Working With Issues",
  "Views & Reports",
  "Dependencies & Structure",
  "Sync & Data",
  "Setup & Configuration",
  "Maintenance",
  "Integrations & Advanced",
  "Additional Commands",
];

/** Summaries of the words that group subcommands (`bd dep`, `bd label`, ...). */
const GROUP_SUMMARIES: Record<string, string> = {
  dep: "Manage dependencies",
  label: "Manage issue labels",
  comments: "View or manage comments on an issue",
  config: "Manage configuration settings",
  epic: "Epic management commands",
  ext: "Extension tables in GraphQL (init, check)",
  hooks: "Manage git hooks for bd",
  human: "The everyday commands; questions agents left for a person (list, respond, dismiss, stats)",
  token: "Named tokens for bd serve and bd --server (add, list, revoke)",
};

/** Cobra's flag lines: `  -p, --priority VALUE   help` (long-only flags indented to line up). */
function flagLines(flags: Record<string, Flag>, helpFor: string): string[] {
  const rows: [string, string][] = [["  -h, --help", `help for ${helpFor}`]];
  for (const [name, f] of Object.entries(flags)) {
    if (name === "help") continue;
    const short = f.short ? `-${f.short}, ` : "    ";
    const value = f.type === "string" ? ` ${f.value ?? "string"}` : "";
    rows.push([`  ${short}--${name}${value}`, f.help + (f.multiple ? " (repeatable)" : "")]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `${a.padEnd(width)}   ${b}`);
}

const globalFlags = () => {
  const { help: _help, ...rest } = GLOBAL_FLAGS;
  return rest;
};

/** Splits a description into its text and its `Examples:` block (as cobra prints them apart). */
function splitExamples(description: string | undefined): [string, string | undefined] {
  if (!description) return ["", undefined];
  const m = /(^|\n)Examples?:\n/.exec(description);
  if (!m) return [description.trim(), undefined];
  return [description.slice(0, m.index).trim(), description.slice(m.index + m[0].length).replace(/\s+$/, "")];
}

/** Returns the `--help` text of one command (cobra's layout, as bd prints it). */
export function commandHelp(c: Command): string {
  const [text, examples] = splitExamples(c.description);
  const name = c.path.join(" ");
  const lines = [c.summary];
  if (text) lines.push("", text);
  lines.push("", "Usage:", `  bd ${name}${c.args ? " " + c.args : ""} [flags]`);
  if (c.aliases?.length) lines.push("", "Aliases:", `  ${[c.path, ...c.aliases].map((a) => a.join(" ")).join(", ")}`);
  if (examples) lines.push("", "Examples:", examples);
  lines.push("", "Flags:", ...flagLines(c.flags ?? {}, c.path[c.path.length - 1]));
  lines.push("", "Global Flags:", ...flagLines(globalFlags(), "").slice(1));
  return lines.join("\n");
}

/** Returns the help of a word that groups subcommands (`bd dep --help`). */
export function groupHelp(group: string, commands: Command[]): string {
  const subs = commands.filter((c) => c.path[0] === group && c.path.length > 1);
  const width = Math.max(11, ...subs.map((c) => c.path.slice(1).join(" ").length));
  return [
    GROUP_SUMMARIES[group] ?? `bd ${group} commands`,
    "",
    "Usage:",
    `  bd ${group} [command]`,
    "",
    "Available Commands:",
    ...subs.map((c) => `  ${c.path.slice(1).join(" ").padEnd(width)} ${c.summary}`),
    "",
    "Flags:",
    ...flagLines({}, group),
    "",
    "Global Flags:",
    ...flagLines(globalFlags(), "").slice(1),
    "",
    `Use "bd ${group} [command] --help" for more information about a command.`,
  ].join("\n");
}

/** Returns the top-level `bd --help` text (cobra's layout, commands grouped under bd's titles). */
export function mainHelp(commands: Command[], _version: string): string {
  const entries = new Map<string, { summary: string; section: string }>();
  for (const c of commands) {
    const word = c.path[0];
    if (entries.has(word)) continue;
    const grouped = c.path.length > 1 || commands.some((o) => o.path[0] === word && o.path.length > 1);
    entries.set(word, { summary: grouped ? GROUP_SUMMARIES[word] ?? c.summary : c.summary, section: c.section });
  }
  const lines = [
    "Issues chained together like beads. A lightweight issue tracker with first-class dependency support.",
    "",
    "Usage:",
    "  bd [flags]",
    "  bd [command]",
    "",
    "Available Commands:",
  ];
  const sections = [...GROUP_ORDER, ...new Set([...entries.values()].map((e) => e.section))]
    .filter((s, i, all) => all.indexOf(s) === i);
  for (const section of sections) {
    const words = [...entries].filter(([, e]) => e.section === section).map(([w]) => w).sort();
    if (words.length === 0) continue;
    lines.push("", `${section}:`);
    for (const w of words) lines.push(`  ${w.padEnd(18)} ${entries.get(w)!.summary}`);
  }
  lines.push("", "Flags:", ...flagLines(globalFlags(), "bd"));
  lines.push("", 'Use "bd [command] --help" for more information about a command.');
  return lines.join("\n");
}
