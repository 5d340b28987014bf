/** Argument handling: global flags anywhere on the line, command words, per-command flags. */
import { parseArgs } from "node:util";
import { BdError } from "../model/errors.ts";
import type { Command, Flag, Globals, Values } from "./command.ts";

/** Flags every command accepts, before or after the command words (contract §2). */
export const GLOBAL_FLAGS: Record<string, Flag> = {
  json: { type: "boolean", help: "print JSON on stdout (one line) and JSON errors on stderr" },
  db: { type: "string", value: "PATH", help: "use this database file (else $BEADS_DIR, $BEADS_DB, or discovery)" },
  actor: { type: "string", value: "NAME", help: "who is acting (else $BD_ACTOR, $BEADS_ACTOR, git user.name, $USER)" },
  "no-auto-flush": { type: "boolean", help: "do not rewrite .beads/issues.jsonl after changes" },
  "no-auto-import": { type: "boolean", help: "do not import .beads/issues.jsonl when it changed" },
  sandbox: { type: "boolean", help: "= --no-auto-flush --no-auto-import" },
  quiet: { type: "boolean", short: "q", help: "print no notes on stderr" },
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

function toOptions(flags: Record<string, Flag>) {
  const out: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, f] of Object.entries(flags)) {
    out[name] = { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
  }
  return out;
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
    parsed = parseArgs({ args: argv, options: toOptions(flagSpecs), allowPositionals: true, strict: true });
  } catch (e) {
    if (command === undefined && words.length === 0 && argv.some((a) => a === "-h" || a === "--help")) {
      return { words, args: [], flags: {}, globals: globalsFrom({}), help: true };
    }
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional.*$/s, "") : String(e);
    const where = command ? ` for 'bd ${command.path.join(" ")}'` : "";
    throw new BdError(
      "USAGE",
      `${message}${where}; see 'bd ${command?.path.join(" ") ?? ""} --help'`.replace("bd  --help", "bd --help"),
    );
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
  };
}

/** Returns the `--help` text of one command. */
export function commandHelp(c: Command): string {
  const lines = [`Usage: bd ${c.path.join(" ")}${c.args ? " " + c.args : ""} [flags]`, "", c.summary];
  if (c.description) lines.push("", c.description.trim());
  if (c.aliases?.length) lines.push("", `Aliases: ${c.aliases.map((a) => a.join(" ")).join(", ")}`);
  const flagLines = (flags: Record<string, Flag>) =>
    Object.entries(flags).map(([name, f]) => {
      const short = f.short ? `-${f.short}, ` : "    ";
      const value = f.type === "string" ? ` ${f.value ?? "VALUE"}` : "";
      return [`  ${short}--${name}${value}`, f.help + (f.multiple ? " (repeatable)" : "")];
    });
  if (c.flags && Object.keys(c.flags).length) {
    lines.push("", "Flags:", ...tableLines(flagLines(c.flags)));
  }
  lines.push("", "Global flags:", ...tableLines(flagLines(GLOBAL_FLAGS)));
  return lines.join("\n");
}

function tableLines(rows: string[][]): string[] {
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `${a.padEnd(width)}  ${b}`);
}

/** Returns the top-level `bd --help` text. */
export function mainHelp(commands: Command[], version: string): string {
  const sections = new Map<string, Command[]>();
  for (const c of commands) sections.set(c.section, [...(sections.get(c.section) ?? []), c]);
  const lines = [
    `bd ${version} — a dependency-aware issue tracker for agents (SQLite in .beads/, JSONL for git)`,
    "",
    "Usage: bd <command> [arguments] [flags]     bd <command> --help for details",
  ];
  for (const [section, list] of sections) {
    lines.push("", `${section}:`);
    lines.push(...tableLines(list.map((c) => [`  ${c.path.join(" ")}${c.args ? " " + c.args : ""}`, c.summary])));
  }
  lines.push("", "Global flags (anywhere on the line):");
  lines.push(
    ...tableLines(
      Object.entries(GLOBAL_FLAGS).map(([n, f]) => [
        `  ${f.short ? `-${f.short}, ` : ""}--${n}${f.type === "string" ? ` ${f.value}` : ""}`,
        f.help,
      ]),
    ),
  );
  lines.push("", "Start with: bd init, then bd quickstart. Agents: bd prime.");
  return lines.join("\n");
}
