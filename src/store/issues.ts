/** Issue rows: mapping between SQL rows and Issue objects, inserts, updates, lookups. */
import type { Db, Param, Row } from "./db.ts";
import { type Issue, ISSUE_FIELDS, type IssueField } from "../model/types.ts";
import { rfc3339 } from "../model/time.ts";
import { leaseColumn } from "./leases.ts";

/** Columns that are written as '' rather than NULL when empty (bd's text columns). */
const TEXT_DEFAULT_EMPTY = new Set(["description", "design", "acceptance_criteria", "notes"]);
const ALWAYS = new Set(["id", "title", "status", "priority", "issue_type", "created_at", "updated_at"]);
const TIMES = new Set(["created_at", "updated_at", "closed_at", "due_at", "defer_until"]);
const COLUMN_LIST = [...ISSUE_FIELDS, "extra"].join(", ");

/**
 * How each column becomes a field, worked out once: whether it is always present (else omitted
 * when empty), a number, or a time. A read of 100 issues maps 2,500 columns in code that has not
 * warmed up yet, so the loop does as little as it can (issue 31).
 */
const FIELD_PLAN = ISSUE_FIELDS.map((f) => ({
  f,
  always: ALWAYS.has(f),
  num: f === "priority" || f === "estimated_minutes",
  time: TIMES.has(f),
}));

/** Returns an Issue from a row: contract key order, empty fields omitted, extras appended. */
export function rowToIssue(row: Row): Issue {
  const issue: Record<string, unknown> = {};
  for (let k = 0; k < FIELD_PLAN.length; k++) {
    const p = FIELD_PLAN[k];
    let v: unknown = row[p.f];
    if (v === null || v === undefined || v === "") {
      if (!p.always) continue;
      v = p.num ? 0 : "";
    } else if (p.num) v = Number(v);
    else if (p.time && (v as string)[10] === " ") v = rfc3339(v as string);
    issue[p.f] = v;
  }
  // Read beside the row when the query asks for it (store/leases.ts); never stored in the issue.
  if (typeof row.lease_expires_at === "string") issue.lease_expires_at = row.lease_expires_at;
  // Labels read in the same statement (labelsColumn), in the contract's place.
  if (typeof row.labels_json === "string" && row.labels_json !== "[]") issue.labels = JSON.parse(row.labels_json);
  if (typeof row.extra === "string" && row.extra) {
    try {
      const extra = JSON.parse(row.extra) as Record<string, unknown>;
      for (const [k, v] of Object.entries(extra)) if (!(k in issue)) issue[k] = v;
    } catch { /* a foreign writer put non-JSON here; ignore it rather than fail a read */ }
  }
  return issue as Issue;
}

function toParam(field: string, value: unknown): Param {
  if (value === undefined || value === null || value === "") {
    return TEXT_DEFAULT_EMPTY.has(field) ? "" : null;
  }
  if (typeof value === "number" || typeof value === "string") return value;
  return String(value);
}

/** Inserts a new issue row (fields taken from `issue`, extras into `extra`). */
export function insertIssue(db: Db, issue: Issue, extra?: Record<string, unknown>): void {
  const values = ISSUE_FIELDS.map((f) => toParam(f, issue[f]));
  const extraJson = extra && Object.keys(extra).length ? JSON.stringify(extra) : null;
  db.run(
    `INSERT INTO issues (${COLUMN_LIST}) VALUES (${ISSUE_FIELDS.map(() => "?").join(", ")}, ?)`,
    ...values,
    extraJson,
  );
}

/** Sets the given scalar fields of an issue. */
export function updateIssueColumns(
  db: Db,
  id: string,
  fields: Partial<Record<IssueField, unknown>>,
): void {
  const keys = Object.keys(fields).filter((k) => (ISSUE_FIELDS as readonly string[]).includes(k));
  if (keys.length === 0) return;
  // Column names come from ISSUE_FIELDS only, never from input.
  db.run(
    `UPDATE issues SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`,
    ...keys.map((k) => toParam(k, fields[k as IssueField])),
    id,
  );
}

/** Replaces the extra (unknown imported fields) JSON of an issue. */
export function setIssueExtra(db: Db, id: string, extra: Record<string, unknown>): void {
  db.run(
    "UPDATE issues SET extra = ? WHERE id = ?",
    Object.keys(extra).length ? JSON.stringify(extra) : null,
    id,
  );
}

/** Returns the extra JSON of an issue ({} when none). */
export function getIssueExtra(db: Db, id: string): Record<string, unknown> {
  const row = db.get<{ extra: string | null }>("SELECT extra FROM issues WHERE id = ?", id);
  if (!row?.extra) return {};
  try {
    return JSON.parse(row.extra);
  } catch {
    return {};
  }
}

/** The labels of the issue `alias` names, as a JSON array in label order, read in its row (rowToIssue places them). */
export const labelsColumn = (alias: string) =>
  `(SELECT json_group_array(label) FROM (SELECT label FROM labels l WHERE l.issue_id = ${alias}.id
  ORDER BY label)) AS labels_json`;

