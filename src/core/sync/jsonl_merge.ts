/**
 * The merge rule for two versions of `issues.jsonl` against their common base, in one place:
 * `bd merge` (git's merge driver), `bd sync` (conflicts while rebasing) and `bd resolve-conflicts`
 * (a file that plain git left with conflict markers) all call `mergeJsonl`.
 *
 * The rule, per record:
 * - issues are matched by ID, memories by key, records of kinds bd does not know by their text;
 * - a record on one side only is kept, unless it was in the base and the other side deleted it
 *   without changing it first;
 * - an issue changed on both sides merges field by field against the base: a field changed on
 *   one side takes that side's value; a field changed on both takes the value of the side with
 *   the later `updated_at` (`status`, `closed_at` and `close_reason` travel together, so a
 *   merge never yields a closed issue without `closed_at`); labels, dependencies and comments
 *   merge as sets (an element removed on one side and untouched on the other goes away); the
 *   merged issue's `updated_at` is 1 ms after the later side's, so every clone imports it;
 * - a deletion (tombstone) beats an edit older than it and loses to a newer one;
 * - two different issues under one ID (created at different times: an ID minted on two clones)
 *   stay two issues: one moves to a new ID first (see id_collisions.ts);
 * - the output is sorted (issues by ID, then memories by key, then other records) and does not
 *   depend on which side is "ours": swapping left and right gives the same bytes.
 */
import { BdError } from "../../model/errors.ts";
import { ISSUE_FIELDS } from "../../model/types.ts";
import { toMillis } from "../../model/time.ts";
import { compareIds, CONFIG_TYPE, type RejectedLine, SHARED_CONFIG_KEYS, tryParseLine } from "./jsonl.ts";
import { type IdMove, separateIssues } from "./id_collisions.ts";
import { CONFIG, type Entry, ISSUE, MEMORY, OTHER } from "./jsonl_records.ts";
import { isMarkerLine } from "./conflict_markers.ts";

type Obj = Record<string, unknown>;

export interface MergeResult {
  /** The merged file (sorted, newline-terminated). */
  text: string;
  /** Records that both sides changed and that were merged field by field. */
  merged: number;
  /** Issues of one side moved to a new ID because a different issue holds theirs. */
  moved: IdMove[];
  /**
   * Issue lines of the result, changed on a side, that no command could use (the import rules):
   * kept in the file for a person to mend; the import that follows keeps them out of the database.
   */
  unusable: RejectedLine[];
}

/** Returns the identity of a record: kind digit + ID/key/text (so issues sort before memories). */
function recordKey(obj: Obj, line: string, where: string): string {
  const type = obj._type;
  if (type === undefined && "_schema" in obj && !("id" in obj)) return OTHER + line; // a header line
  if (type === undefined || type === "issue") {
    if (typeof obj.id !== "string" || obj.id === "") throw new BdError("VALIDATION", `${where}: missing "id"`);
    return ISSUE + obj.id;
  }
  if (type === "memory") {
    if (typeof obj.key !== "string" || obj.key === "") {
      throw new BdError("VALIDATION", `${where}: memory without "key"`);
    }
    return MEMORY + obj.key;
  }
  // A shared setting changed on both sides keeps one of the two values, the same on every clone.
  if (type === CONFIG_TYPE && SHARED_CONFIG_KEYS.includes(obj.key as string)) return CONFIG + obj.key;
  return OTHER + line;
}

/** Parses a JSONL text into records by identity; `side` names it in errors. */
export function parseRecords(text: string, side: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const where = `${side}, line ${i + 1}`;
    if (isMarkerLine(line)) {
      throw new BdError(
        "VALIDATION",
        `${where}: a git conflict marker (${line.slice(0, 7)}); resolve the markers first`,
      );
    }
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new BdError("VALIDATION", `${where}: invalid JSON (${e instanceof Error ? e.message : e})`);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      throw new BdError("VALIDATION", `${where}: expected a JSON object`);
    }
    const key = recordKey(obj as Obj, line, where);
    const had = out.get(key);
    // A file may carry several lines of one issue (appended exports): the later one stands.
    if (!had || key[0] !== ISSUE || laterThan(obj as Obj, had.obj) >= 0) out.set(key, { key, obj: obj as Obj, line });
  }
  return out;
}

