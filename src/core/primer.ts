/**
 * The agent primer (`bd prime`, MCP's `context` tool): the workflow an agent needs, then the
 * workspace's memories (bd remember).
 */
import type { BeadsContext } from "./context.ts";
import { memories } from "./memories.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "db" | "mutate">;

export const PRIMER = `# bd workflow primer (for agents)

- Find work: \`bd ready --json\` (open, unblocked, not deferred; sorted). Claim atomically:
  \`bd ready --claim --json\` → \`[issue]\` or \`[]\`; or \`bd update ID --claim --json\`
  (exit 1 with code CONFLICT if someone else holds it).
- Record what you find while working: \`bd create "TITLE" -t bug -p 1 --deps discovered-from:ID --json\`.
- Dependencies: \`bd dep add A B\` = A depends on B (B blocks A). Types: blocks, related,
  parent-child, discovered-from. Epics: \`bd create "Part" --parent EPIC\`.
- Progress: \`bd update ID --status in_progress|blocked|deferred\`, \`bd comments add ID "note"\`.
- Finish: \`bd close ID --reason "what was done" --json\`.
- Inspect: \`bd show ID --json\` (array), \`bd list --json\`, \`bd blocked --json\`, \`bd stats --json\`.
- Errors: non-zero exit, empty stdout; with --json stderr carries
  {"error":"<message>","code":"NOT_FOUND|AMBIGUOUS_ID|VALIDATION|CYCLE|CONFLICT|USAGE|DB_LOCKED|INTERNAL","schema_version":1}.
- Before ending a session: \`bd sync\` (commit and share .beads/issues.jsonl through git).`;

/**
 * `bd prime --full`: the primer, then the rest of the workflow in bd's own commands: quality,
 * lifecycle and hygiene, structured work, and conventions.
 */
export const PRIMER_FULL_EXTRA = `## Quality

- \`bd lint [ID...]\` reports issues missing their type's sections (bug: Steps to Reproduce and
  Acceptance Criteria; task and feature: Acceptance Criteria; epic: Success Criteria); exit 1 when
  anything is missing. \`bd create ... --validate\` refuses such an issue up front.
- Questions only a person can answer: \`bd create "Question" -l human\`. People answer with
  \`bd human list\`, \`bd human respond ID "answer"\` (comment, then close) or \`bd human dismiss ID\`;
  \`bd human stats\` counts them. Read the answer with \`bd show ID --json\` (comments).
- Notes as you go: \`bd note ID "text"\` or \`bd update ID --append-notes "text"\`; comments for
  discussion: \`bd comments add ID "text"\`.

## Lifecycle and hygiene

- Park work: \`bd defer ID --until +2w\` (also tomorrow, next monday, 2025-01-15; 3m is three
  months); it comes back by itself. \`bd undefer ID\` brings it back now.
- Close in favour of another: \`bd duplicate ID --of OTHER\`, \`bd supersede ID --with NEW\`.
- Find work that went quiet: \`bd stale --days 7 --json\` (active issues not updated), \`bd orphans\`
  (open issues named in commit messages: done but never closed?).
- Reopen rather than recreate: \`bd reopen ID --reason "why"\`. Delete only mistakes:
  \`bd delete ID\` previews, \`--force\` deletes (other clones follow).
- Memories that outlive the session: \`bd remember "insight"\`, \`bd recall KEY\`, \`bd forget KEY\`.

## Structured work

- Epics: \`bd create "Epic" -t epic\`, then \`bd create "Part" --parent EPIC\` (IDs EPIC.1, EPIC.2).
  \`bd children EPIC\` lists them, \`bd epic status\` shows progress, \`bd epic close-eligible\`
  closes the finished ones. Move a part: \`bd update ID --parent OTHER\` (the ID stays).
- A blocked parent blocks its children. An issue's parent is its parent-child edge; only without
  one does the ID's prefix (P.3 under P) count.
- What unblocks the most: \`bd triage --json\` (critical path, bottlenecks, quick wins, stale,
  cycles); \`bd ready --sort impact\`; \`bd ready --explain\` says why each issue waits.
- See the graph: \`bd dep tree ID\`, \`bd graph\`, \`bd dep cycles\` (a cycle never becomes ready).

## Conventions

- One claim per agent: claim, work, close with a reason that says what was done; then
  \`bd close ID --suggest-next\` or \`bd ready --claim\` for the next.
- Link what you discover to where you found it (\`--deps discovered-from:ID\`), so the trail survives.
- Priorities: 0 critical, 1 high, 2 normal (default), 3 low, 4 backlog. Types: bug, feature, task,
  epic, chore, decision (\`bd types\`); statuses: \`bd statuses\`.
- Always pass --json when a program reads the answer; parse errors from stderr by \`code\`.`;

export interface Primer {
  text: string;
  memories: { key: string; value: string }[];
}

/**
 * The primer, with the memories of `beads` when given (outside a workspace: the primer alone);
 * `full` adds the long sections (bd prime --full).
 */
export function primer(beads?: Ctx, full = false): Primer {
  return { text: full ? `${PRIMER}\n\n${PRIMER_FULL_EXTRA}` : PRIMER, memories: beads ? memories(beads) : [] };
}

/** The line for an agent whose bd talks to a team server (BD_SERVER). */
export const REMOTE_PRIMER_LINE =
  "- Remote: bd runs against a team server (BD_SERVER, token in BD_TOKEN); every command works as above, one request each. Claim with a lease (`bd ready --claim --lease 30m`) and keep it with `bd heartbeat`; a lapsed claim goes to the next agent.";

/** The primer as `bd prime` prints it. */
export function primerText(p: Primer): string {
  if (!p.memories.length) return p.text;
  return `${p.text}\n\n## Memories (bd remember; bd forget KEY to drop one)\n\n${
    p.memories.map((m) => `- **${m.key}**: ${m.value}`).join("\n")
  }`;
}
