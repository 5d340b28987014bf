/** The JSONL format of contract §8: one compact issue per line, sorted by ID, extras kept. */
import { BdError } from "../../model/errors.ts";
import { inContractOrder } from "../../model/key_order.ts";
import { type Comment, type Dependency, type Issue, ISSUE_FIELDS, KNOWN_ISSUE_KEYS } from "../../model/types.ts";
import { issueProblems } from "../../model/validate.ts";
import { toMillis } from "../../model/time.ts";

/** Returns the issue as a JSONL record: contract key order, relations embedded, extras last. */
export function issueRecord(
  issue: Issue,
  labels: string[] | undefined,
  deps: Dependency[] | undefined,
  comments: Comment[] | undefined,
): Record<string, unknown> {
  const relations: Record<string, unknown> = {};
  if (labels?.length) relations.labels = labels;
  if (deps?.length) relations.dependencies = deps;
  // Comment ids are local row numbers; leaving them out keeps clones' files identical.
  if (comments?.length) {
    relations.comments = comments.map((c) => ({
      issue_id: c.issue_id,
      author: c.author,
      text: c.text,
      created_at: c.created_at,
    }));
  }
  return inContractOrder(issue, relations);
}

/**
 * A parsed JSONL line: a live issue, a tombstone, a memory (`{"_type":"memory","key","value"}`,
 * written by `bd remember`), a shared setting (`{"_type":"config","key","value"}`, one of
 * SHARED_CONFIG_KEYS), or a record of a kind bd does not know (kept verbatim).
 */
export type ImportRecord =
  | { kind: "memory"; key: string; value: string; raw: string }
  | { kind: "config"; key: string; value: string; raw: string }
  | { kind: "other"; line: string; type: string }
  | {
    kind: "issue";
    /** The line as the file has it (what the import base is compared with). */
    raw: string;
    issue: Issue;
    extra: Record<string, unknown>;
    labels: string[];
    dependencies: { dep: Dependency; extra: Record<string, unknown> }[];
    comments: { author: string; text: string; created_at: string }[];
  }
  | {
    kind: "tombstone";
    raw: string;
    id: string;
    deleted_at: string;
    deleted_by: string;
    delete_reason: string;
    line: string;
  };

const DEP_KNOWN = new Set(["issue_id", "depends_on_id", "type", "created_at", "created_by"]);

/**
 * Counts some bds write on export. bd derives them from the data when it prints them, so they are
 * not stored: a stale count in a file can never cause churn or disagree with the edges.
 */
const DERIVED_KEYS = new Set(["dependency_count", "dependent_count", "comment_count"]);

/** A line parseLine refuses: VALIDATION `line N: reason`, with the reason kept apart for reports. */
class LineError extends BdError {
  constructor(lineNo: number, readonly reason: string) {
    super("VALIDATION", `line ${lineNo}: ${reason}`);
  }
}

function fail(lineNo: number, reason: string): never {
  throw new LineError(lineNo, reason);
}

function optString(o: Record<string, unknown>, key: string, lineNo: number): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") fail(lineNo, `field "${key}" must be a string`);
  return v;
}

