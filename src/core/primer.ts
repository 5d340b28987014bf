/**
 * The agent primer (`bd prime`, MCP's `context` tool): the workflow an agent needs, then the
 * workspace's memories (bd remember).
 */
import type { Beads } from "./service.ts";
import { memories } from "./memories.ts";

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

export interface Primer {
  text: string;
  memories: { key: string; value: string }[];
}

/** The primer, with the memories of `beads` when given (outside a workspace: the primer alone). */
export function primer(beads?: Beads): Primer {
  return { text: PRIMER, memories: beads ? memories(beads) : [] };
}

/** The primer as `bd prime` prints it. */
export function primerText(p: Primer): string {
  if (!p.memories.length) return p.text;
  return `${p.text}\n\n## Memories (bd remember; bd forget KEY to drop one)\n\n${
    p.memories.map((m) => `- **${m.key}**: ${m.value}`).join("\n")
  }`;
}