/** Three-way merge of two JSONL texts against their base (base "" when there is none). */
export function mergeJsonl(base: string, left: string, right: string): MergeResult {
  const b = parseRecords(base, "base");
  const l = parseRecords(left, "left");
  const r = parseRecords(right, "right");
  const moved = separateIssues(b, l, r).filter((m) => m.side !== "base");
  let merged = 0;
  const lines: [string, string][] = [];
  for (const key of new Set([...l.keys(), ...r.keys()])) {
    const be = b.get(key), le = l.get(key), re = r.get(key);
    let line: string | undefined;
    if (le && re) {
      if (same(le.obj, re.obj)) line = le.line < re.line ? le.line : re.line;
      else if (be && same(be.obj, le.obj)) line = re.line;
      else if (be && same(be.obj, re.obj)) line = le.line;
      else {
        merged++;
        line = key[0] === ISSUE ? mergeIssueLines(be?.obj, le.obj, re.obj) : pickDeterministic(le, re).line;
      }
    } else {
      const only = (le ?? re)!;
      // In the base and gone from one side: deleted there. Keep it only if the other side changed it.
      line = be && same(be.obj, only.obj) ? undefined : only.line;
    }
    if (line !== undefined) lines.push([key, line]);
  }
  lines.sort((x, y) => compareKeys(x[0], y[0]));
  const unusable: RejectedLine[] = [];
  lines.forEach(([key, line], i) => {
    if (key[0] !== ISSUE || b.get(key)?.line === line) return;
    const r = tryParseLine(line, i + 1);
    if ("reason" in r) unusable.push(r);
  });
  return { text: lines.map(([, line]) => line + "\n").join(""), merged, moved, unusable };
}

function compareKeys(a: string, b: string): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return compareIds(a.slice(1), b.slice(1));
}

/** Returns true when two records hold the same data (key order aside). */
function same(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

/** JSON with object keys sorted: equal data gives equal text whatever the key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Obj;
    return `{${
      Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(v) ?? "null";
}

const isTombstone = (o: Obj) => o.status === "tombstone";

/** When a record last changed: `deleted_at` for a tombstone, else `updated_at`. */
function changedAt(o: Obj): number {
  const at = isTombstone(o) ? (o.deleted_at ?? o.updated_at) : o.updated_at;
  return typeof at === "string" ? toMillis(at) : 0;
}

/** >0 when `a` changed later than `b`; ties broken by content so the answer is symmetric. */
function laterThan(a: Obj, b: Obj): number {
  const d = changedAt(a) - changedAt(b);
  if (d !== 0 && !Number.isNaN(d)) return d;
  const sa = stable(a), sb = stable(b);
  return sa === sb ? 0 : sa > sb ? 1 : -1;
}

function pickDeterministic(a: Entry, b: Entry): Entry {
  return laterThan(a.obj, b.obj) >= 0 ? a : b;
}

/** Identity of an element of an issue's sets. */
const SET_FIELDS: Record<string, (v: unknown) => string> = {
  labels: (v) => String(v),
  dependencies: (v) => {
    const d = v as Obj;
    return `${d.depends_on_id}\u0000${d.type ?? "blocks"}`;
  },
  comments: (v) => {
    const c = v as Obj;
    return `${c.created_at}\u0000${c.author}\u0000${c.text}`;
  },
};

/** Field groups that change together. */
const STATUS_GROUP = ["status", "closed_at", "close_reason"];

/** Merges an issue changed on both sides; returns the merged line. */
function mergeIssueLines(base: Obj | undefined, left: Obj, right: Obj): string {
  const winner = laterThan(left, right) >= 0 ? left : right;
  const loser = winner === left ? right : left;
  // A deletion against an edit: whichever happened later stands.
  if (isTombstone(left) || isTombstone(right)) return JSON.stringify(winner);
  const b = base && !isTombstone(base) ? base : {};
  const out: Obj = {};
  const decide = (fields: string[]) => {
    const pick = (o: Obj) => fields.map((f) => o[f]);
    const lv = pick(left), rv = pick(right), bv = pick(b);
    let chosen: unknown[];
    if (same(lv, rv)) chosen = lv;
    else if (same(lv, bv)) chosen = rv;
    else if (same(rv, bv)) chosen = lv;
    else chosen = pick(winner);
    fields.forEach((f, i) => (out[f] = chosen[i]));
  };
  const order = [...ISSUE_FIELDS, "labels", "dependencies", "comments"];
  const extras = [...Object.keys(winner), ...Object.keys(loser)].filter((k) => !order.includes(k));
  for (const key of new Set([...order, ...extras])) {
    if (key in out) continue;
    if (!(key in left) && !(key in right)) continue;
    // The merge is a change of its own, newer than both sides, so that each clone's import
    // (newer updated_at wins) takes it.
    if (key === "updated_at") out[key] = new Date(Math.max(changedAt(left), changedAt(right)) + 1).toISOString();
    else if (STATUS_GROUP.includes(key)) decide(STATUS_GROUP);
    else if (key in SET_FIELDS) out[key] = mergeSet(key, b[key], left[key], right[key], winner === left);
    else decide([key]);
  }
  // In export's key order (a status group is decided at once), so that a merged line is the line
  // bd itself writes for that issue: the import after a plain git pull then rewrites nothing.
  const ordered: Obj = {};
  for (const k of new Set([...order, ...extras])) {
    const v = out[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0 && k in SET_FIELDS)) continue;
    ordered[k] = v;
  }
  return JSON.stringify(ordered);
}