/** Parses one JSONL line (1-based `lineNo` for messages); throws `line N: <reason>`. */
export function parseLine(line: string, lineNo: number): ImportRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    fail(lineNo, `invalid JSON (${e instanceof Error ? e.message : e})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(lineNo, "expected a JSON object");
  }
  const o = value as Record<string, unknown>;
  const type = o._type;
  if (type === MEMORY_TYPE) {
    const key = optString(o, "key", lineNo);
    if (!key) fail(lineNo, 'memory record without "key"');
    return { kind: "memory", key, value: optString(o, "value", lineNo) ?? "", raw: line };
  }
  if (type === CONFIG_TYPE && SHARED_CONFIG_KEYS.includes(o.key as string)) {
    return { kind: "config", key: o.key as string, value: optString(o, "value", lineNo) ?? "", raw: line };
  }
  // Newer bds mark issue lines with "_type":"issue"; other kinds (and headers with "_schema")
  // are kept as they are and written back on export.
  if ((type !== undefined && type !== "issue") || (type === undefined && "_schema" in o && !("id" in o))) {
    // Kept exactly as written: bd does not know this kind, so it does not re-encode it either.
    return { kind: "other", line, type: typeof type === "string" ? type : "_schema" };
  }
  const id = optString(o, "id", lineNo);
  if (!id) fail(lineNo, 'missing "id"');
  // deno-lint-ignore no-control-regex -- control characters are what it refuses
  if (/[\s"\\\x00-\x1f\x7f]/.test(id)) fail(lineNo, `invalid id ${JSON.stringify(id)}`);
  const now = new Date().toISOString();
  if (o.status === "tombstone") {
    return {
      kind: "tombstone",
      raw: line,
      id,
      deleted_at: optString(o, "deleted_at", lineNo) ?? optString(o, "updated_at", lineNo) ?? now,
      deleted_by: optString(o, "deleted_by", lineNo) ?? "unknown",
      delete_reason: optString(o, "delete_reason", lineNo) ?? "",
      line: JSON.stringify(o),
    };
  }
  const title = optString(o, "title", lineNo);
  if (title === undefined || title.trim() === "") fail(lineNo, `issue ${id} has no title`);
  // beads omits priority 0 (Go omitempty), so absent means P0; issueProblems checks the rest below.
  const priority = o.priority === undefined || o.priority === null ? 0 : o.priority as number;
  let estimate: number | undefined;
  if (o.estimated_minutes !== undefined && o.estimated_minutes !== null) {
    if (typeof o.estimated_minutes !== "number") fail(lineNo, `issue ${id}: estimated_minutes must be a number`);
    estimate = o.estimated_minutes;
  }
  const created = optString(o, "created_at", lineNo) ?? optString(o, "updated_at", lineNo) ?? now;
  const issue: Issue = {
    id,
    title,
    status: optString(o, "status", lineNo) || "open",
    priority,
    issue_type: optString(o, "issue_type", lineNo) || "task",
    created_at: created,
    updated_at: optString(o, "updated_at", lineNo) ?? created,
  };
  for (const f of ISSUE_FIELDS) {
    if (f in issue || f === "priority" || f === "estimated_minutes") continue;
    const v = optString(o, f, lineNo);
    if (v !== undefined && v !== "") issue[f] = v;
  }
  if (estimate !== undefined) issue.estimated_minutes = estimate;
  // One set of rules for every way in (model/validate.ts): an issue no command could use stays out.
  const problems = issueProblems(issue);
  if (problems.length) fail(lineNo, `issue ${JSON.stringify(id)}: ${problems.join("; ")}`);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!KNOWN_ISSUE_KEYS.has(k) && !DERIVED_KEYS.has(k)) extra[k] = v;

  const labels: string[] = [];
  if (o.labels !== undefined && o.labels !== null) {
    if (!Array.isArray(o.labels) || o.labels.some((l) => typeof l !== "string")) {
      fail(lineNo, `issue ${id}: labels must be an array of strings`);
    }
    labels.push(...(o.labels as string[]));
  }
  const dependencies: { dep: Dependency; extra: Record<string, unknown> }[] = [];
  if (o.dependencies !== undefined && o.dependencies !== null) {
    if (!Array.isArray(o.dependencies)) fail(lineNo, `issue ${id}: dependencies must be an array`);
    for (const d of o.dependencies as unknown[]) {
      if (typeof d !== "object" || d === null) fail(lineNo, `issue ${id}: a dependency must be an object`);
      const dd = d as Record<string, unknown>;
      const target = optString(dd, "depends_on_id", lineNo);
      if (!target) fail(lineNo, `issue ${id}: a dependency has no depends_on_id`);
      if (target === id) fail(lineNo, `issue ${id} depends on itself`);
      const dep: Dependency = {
        issue_id: id,
        depends_on_id: target,
        type: optString(dd, "type", lineNo) || "blocks",
        created_at: optString(dd, "created_at", lineNo) ?? issue.created_at,
      };
      const by = optString(dd, "created_by", lineNo);
      if (by) dep.created_by = by;
      const dExtra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(dd)) if (!DEP_KNOWN.has(k)) dExtra[k] = v;
      dependencies.push({ dep, extra: dExtra });
    }
  }
  const comments: { author: string; text: string; created_at: string }[] = [];
  if (o.comments !== undefined && o.comments !== null) {
    if (!Array.isArray(o.comments)) fail(lineNo, `issue ${id}: comments must be an array`);
    for (const c of o.comments as unknown[]) {
      if (typeof c !== "object" || c === null) fail(lineNo, `issue ${id}: a comment must be an object`);
      const cc = c as Record<string, unknown>;
      const text = optString(cc, "text", lineNo);
      if (text === undefined) fail(lineNo, `issue ${id}: a comment has no text`);
      comments.push({
        author: optString(cc, "author", lineNo) ?? "unknown",
        text,
        created_at: optString(cc, "created_at", lineNo) ?? issue.created_at,
      });
    }
  }
  return { kind: "issue", raw: line, issue, extra, labels, dependencies, comments };
}

/** A line bd kept out of the database, with why (its text stays in the file for a person to mend). */
export interface RejectedLine {
  /** 1-based line number in the file. */
  line: number;
  /** The issue ID the line names, when it names one. */
  id?: string;
  reason: string;
}

/** Several lines of one issue in one file: which lines, and the one the import rule kept. */
export interface DuplicateLines {
  id: string;
  lines: number[];
  kept: number;
}

/** A parsed JSONL text: the usable records, and the lines that are not (see parseJsonl). */
export interface ParsedJsonl {
  records: ImportRecord[];
  rejected: RejectedLine[];
  duplicates: DuplicateLines[];
}

/**
 * Parses a whole JSONL text; blank lines are skipped. A line that is not usable (bad JSON, a value
 * no command could work with) is rejected with its number and reason, and the rest still parse.
 * Several lines of one issue become one record by the import rule (the later `updated_at` wins; on
 * a tie the earlier line stands), and are reported.
 */
export function parseJsonl(text: string): ParsedJsonl {
  const parsed: { record: ImportRecord; line: number }[] = [];
  const rejected: RejectedLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const r = tryParseLine(line, i + 1);
    if ("reason" in r) rejected.push(r);
    else parsed.push({ record: r, line: i + 1 });
  }
  return { ...oneRecordPerIssue(parsed), rejected };
}

/** Parses a line, or says why it is rejected (see parseLine). */
export function tryParseLine(line: string, lineNo: number): ImportRecord | RejectedLine {
  try {
    return parseLine(line, lineNo);
  } catch (e) {
    if (!(e instanceof LineError)) throw e;
    const id = lineId(line);
    return {
      line: lineNo,
      ...(id !== undefined && !id.startsWith(RECORD_PREFIX) ? { id } : {}),
      reason: e.reason,
    };
  }
}

/** Reduces several records of one issue to the one the import rule keeps, and reports them. */
export function oneRecordPerIssue(
  parsed: { record: ImportRecord; line: number }[],
): { records: ImportRecord[]; duplicates: DuplicateLines[] } {
  const at = new Map<string, number>();
  const lines = new Map<string, number[]>();
  const keep: ({ record: ImportRecord; line: number } | undefined)[] = [];
  for (const p of parsed) {
    if (p.record.kind !== "issue") {
      keep.push(p);
      continue;
    }
    const id = p.record.issue.id;
    const first = at.get(id);
    if (first === undefined) {
      at.set(id, keep.length);
      lines.set(id, [p.line]);
      keep.push(p);
      continue;
    }
    lines.get(id)!.push(p.line);
    const held = keep[first]!.record as Extract<ImportRecord, { kind: "issue" }>;
    if (toMillis(p.record.issue.updated_at) > toMillis(held.issue.updated_at)) keep[first] = p;
  }
  const duplicates: DuplicateLines[] = [];
  for (const [id, ls] of lines) if (ls.length > 1) duplicates.push({ id, lines: ls, kept: keep[at.get(id)!]!.line });
  return { records: keep.flatMap((p) => (p ? [p.record] : [])), duplicates };
}

export const MEMORY_TYPE = "memory";
export const CONFIG_TYPE = "config";

/**
 * The settings that travel with the issues in the JSONL, because they change what the issues
 * mean: a custom status's category decides what blocks and what is ready on every clone, and a
 * custom type is what create and update accept. Other config stays in the database.
 */
export const SHARED_CONFIG_KEYS: readonly string[] = ["status.custom", "types.custom"];

/**
 * Sort keys of the records that follow the issues in the file: memories by key, then records of
 * other kinds by their text. U+FFFF sorts after every issue ID.
 */
export const memorySortKey = (key: string) => `\uffff1${key}`;
export const otherSortKey = (line: string) => `\uffff2${line}`;
/** Shared settings come last. */
export const configSortKey = (key: string) => `\uffff3${key}`;
/** The start of every sort key that is not an issue's, and of each kind's. */
export const RECORD_PREFIX = "\uffff";
export const MEMORY_PREFIX = memorySortKey("");
export const OTHER_PREFIX = otherSortKey("");
export const CONFIG_PREFIX = configSortKey("");

/**
 * Returns the sort key of a JSONL line: the issue ID (read cheaply when bd wrote `{"id":"...`
 * first), else the memory or other-record key (see memorySortKey); undefined for a bad line.
 */
export function lineId(line: string): string | undefined {
  if (line.startsWith('{"id":"')) {
    const end = line.indexOf('"', 7);
    if (end > 7) return line.slice(7, end);
  }
  try {
    const o = JSON.parse(line);
    if (o?._type === MEMORY_TYPE && typeof o.key === "string") return memorySortKey(o.key);
    if (o?._type === CONFIG_TYPE && SHARED_CONFIG_KEYS.includes(o.key)) return configSortKey(o.key);
    if (typeof o?.id === "string" && (o._type === undefined || o._type === "issue")) return o.id;
    return o && typeof o === "object" ? otherSortKey(line) : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the JSONL line of a shared setting. */
export function configLine(key: string, value: string): string {
  return JSON.stringify({ _type: CONFIG_TYPE, key, value });
}

/** Returns the JSONL line of a memory. */
export function memoryLine(key: string, value: string): string {
  return JSON.stringify({ _type: MEMORY_TYPE, key, value });
}

/** Byte-order comparison of IDs (the JSONL sort order). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
