/**
 * `bd setup` / `bd onboard`: a delimited bd section in AGENTS.md (and CLAUDE.md when the project
 * has one) with the workflow an agent needs. Only the text between the markers is bd's; running it
 * again replaces that text and nothing else.
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "./sync/jsonl_io.ts";

const BEGIN = "<!-- BEGIN BD (managed by 'bd setup'; edits between these markers are replaced) -->";
const END = "<!-- END BD -->";

/** The workflow section, as bd writes it. */
export function agentSection(prefix: string): string {
  return `${BEGIN}
## Issue tracking with bd

This project tracks work with **bd** (issues in \`.beads/\`; \`.beads/issues.jsonl\` goes into git).
Use it for all task tracking; do not keep TODO lists in markdown.

- Find work: \`bd ready --json\` (open, unblocked, not deferred).
- Claim it atomically: \`bd update ID --claim --json\` (or \`bd ready --claim --json\`).
- Found something else while working? \`bd create "TITLE" -t bug -p 1 --deps discovered-from:ID --json\`.
- Finish: \`bd close ID --reason "what was done" --json\`.
- Remember an insight for later sessions: \`bd remember "INSIGHT"\`; \`bd prime\` shows them all.
- Before you stop: \`bd sync\` (commit, pull, merge issue by issue, push).

Issue IDs look like \`${prefix}-a3f\`. Every command takes \`--json\`; errors come as
\`{"error":"<message>","code":"NOT_FOUND",...}\` on stderr with a non-zero exit.
${END}
`;
}

export interface SectionResult {
  file: string;
  /** created | updated | unchanged | removed | absent (writing), or current | drift | missing (--check). */
  action: "created" | "updated" | "unchanged" | "removed" | "absent" | "current" | "drift" | "missing";
}

/**
 * Writes (or checks, or removes) bd's marked section in one file, leaving everything outside the
 * markers as it was. A new file starts with `preamble` (a title, or a rules file's front matter).
 */
export function syncSection(
  file: string,
  section: string,
  opts: { check?: boolean; remove?: boolean; dryRun?: boolean; preamble?: string } = {},
): SectionResult {
  const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  const start = before?.indexOf(BEGIN) ?? -1;
  const end = before !== undefined && start >= 0 ? before.indexOf(END, start) : -1;
  const current = start >= 0 && end >= 0 ? before!.slice(start, end + END.length) + "\n" : undefined;
  if (opts.check) {
    return { file, action: current === undefined ? "missing" : current === section ? "current" : "drift" };
  }
  if (opts.remove) {
    if (current === undefined) return { file, action: "absent" };
    // The blank line bd put before its section goes with it.
    const rest = (before!.slice(0, start) + before!.slice(end + END.length).replace(/^\n/, "")).replace(
      /\n{2,}$/,
      "\n",
    );
    if (!opts.dryRun) {
      if (rest.trim() === "" || rest === opts.preamble) unlinkSync(file);
      else writeFileAtomic(file, rest);
    }
    return { file, action: "removed" };
  }
  if (current === section) return { file, action: "unchanged" };
  let after: string;
  if (before === undefined) after = `${opts.preamble ?? "# Agent instructions\n\n"}${section}`;
  else if (current !== undefined) {
    after = before.slice(0, start) + section + before.slice(end + END.length).replace(/^\n/, "");
  } else after = `${before}${before.endsWith("\n") ? "" : "\n"}\n${section}`;
  if (!opts.dryRun) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, after);
  }
  return { file, action: before === undefined ? "created" : "updated" };
}

/** Writes (or with `check`, compares) the bd section in AGENTS.md and, if present, CLAUDE.md. */
export function syncAgentFiles(root: string, prefix: string, check: boolean): SectionResult[] {
  const section = agentSection(prefix);
  const files = ["AGENTS.md", ...(existsSync(join(root, "CLAUDE.md")) ? ["CLAUDE.md"] : [])];
  return files.map((name) => syncSection(join(root, name), section, { check }));
}
