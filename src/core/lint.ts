/** `bd lint`: issues whose description lacks the sections bd's templates ask for, by type. */
import type { Issue } from "../model/types.ts";
import type { BeadsContext } from "./context.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "issue" | "list">;

/** The sections bd's templates expect, by issue type. */
export const TEMPLATE_SECTIONS: Record<string, string[]> = {
  bug: ["Steps to Reproduce", "Acceptance Criteria"],
  task: ["Acceptance Criteria"],
  feature: ["Acceptance Criteria"],
  epic: ["Success Criteria"],
};

/** True when `text` has `name` as a heading (`## Name`) or a label line (`Name:`). */
function hasSection(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\s*(#{1,6}\\s*${escaped}\\s*:?\\s*$|\\**${escaped}\\**\\s*:)`, "im").test(text);
}

/** Returns the sections an issue lacks (acceptance criteria also count when their field is set). */
export function missingSections(issue: Issue): string[] {
  const text = [issue.description, issue.design, issue.notes].filter(Boolean).join("\n");
  return (TEMPLATE_SECTIONS[issue.issue_type] ?? []).filter((name) =>
    !(name === "Acceptance Criteria" && issue.acceptance_criteria) && !hasSection(text, name)
  );
}

/** Lints these issues (all that are not closed when none are given). */
export function lintIssues(
  beads: Ctx,
  ids: string[],
): { checked: number; warnings: { issue: Issue; missing: string[] }[] } {
  const issues = ids.length
    ? ids.map((id) => beads.issue(id))
    : beads.list({}, { sort: "id", reverse: false, limit: 0 }).issues;
  const warnings = issues.map((issue) => ({ issue, missing: missingSections(issue) })).filter((w) => w.missing.length);
  return { checked: issues.length, warnings };
}
