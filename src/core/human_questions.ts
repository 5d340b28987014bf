/**
 * Questions for a person (upstream's `bd human`): issues labelled `human` that agents file. A
 * person answers one (the answer as a comment, then closed "Responded") or dismisses it (closed
 * "Dismissed", the reason kept as a comment).
 */
import { BdError } from "../model/errors.ts";
import type { Issue } from "../model/types.ts";
import type { BeadsContext } from "./context.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "addComment" | "closeIssue" | "issue" | "labelsFor" | "list" | "mutate">;

export const HUMAN_LABEL = "human";
const RESPONDED = "Responded";
const DISMISSED = "Dismissed";

/** The open questions (or those in `status`), oldest first. */
export function questions(beads: Ctx, status?: string): Issue[] {
  return beads.list(
    { labels: [HUMAN_LABEL], ...(status ? { status: [status] } : {}) },
    { sort: "created", limit: 0 },
  ).issues;
}

/** Answers a question: the response as a comment, then closed "Responded", in one write. */
export function respond(beads: Ctx, id: string, response: string): Issue {
  return settle(beads, id, response, RESPONDED);
}

/** Dismisses a question without an answer (closed "Dismissed"; a reason is kept as a comment). */
export function dismiss(beads: Ctx, id: string, reason?: string): Issue {
  return settle(beads, id, reason, DISMISSED);
}

function settle(beads: Ctx, id: string, comment: string | undefined, reason: string): Issue {
  return beads.mutate(() => {
    const issue = beads.issue(id);
    if (!beads.labelsFor([issue.id]).get(issue.id)?.includes(HUMAN_LABEL)) {
      throw new BdError("VALIDATION", `${issue.id} is not a question for a person (it has no '${HUMAN_LABEL}' label)`);
    }
    if (comment) beads.addComment(issue.id, comment);
    return beads.closeIssue(issue.id, reason);
  });
}

/** How many questions there are: pending, responded and dismissed. */
export function questionStats(beads: Ctx): { total: number; pending: number; responded: number; dismissed: number } {
  const all = beads.list({ labels: [HUMAN_LABEL], includeClosed: true }, { limit: 0 }).issues;
  const closed = all.filter((i) => i.status === "closed");
  return {
    total: all.length,
    pending: all.length - closed.length,
    responded: closed.filter((i) => i.close_reason === RESPONDED).length,
    dismissed: closed.filter((i) => i.close_reason === DISMISSED).length,
  };
}