/** Three-way merge of a set-valued field (labels, dependencies, comments), sorted by identity. */
function mergeSet(field: string, base: unknown, left: unknown, right: unknown, leftWins: boolean): unknown[] {
  const id = SET_FIELDS[field];
  const index = (v: unknown) => new Map((Array.isArray(v) ? v : []).map((x) => [id(x), x]));
  const b = index(base), l = index(left), r = index(right);
  const out: [string, unknown][] = [];
  for (const k of new Set([...l.keys(), ...r.keys()])) {
    const inL = l.has(k), inR = r.has(k);
    if (inL && inR) out.push([k, leftWins ? l.get(k) : r.get(k)]);
    else if (!b.has(k)) out.push([k, inL ? l.get(k) : r.get(k)]); // added on one side
    // else: in the base and removed on one side: it goes
  }
  out.sort((x, y) => compareIds(x[0], y[0]));
  return out.map(([, v]) => v);
}

// ---------------------------------------------------------------- conflict markers

/**
 * Splits a file with git conflict markers into the three versions it stands for: lines outside
 * conflicts belong to all three; inside, `<<<<<<<`..`|||||||`/`=======` is ours, the optional
 * `|||||||` (diff3) section the base, and `=======`..`>>>>>>>` theirs. Without a base section,
 * the base holds only the common lines, so both sides' differing lines count as changes.
 */
export function splitConflictMarkers(text: string): { ours: string; base: string; theirs: string; conflicts: number } {
  const ours: string[] = [], base: string[] = [], theirs: string[] = [];
  let state: "common" | "ours" | "base" | "theirs" = "common";
  let conflicts = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = isMarkerLine(line) ? line.slice(0, 7) : "";
    const bad = () => {
      throw new BdError(
        "VALIDATION",
        `line ${i + 1}: unexpected conflict marker ${marker} (the markers are unbalanced)`,
      );
    };
    if (marker === "<<<<<<<") {
      if (state !== "common") bad();
      state = "ours";
      conflicts++;
    } else if (marker === "|||||||") {
      if (state !== "ours") bad();
      state = "base";
    } else if (marker === "=======") {
      if (state !== "ours" && state !== "base") bad();
      state = "theirs";
    } else if (marker === ">>>>>>>") {
      if (state !== "theirs") bad();
      state = "common";
    } else if (state === "common") {
      ours.push(line), base.push(line), theirs.push(line);
    } else if (state === "ours") ours.push(line);
    else if (state === "base") base.push(line);
    else theirs.push(line);
  }
  if (state !== "common") {
    throw new BdError("VALIDATION", "the file ends inside a conflict (no closing >>>>>>> marker)");
  }
  return { ours: ours.join("\n"), base: base.join("\n"), theirs: theirs.join("\n"), conflicts };
}

/** Resolves a file with conflict markers by the merge rule; returns the clean text. */
export function resolveConflictText(text: string): MergeResult & { conflicts: number } {
  const { ours, base, theirs, conflicts } = splitConflictMarkers(text);
  return { ...mergeJsonl(base, ours, theirs), conflicts };
}
