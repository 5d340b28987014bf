/** Human-readable rendering of issues (bd's wording, which scripts grep for: contract §3b). */
import type { Issue } from "../model/types.ts";
import type { IssueDetails } from "../core/service.ts";
import { type Colour, type Output, table } from "./output.ts";

const STATUS_COLOUR: Record<string, Colour> = {
  open: "green",
  in_progress: "yellow",
  blocked: "red",
  deferred: "blue",
  closed: "gray",
};

export function status(out: Output, s: string): string {
  return out.paint(STATUS_COLOUR[s] ?? "magenta", s);
}

export function priority(out: Output, p: number): string {
  return out.paint(p <= 1 ? "red" : p === 2 ? "yellow" : "gray", `P${p}`);
}

/** Returns aligned lines, one per issue: ID, priority, type, status, assignee, title. */
export function issueTable(out: Output, issues: Issue[], extra?: (i: Issue) => string): string[] {
  return table(
    issues.map((i) => [
      out.paint("cyan", i.id),
      priority(out, i.priority),
      i.issue_type,
      status(out, i.status),
      i.assignee ? `@${i.assignee}` : "",
      i.title + (extra ? extra(i) : ""),
    ]),
  );
}

/** Returns the `show` text of one issue. */
export function issueDetailsText(out: Output, d: IssueDetails): string[] {
  const lines = [`${out.paint("bold", d.id)}: ${d.title}`];
  lines.push(`Status: ${status(out, d.status)}`);
  lines.push(`Priority: P${d.priority}`);
  lines.push(`Type: ${d.issue_type}`);
  if (d.assignee) lines.push(`Assignee: ${d.assignee}`);
  if (d.owner) lines.push(`Owner: ${d.owner}`);
  if (d.estimated_minutes !== undefined) lines.push(`Estimate: ${d.estimated_minutes} minutes`);
  lines.push(`Created: ${d.created_at}${d.created_by ? ` by ${d.created_by}` : ""}`);
  lines.push(`Updated: ${d.updated_at}`);
  if (d.closed_at) lines.push(`Closed: ${d.closed_at}${d.close_reason ? ` (${d.close_reason})` : ""}`);
  if (d.due_at) lines.push(`Due: ${d.due_at}`);
  if (d.defer_until) lines.push(`Deferred until: ${d.defer_until}`);
  if (d.external_ref) lines.push(`External ref: ${d.external_ref}`);
  if (d.parent) lines.push(`Parent: ${d.parent}`);
  for (
    const [label, key] of [["Description", "description"], ["Design", "design"], [
      "Acceptance Criteria",
      "acceptance_criteria",
    ], ["Notes", "notes"]] as const
  ) {
    const text = d[key];
    if (text) lines.push("", `${label}:`, ...String(text).split("\n").map((l) => `  ${l}`));
  }
  if (d.labels.length) lines.push("", `Labels (${d.labels.length}): ${d.labels.join(", ")}`);
  if (d.dependencies.length) {
    lines.push("", `Depends on (${d.dependencies.length}):`);
    for (const x of d.dependencies) lines.push(`  → ${x.id}: ${x.title} [${x.dependency_type}] (${x.status})`);
  }
  if (d.dependents.length) {
    lines.push("", `Blocks / dependents (${d.dependents.length}):`);
    for (const x of d.dependents) lines.push(`  ← ${x.id}: ${x.title} [${x.dependency_type}] (${x.status})`);
  }
  if (d.comments.length) {
    lines.push("", `Comments (${d.comments.length}):`);
    for (const c of d.comments) {
      lines.push(`  [${c.author}] ${c.created_at}`, ...c.text.split("\n").map((l) => `    ${l}`));
    }
  }
  return lines;
}