/**
 * What is read of an issue: its columns, with `lease` its claim's lease_expires_at (never
 * exported), with `labels` its labels.
 */
const selectList = (opts: { lease?: boolean; labels?: boolean }) =>
  `${COLUMN_LIST}${opts.lease ? `, ${leaseColumn("issues")}` : ""}${opts.labels ? `, ${labelsColumn("issues")}` : ""}`;

/** Returns the issue with exactly this ID, or undefined. */
export function getIssue(db: Db, id: string, opts: { lease?: boolean; labels?: boolean } = {}): Issue | undefined {
  const row = db.get(`SELECT ${selectList(opts)} FROM issues WHERE id = ?`, id);
  return row ? rowToIssue(row) : undefined;
}

/** Returns the issues with these IDs (any order; missing ones are absent). */
export function getIssues(db: Db, ids: readonly string[], opts: { lease?: boolean; labels?: boolean } = {}): Issue[] {
  if (ids.length === 0) return [];
  return db.all(
    `SELECT ${selectList(opts)} FROM issues WHERE id IN (SELECT value FROM json_each(?))`,
    JSON.stringify(ids),
  ).map(rowToIssue);
}

/** Returns true if an issue with this exact ID exists. */
export function issueExists(db: Db, id: string): boolean {
  return db.get("SELECT 1 AS x FROM issues WHERE id = ?", id) !== undefined;
}

/** Returns up to `limit` IDs matching `input` as exact, `prefix-input`, or a substring. */
export function findIdCandidates(db: Db, prefix: string, input: string, limit = 10): string[] {
  const exact = db.get<{ id: string }>(
    "SELECT id FROM issues WHERE id = ? OR id = ? LIMIT 1",
    input,
    `${prefix}-${input}`,
  );
  if (exact) return [exact.id];
  return db.all<{ id: string }>(
    "SELECT id FROM issues WHERE instr(id, ?) > 0 ORDER BY id LIMIT ?",
    input,
    limit,
  ).map((r) => r.id);
}

/** Deletes an issue row (labels, comments, outgoing edges and extension rows cascade). */
export function deleteIssueRow(db: Db, id: string): void {
  db.run("DELETE FROM issues WHERE id = ?", id);
}

/** Returns the number of top-level issues (IDs without a `.child` part). */
export function countTopLevelIssues(db: Db): number {
  // Kept by the triggers of issue_counts (store/schema.ts).
  return Number(db.get<{ n: number }>("SELECT n FROM issue_counts WHERE scope = 'top' AND status = ''")?.n ?? 0);
}

/** True when the database holds at least one issue. */
export function anyIssue(db: Db): boolean {
  return db.get("SELECT 1 AS x FROM issues LIMIT 1") !== undefined;
}

/** Returns all issue IDs in byte order. */
export function allIssueIds(db: Db): string[] {
  return db.all<{ id: string }>("SELECT id FROM issues ORDER BY id").map((r) => r.id);
}

/** Returns every issue (for export), in ID byte order. */
export function allIssues(db: Db): Issue[] {
  return db.all(`SELECT ${COLUMN_LIST} FROM issues ORDER BY id`).map(rowToIssue);
}

export { COLUMN_LIST as ISSUE_COLUMNS };

/** What tells two issues under one ID apart (see core/sync/id_collisions.ts). */
export interface IssueIdentityRow {
  id: string;
  title: string;
  created_at: string;
}

const IDENTITY_COLUMNS = "id, title, created_at";

/** Returns the identity of one issue, or undefined. */
export function issueIdentity(db: Db, id: string): IssueIdentityRow | undefined {
  return db.get<IssueIdentityRow>(`SELECT ${IDENTITY_COLUMNS} FROM issues WHERE id = ?`, id);
}

/** Returns every issue's identity by ID (a large import asks once instead of per record). */
export function issueIdentities(db: Db): Map<string, IssueIdentityRow> {
  return new Map(db.all<IssueIdentityRow>(`SELECT ${IDENTITY_COLUMNS} FROM issues`).map((r) => [r.id, r]));
}

/** Returns the IDs that start with `stem` (e.g. an issue's descendants, `stem` = `bd-a1.`). */
export function idsStartingWith(db: Db, stem: string): string[] {
  return db.all<{ id: string }>("SELECT id FROM issues WHERE substr(id, 1, length(?)) = ? ORDER BY id", stem, stem)
    .map((r) => r.id);
}

/** Returns the IDs of issues created at exactly `createdAt` with this title (one issue, moved). */
export function idsWithIdentity(db: Db, createdAt: string, title: string): string[] {
  return db.all<{ id: string }>(
    "SELECT id FROM issues WHERE created_at = ? AND title = ? ORDER BY id",
    createdAt,
    title,
  )
    .map((r) => r.id);
}

/** Returns true when some issue has this value in `column` (status or issue_type). */
export function valueInUse(db: Db, column: "status" | "issue_type", value: string): boolean {
  // The column name is one of two literals, never input.
  return db.get(`SELECT 1 AS x FROM issues WHERE ${column} = ? LIMIT 1`, value) !== undefined;
}
