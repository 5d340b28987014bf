/** The help texts (cobra's layout, as bd prints them): loaded only when help is asked for. */
import type { Command, Flag } from "./command.ts";
import { GLOBAL_FLAGS } from "./args.ts";

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
