/** Labels and comments on issues. */
import * as rel from "../store/relations.ts";
import { validation } from "../model/errors.ts";
import { nowIso } from "../model/time.ts";
import { checkLabel, stripControl } from "../model/validate.ts";
import type { Comment } from "../model/types.ts";
import type { BeadsContext } from "./context.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  "actor" | "addLabel" | "db" | "event" | "labels" | "mutate" | "removeLabel" | "resolveId" | "touch"
>;

/** Adds a label; returns `added` or `exists`. */
export function addLabel(
  beads: Ctx,
  idInput: string,
  labelInput: string,
): { issue_id: string; label: string; status: string } {
  const label = checkLabel(labelInput);
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    if (!rel.insertLabel(beads.db, id, label)) return { issue_id: id, label, status: "exists" };
    const now = nowIso();
    beads.event(id, "label_added", null, label, null, now);
    beads.touch([id], now);
    return { issue_id: id, label, status: "added" };
  });
}

/** Removes a label; returns `removed` or `not_found`. */
export function removeLabel(
  beads: Ctx,
  idInput: string,
  labelInput: string,
): { issue_id: string; label: string; status: string } {
  const label = labelInput.trim();
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    if (!rel.deleteLabel(beads.db, id, label)) return { issue_id: id, label, status: "not_found" };
    const now = nowIso();
    beads.event(id, "label_removed", label, null, null, now);
    beads.touch([id], now);
    return { issue_id: id, label, status: "removed" };
  });
}

/** Replaces an issue's labels with exactly these. */
export function setLabels(beads: Ctx, idInput: string, labels: string[]): string[] {
  const wanted = [...new Set(labels.map(checkLabel))];
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const current = beads.labels(id);
    for (const l of current) if (!wanted.includes(l)) beads.removeLabel(id, l);
    for (const l of wanted) if (!current.includes(l)) beads.addLabel(id, l);
    return beads.labels(id);
  });
}

/** Returns an issue's labels, sorted. */
export function labels(beads: Ctx, idInput: string): string[] {
  const id = beads.resolveId(idInput);
  return rel.labelsOf(beads.db, [id]).get(id) ?? [];
}

/** Returns every label in use with its issue count. */
export function allLabels(beads: Ctx): { label: string; count: number }[] {
  return rel.labelCounts(beads.db);
}

/** Returns an issue's comments, oldest first. */
export function comments(beads: Ctx, idInput: string): Comment[] {
  const id = beads.resolveId(idInput);
  return rel.commentsOf(beads.db, [id]).get(id) ?? [];
}

/** Adds a comment by the actor and returns it. */
export function addComment(beads: Ctx, idInput: string, text: string, authorInput?: string): Comment {
  const body = stripControl(text ?? "").trim();
  if (!body) throw validation("comment text cannot be empty");
  const author = authorInput === undefined ? beads.actor : stripControl(authorInput).trim();
  if (!author) throw validation("comment author cannot be empty");
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const now = nowIso();
    const comment = rel.insertComment(beads.db, { issue_id: id, author, text: body, created_at: now });
    beads.event(id, "commented", null, null, body, now);
    beads.touch([id], now);
    return comment;
  });
}
