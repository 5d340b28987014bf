/**
 * What an import makes of an existing issue's labels, dependencies and comments (contract §8):
 * - `union`: a foreign file (`bd import -i`) adds what it has and removes nothing;
 * - `file`: the file's sets are the truth, removals included (`bd import --replace`, and the
 *   workspace's own file for an issue with no local change left to flush);
 * - `three-way`: the issue has local changes never flushed: they are replayed onto the file's sets
 *   against the base (what bd last flushed or imported), so neither side's removals are undone.
 */
import type { Db } from "../../store/db.ts";
import * as rel from "../../store/relations.ts";
import { toMillis } from "../../model/time.ts";
import type { ImportRecord } from "./jsonl.ts";

export type SetRule = "union" | "file" | "three-way";

type IssueRecord = Extract<ImportRecord, { kind: "issue" }>;
type DepEntry = IssueRecord["dependencies"][number];
type CommentEntry = IssueRecord["comments"][number];

const dependencyKey = (d: DepEntry) => `${d.dep.depends_on_id}\u0000${d.dep.type}`;
/** Comments have no ID in the file: author, time (however spelled) and text tell them apart. */
const commentKey = (c: CommentEntry) => `${c.author}\u0000${toMillis(c.created_at)}\u0000${c.text}`;

/**
 * The elements to keep: `three-way` is the file's minus what was removed here since the base,
 * plus what was added here since the base; `union` keeps both sides; `file` the file's.
 */
export function mergedSet<T>(rule: SetRule, file: T[], local: T[], base: T[], key: (t: T) => string): T[] {
  if (rule === "file") return file;
  const localKeys = new Set(local.map(key));
  if (rule === "union") return [...local, ...file.filter((t) => !localKeys.has(key(t)))];
  const baseKeys = new Set(base.map(key));
  const removedHere = new Set([...baseKeys].filter((k) => !localKeys.has(k)));
  const kept = file.filter((t) => !removedHere.has(key(t)));
  const keptKeys = new Set(kept.map(key));
  return [...kept, ...local.filter((t) => !baseKeys.has(key(t)) && !keptKeys.has(key(t)))];
}

/**
 * Brings an existing issue's labels, dependencies and comments to what `rule` makes of the file's
 * record, the database's rows and the base record (undefined: no base, an empty one); returns
 * true when a row changed. Call inside the import's transaction.
 */
export function applyIssueSets(db: Db, r: IssueRecord, rule: SetRule, base: IssueRecord | undefined): boolean {
  const id = r.issue.id;
  let changed = false;
  const localLabels = rel.labelsOf(db, [id]).get(id) ?? [];
  const labels = new Set(mergedSet(rule, r.labels, localLabels, base?.labels ?? [], (l) => l));
  for (const l of localLabels) if (!labels.has(l) && rel.deleteLabel(db, id, l)) changed = true;
  for (const l of labels) if (rel.insertLabel(db, id, l)) changed = true;

  const localDeps: DepEntry[] = (rel.dependenciesOf(db, [id]).get(id) ?? []).map((dep) => ({ dep, extra: {} }));
  const deps = mergedSet(rule, r.dependencies, localDeps, base?.dependencies ?? [], dependencyKey);
  const depKeys = new Set(deps.map(dependencyKey));
  for (const d of localDeps) {
    if (!depKeys.has(dependencyKey(d)) && rel.deleteDependency(db, id, d.dep.depends_on_id, d.dep.type)) {
      changed = true;
    }
  }
  const localDepKeys = new Set(localDeps.map(dependencyKey));
  for (const d of deps) {
    if (!localDepKeys.has(dependencyKey(d)) && rel.insertDependency(db, { ...d.dep, issue_id: id }, d.extra)) {
      changed = true;
    }
  }

  const localRows = rel.commentsOf(db, [id]).get(id) ?? [];
  const comments = mergedSet(rule, r.comments, localRows, base?.comments ?? [], commentKey);
  const commentKeys = new Set(comments.map(commentKey));
  for (const c of localRows) if (!commentKeys.has(commentKey(c)) && rel.deleteComment(db, c.id)) changed = true;
  const localCommentKeys = new Set(localRows.map(commentKey));
  for (const c of comments) {
    if (!localCommentKeys.has(commentKey(c))) {
      rel.insertComment(db, { issue_id: id, author: c.author, text: c.text, created_at: c.created_at });
      localCommentKeys.add(commentKey(c));
      changed = true;
    }
  }
  return changed;
}
