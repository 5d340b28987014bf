/**
 * JSONL export/import, auto-flush and auto-import (contract §8). The JSONL is what a team
 * commits; the database is a cache of it plus local changes not yet flushed.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import type { BeadsContext } from "../context.ts";
import {
  compareIds,
  configLine,
  configSortKey,
  type DuplicateLines,
  type ImportRecord,
  issueRecord,
  lineId,
  memoryLine,
  memorySortKey,
  oneRecordPerIssue,
  otherSortKey,
  parseJsonl,
  parseLine,
  type RejectedLine,
  SHARED_CONFIG_KEYS,
  tryParseLine,
} from "./jsonl.ts";
import { applyIssueSets, type SetRule } from "./import_sets.ts";
import { waitSync } from "./wait.ts";
import { baseLines, replaceBaseLines, setBaseLines } from "../../store/jsonl_base.ts";
import { firstMarkerLine } from "./conflict_markers.ts";
import { differentIssues, type ImportMoves, planImportMoves } from "./id_collisions.ts";
import { moveIssues } from "../../store/issue_move.ts";
import { clearPatchMarker, patchInterrupted, patchSortedFile } from "./jsonl_patch.ts";
import * as issuesRepo from "../../store/issues.ts";
import * as rel from "../../store/relations.ts";
import * as meta from "../../store/meta.ts";
import { withoutGraphTriggers, withoutSecondaryIndexes } from "../../store/schema.ts";
import { BdError } from "../../model/errors.ts";
import { toMillis } from "../../model/time.ts";
import { sha256Hex } from "../../model/digest.ts";
import { type Issue, ISSUE_FIELDS, type IssueFilter } from "../../model/types.ts";
import { applySharedSetting } from "../workspace_config.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "db" | "importProblem" | "mutate" | "paths">;

// ---------------------------------------------------------------- encoding

/** Returns the JSONL lines (without newlines) of these issues, in ID order. */
function issueLines(beads: Ctx, issues: Issue[]): Map<string, string> {
  const ids = issues.map((i) => i.id);
  const labels = rel.labelsOf(beads.db, ids);
  const deps = rel.dependenciesOf(beads.db, ids);
  const comments = rel.commentsOf(beads.db, ids);
  const out = new Map<string, string>();
  for (const issue of issues) {
    out.set(
      issue.id,
      JSON.stringify(issueRecord(issue, labels.get(issue.id), deps.get(issue.id), comments.get(issue.id))),
    );
  }
  return out;
}

/** Returns the whole JSONL text for the workspace (live issues and tombstones), sorted by ID. */
export function exportText(beads: Ctx, filter?: IssueFilter): string {
  let issues = issuesRepo.allIssues(beads.db);
  if (filter?.status?.length) issues = issues.filter((i) => filter.status!.includes(i.status));
  const lines = issueLines(beads, issues);
  if (!filter?.status?.length || filter.status.includes("tombstone")) {
    for (const t of meta.tombstones(beads.db)) if (!lines.has(t.id)) lines.set(t.id, t.data);
  }
  if (!filter?.status?.length) {
    // After the issues: memories by key, then records of kinds bd does not know (see lineId).
    for (const m of meta.allMemories(beads.db)) lines.set(memorySortKey(m.key), memoryLine(m.key, m.value));
    for (const line of meta.otherRecords(beads.db)) lines.set(otherSortKey(line), line);
    // Last, the settings that travel with the issues (SHARED_CONFIG_KEYS).
    for (const key of SHARED_CONFIG_KEYS) {
      const value = meta.getKey(beads.db, "config", key);
      if (value !== undefined) lines.set(configSortKey(key), configLine(key, value));
    }
  }
  const ids = [...lines.keys()].sort(compareIds);
  return ids.map((id) => lines.get(id)!).join("\n") + (ids.length ? "\n" : "");
}

// ---------------------------------------------------------------- files

/** Writes a file atomically: a temp file in the same directory, fsync, rename. */
export function writeFileAtomic(path: string, text: string | Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    // The path the user gave cannot hold a file (no such directory, no permission, a name too
    // long): their input, not a bug in bd.
    const code = (e as { code?: string }).code ?? "";
    const reason = {
      ENOENT: "no such directory",
      EACCES: "permission denied",
      EPERM: "permission denied",
      ENAMETOOLONG: "the file name is too long",
      ENOTDIR: "a part of the path is not a directory",
    }[code] ??
      (e instanceof Error ? e.message : String(e));
    throw new BdError("VALIDATION", `cannot write ${path}: ${reason}`);
  }
  try {
    for (const bytes of typeof text === "string" ? [new TextEncoder().encode(text)] : text) {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch { /* nothing to clean */ }
    throw new BdError("INTERNAL", `cannot write ${path}: ${e instanceof Error ? e.message : e}`);
  }
  closeSync(fd);
  renameOver(tmp, path);
}

/**
 * Renames `from` over `to`. On Windows a rename over a file that another program holds open
 * without delete sharing (an editor, git, a virus scanner) fails for a moment with EPERM, EACCES or
 * EBUSY: that is retried for up to two seconds before it is an error (the temp file is removed).
 */
export function renameOver(from: string, to: string): void {
  for (let wait = 10;; wait *= 2) {
    try {
      return renameSync(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!["EPERM", "EACCES", "EBUSY"].includes(code ?? "") || wait > 1280) {
        try {
          unlinkSync(from);
        } catch { /* already gone */ }
        throw new BdError("INTERNAL", `cannot replace ${to}: ${(e as Error).message}`);
      }
      waitSync(wait);
    }
  }
}

/**
 * Removes temp files that a writer killed mid-flush left behind. Called while holding the
 * database write lock, so no live bd process is writing one.
 */
function removeStaleTempFiles(path: string): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  try {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith(".tmp")) unlinkSync(join(dir, name));
    }
  } catch { /* best effort: a leftover temp file harms nothing */ }
}

interface FileState {
  size: number;
  mtime: number;
}

/**
 * The file's size and mtime in whole milliseconds: runtimes disagree below that (Bun and Node
 * report fractions, Deno truncates), and a workspace used by both the binary and `deno run` must
 * not look changed to one because the other recorded it.
 */
function fileState(path: string): FileState | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtime: Math.trunc(s.mtimeMs) };
  } catch {
    return undefined;
  }
}

function hashText(text: string): string {
  return sha256Hex(text);
}

/**
 * Records what the JSONL looks like now, so the next start knows it needs no import. The stat is
 * what is compared first; the content hash is recorded only when the text was read anyway (an
 * import): hashing the whole file on every flush cost ~140 ms at 100k issues. Other bd processes
 * see the new stat in the same transaction as the write, so only outside edits mismatch.
 */
function recordJsonlState(beads: Ctx, text?: string): void {
  const st = fileState(beads.paths.jsonlPath);
  meta.setKey(beads.db, "metadata", "jsonl_hash", text === undefined ? "" : hashText(text));
  meta.setKey(beads.db, "metadata", "jsonl_stat", st ? `${st.size}:${st.mtime}` : "");
}

// ---------------------------------------------------------------- flush

/** The line of a dirty memory, shared setting or kept record (by its sort key), or undefined if it is gone. */
function recordLine(beads: Ctx, sortKey: string): string | undefined {
  if (sortKey.startsWith(CONFIG_PREFIX)) {
    const key = sortKey.slice(CONFIG_PREFIX.length);
    const value = meta.getKey(beads.db, "config", key);
    return value === undefined ? undefined : configLine(key, value);
  }
  if (sortKey.startsWith(memorySortKey(""))) {
    const key = sortKey.slice(memorySortKey("").length);
    const value = meta.getMemory(beads.db, key);
    return value === undefined ? undefined : memoryLine(key, value);
  }
  if (sortKey.startsWith(otherSortKey(""))) {
    const line = sortKey.slice(otherSortKey("").length);
    return meta.hasOtherRecord(beads.db, line) ? line : undefined;
  }
  return undefined;
}

/**
 * Brings `issues.jsonl` up to date with the database (true when it wrote the file). Holds the write lock while it writes, so
 * concurrent bd processes flush one after another and the file is always a complete snapshot.
 * Only the lines of changed issues are re-serialised; the rest are spliced in as they were.
 */
export function flushJsonl(beads: Ctx, opts: { full?: boolean } = {}): boolean {
  // The file holds changes the database does not have (its import failed): writing would lose them.
  if (beads.importProblem) throw beads.importProblem;
  return beads.db.write(() => {
    const path = beads.paths.jsonlPath;
    const dirty = meta.dirtyIds(beads.db);
    const st = fileState(path);
    const recorded = meta.getKey(beads.db, "metadata", "jsonl_stat");
    const unchangedFile = st !== undefined && recorded === `${st.size}:${st.mtime}`;
    if (!opts.full && dirty.length === 0 && unchangedFile) return false;
    removeStaleTempFiles(path);
    // A patch that a killed writer left half done: the file is not trusted, rewrite it whole.
    const torn = patchInterrupted(path);
    if (opts.full || !unchangedFile || torn) {
      replaceJsonl(beads, workspaceText(beads));
      return true;
    }
    const changed = new Map<string, string | null>();
    const fresh = issueLines(beads, issuesRepo.getIssues(beads.db, dirty));
    const dead = new Map(meta.tombstones(beads.db, dirty).map((t) => [t.id, t.data]));
    for (const id of dirty) changed.set(id, fresh.get(id) ?? dead.get(id) ?? recordLine(beads, id) ?? null);
    patchSortedFile(path, changed);
    forgetReplacedLines(beads, changed.keys());
    setBaseLines(beads.db, [...changed].filter(([key]) => !key.startsWith(OTHER_PREFIX)));
    recordJsonlState(beads);
    meta.clearDirty(beads.db);
    return true;
  });
}

/**
 * Replaces the workspace JSONL with `text`, an exportText(beads) the caller took inside the write
 * transaction this runs in (so no other writer's change can fall between the two), and clears the
 * dirty set: for callers that need the export themselves first and must not build it twice.
 */
export function replaceJsonl(beads: Ctx, text: string): void {
  if (!beads.db.inTransaction) throw new Error("replaceJsonl must run inside the write that built the text");
  if (beads.importProblem) throw beads.importProblem;
  const path = beads.paths.jsonlPath;
  writeFileAtomic(path, text);
  clearPatchMarker(path);
  recordBase(beads, text);
  recordJsonlState(beads);
  meta.clearDirty(beads.db);
}

const OTHER_PREFIX = otherSortKey("");

/** Records a whole file just written as the import base (records of unknown kinds need none). */
function recordBase(beads: Ctx, text: string): void {
  const lines: [string, string][] = [];
  // A rejected line is no base: the next import must see it, and report it, again. One the
  // written text no longer holds (the database's line replaced it) is forgotten.
  const kept = rejectedLines(beads);
  const rejected = new Set(kept.map((k) => k.text));
  const written = new Set(text.split("\n"));
  if (kept.some((k) => !written.has(k.text))) keepRejectedLines(beads, kept.filter((k) => written.has(k.text)));
  for (const line of text.split("\n")) {
    const key = line ? lineId(line) : undefined;
    if (key !== undefined && !key.startsWith(OTHER_PREFIX) && !rejected.has(line)) lines.push([key, line]);
  }
  replaceBaseLines(beads.db, lines);
}

/** The number of lines in JSONL text (each ends with a newline), without splitting it. */
export function countLines(text: string): number {
  let n = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) n++;
  return n;
}

// ---------------------------------------------------------------- import

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  skipped: number;
  /** Memory records stored or changed. */
  memories: number;
  /** Shared settings (status.custom, types.custom) set, changed or unset. */
  settings: number;
  /** Records of kinds bd does not know, kept verbatim for export. */
  other_records: number;
  dry_run: boolean;
  /** What the user should know (e.g. records kept that bd does not understand). */
  notes?: string[];
  /** Issues moved to a new ID because two different issues came under one ID. */
  moved?: { from: string; to: string; which: "local" | "incoming"; note: string }[];
  /** Lines kept out of the database because no command could use them, with why. */
  rejected?: RejectedLine[];
  /** Issues with several lines in the file, and the line the import rule kept. */
  duplicates?: DuplicateLines[];
  /** What an automatic import has to tell the user once (lines it newly kept out). */
  warnings?: string[];
}

class DryRunRollback extends Error {}

/** From this many records on, an import runs as a bulk load (see importRecords). */
const BULK_IMPORT = 5000;

/**
 * The workspace's own file, changed under bd (git pull, merge, checkout, sync): its lines that
 * differ from the base are the ones imported; see importWorkspaceText.
 */
interface WorkspaceFile {
  /** Each record's line as bd last flushed or imported it, by sort key. */
  base: Map<string, string>;
  /**
   * The sort keys of the memories and shared settings in the file: one in the base and not here
   * was forgotten (unset) on another clone.
   */
  keyedRecords: Set<string>;
  /** Lines equal to their base, passed over without parsing. */
  unchanged: number;
}

export interface ImportOptions {
  skipExisting?: boolean;
  dryRun?: boolean;
  markDirty?: boolean;
  /** A foreign file's labels, dependencies and comments replace the database's (default: union). */
  replace?: boolean;
  workspace?: WorkspaceFile;
}

const MEMORY_PREFIX = memorySortKey("");
const CONFIG_PREFIX = configSortKey("");
/** The start of every sort key that is not an issue's (memories, settings, other records). */
const RECORD_PREFIX = "\uffff";

/**
 * Imports records in one transaction: upsert by ID with last-writer-wins on `updated_at`;
 * tombstones delete. Labels, dependencies and comments of an existing issue: see SetRule — the
 * workspace's own file is the truth for them (local changes never flushed are merged three-way
 * against the base), a foreign file adds to them, or replaces them with `replace`.
 */
export function importRecords(
  beads: Ctx,
  incoming: ImportRecord[],
  opts: ImportOptions = {},
): ImportSummary {
  const summary: ImportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    skipped: 0,
    memories: 0,
    settings: 0,
    other_records: 0,
    dry_run: !!opts.dryRun,
  };
  let records = incoming;
  const otherKinds = new Set<string>();
  // A large import asks "is it here? was it deleted?" of two sets read once, instead of two
  // lookups per record, and loads without the graph triggers (the blocked set is then rebuilt).
  const bulk = records.length >= BULK_IMPORT;
  const ws = opts.workspace;
  summary.unchanged = ws?.unchanged ?? 0;
  const run = () => {
    const dirty = ws ? new Set(meta.dirtyIds(beads.db)) : undefined;
    // The file's lines become the base, under the keys the file has them (before any move below).
    const newBase: [string, string | null][] = ws ? records.flatMap(baseEntry) : [];
    const setRule = (id: string): SetRule =>
      opts.replace ? "file" : dirty ? (dirty.has(id) ? "three-way" : "file") : "union";
    const identities = bulk ? issuesRepo.issueIdentities(beads.db) : undefined;
    const known = identities ? new Set(identities.keys()) : undefined;
    const buried = bulk ? new Set(meta.tombstones(beads.db).map((t) => t.id)) : undefined;
    const touched: string[] = [];
    // Two different issues under one ID (minted on two clones) stay two issues.
    const moves = planImportMoves(
      records.flatMap((r) => (r.kind === "issue" ? [r.issue] : [])),
      (id) => (identities ? identities.get(id) : issuesRepo.issueIdentity(beads.db, id)),
      (stem) => issuesRepo.idsStartingWith(beads.db, stem),
      (issue) => issuesRepo.idsWithIdentity(beads.db, issue.created_at, issue.title),
      () => known ?? issuesRepo.allIssueIds(beads.db),
    );
    const moved = describeMoves(moves);
    summary.moved = moved.length ? moved : undefined;
    moveIssues(beads.db, moves.local);
    for (const [from, to] of moves.local) {
      known?.delete(from), known?.add(to);
      touched.push(from, to);
    }
    if (moves.incoming.size) records = placeIncoming(records, moves.incoming, touched);
    for (const r of records) {
      if (r.kind === "memory") {
        // A value set here and not flushed yet wins over the file's; it is flushed next.
        if (dirty?.has(memorySortKey(r.key))) continue;
        // bd skips empty values too: a memory is text.
        if (r.value !== "" && meta.setMemory(beads.db, r.key, r.value)) {
          summary.memories++;
          touched.push(memorySortKey(r.key));
        }
        continue;
      }
      if (r.kind === "config") {
        // As for memories: a value set here and not flushed yet wins, and is flushed next.
        if (dirty?.has(configSortKey(r.key))) continue;
        if (applySharedSetting(beads, r.key, r.value)) {
          summary.settings++;
          touched.push(configSortKey(r.key));
        }
        continue;
      }
      if (r.kind === "other") {
        otherKinds.add(r.type);
        if (meta.keepOtherRecord(beads.db, r.line, r.type)) {
          summary.other_records++;
          touched.push(otherSortKey(r.line));
        }
        continue;
      }
      if (r.kind === "tombstone") {
        const existing = issuesRepo.getIssue(beads.db, r.id);
        if (existing && differentIssues(existing, lineCreated(r.line))) {
          // The deletion of another issue that had this ID elsewhere: not this one's.
          summary.unchanged++;
          touched.push(r.id); // the file's line at this ID is replaced by the live issue's
          continue;
        }
        if (existing) {
          if (toMillis(existing.updated_at) > toMillis(r.deleted_at)) {
            summary.unchanged++; // edited here after the other side deleted it: keep it
            continue;
          }
          const affected = rel.deleteEdgesTo(beads.db, r.id);
          issuesRepo.deleteIssueRow(beads.db, r.id);
          known?.delete(r.id);
          touched.push(...affected);
          summary.deleted++;
        } else if (meta.tombstones(beads.db, [r.id]).length) {
          summary.unchanged++;
          continue;
        } else summary.unchanged++;
        meta.upsertTombstone(beads.db, {
          id: r.id,
          deleted_at: r.deleted_at,
          deleted_by: r.deleted_by,
          delete_reason: r.delete_reason,
          data: r.line,
        });
        buried?.add(r.id);
        touched.push(r.id);
        continue;
      }
      const { issue } = r;
      let tomb = buried && !buried.has(issue.id) ? undefined : meta.tombstones(beads.db, [issue.id])[0];
      if (tomb && differentIssues(issue, lineCreated(tomb.data))) {
        // A tombstone of a different issue that had this ID: it does not bury this one.
        meta.deleteTombstone(beads.db, issue.id);
        buried?.delete(issue.id);
        tomb = undefined;
      }
      if (tomb) {
        if (toMillis(issue.updated_at) <= toMillis(tomb.deleted_at)) {
          summary.unchanged++;
          continue;
        }
        meta.deleteTombstone(beads.db, issue.id); // recreated after the delete: it lives again
        buried?.delete(issue.id);
      }
      const existing = known && !known.has(issue.id) ? undefined : issuesRepo.getIssue(beads.db, issue.id);
      if (existing && opts.skipExisting) {
        summary.skipped++;
        continue;
      }
      let changed = false;
      if (!existing) {
        issuesRepo.insertIssue(beads.db, issue, r.extra);
        known?.add(issue.id);
        summary.created++;
        changed = true;
        for (const label of r.labels) rel.insertLabel(beads.db, issue.id, label);
        // Edges are identified by (issue, target, type): parallel edges of different types all stay.
        for (const { dep, extra } of r.dependencies) rel.insertDependency(beads.db, dep, extra);
        for (const c of r.comments) rel.insertComment(beads.db, { issue_id: issue.id, ...c });
      } else {
        if (toMillis(issue.updated_at) > toMillis(existing.updated_at)) {
          const cols: Record<string, unknown> = {};
          for (const k of ISSUE_FIELDS) cols[k] = issue[k] ?? null;
          issuesRepo.updateIssueColumns(beads.db, issue.id, cols);
          issuesRepo.setIssueExtra(beads.db, issue.id, r.extra);
          changed = true;
        }
        const rule = setRule(issue.id);
        if (applyIssueSets(beads.db, r, rule, rule === "three-way" ? baseRecord(ws!, issue.id) : undefined)) {
          changed = true;
        }
      }
      if (existing) {
        if (changed) summary.updated++;
        else summary.unchanged++;
      }
      if (changed) touched.push(issue.id);
    }
    if (ws) {
      // A memory the base had and the file lost was forgotten on another clone, unless it changed here since.
      // So is a shared setting (config unset there).
      for (const key of ws.base.keys()) {
        if (ws.keyedRecords.has(key) || dirty!.has(key)) continue;
        if (key.startsWith(MEMORY_PREFIX)) {
          if (meta.deleteMemory(beads.db, key.slice(MEMORY_PREFIX.length))) summary.memories++;
        } else if (key.startsWith(CONFIG_PREFIX)) {
          if (applySharedSetting(beads, key.slice(CONFIG_PREFIX.length), undefined)) summary.settings++;
        } else continue;
        newBase.push([key, null]);
      }
      setBaseLines(beads.db, newBase);
    }
    if (opts.markDirty !== false) meta.markDirty(beads.db, [...new Set(touched)], new Date().toISOString());
    if (opts.dryRun) throw new DryRunRollback();
  };
  try {
    beads.mutate(() => {
      if (!bulk) return run();
      // Into an empty database (a fresh clone's first import): indexes built once at the end.
      const empty = !issuesRepo.anyIssue(beads.db);
      return withoutGraphTriggers(beads.db, () => (empty ? withoutSecondaryIndexes(beads.db, run) : run()));
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  const notes = summary.moved?.map((m) => m.note) ?? [];
  if (otherKinds.size) {
    notes.push(
      `kept records of kinds bd does not know (${
        [...otherKinds].sort().join(", ")
      }) as they are; they are written back on export`,
    );
  }
  if (notes.length) summary.notes = notes;
  return summary;
}

/** A record's base entry: its sort key in the file and its line as the file has it. */
function baseEntry(r: ImportRecord): [string, string][] {
  if (r.kind === "issue") return [[r.issue.id, r.raw]];
  if (r.kind === "tombstone") return [[r.id, r.raw]];
  if (r.kind === "memory") return [[memorySortKey(r.key), r.raw]];
  if (r.kind === "config") return [[configSortKey(r.key), r.raw]];
  return [];
}

/** The issue as bd last flushed or imported it, for a three-way merge (undefined: none). */
function baseRecord(ws: WorkspaceFile, id: string): Extract<ImportRecord, { kind: "issue" }> | undefined {
  const line = ws.base.get(id);
  if (line === undefined) return undefined;
  try {
    const r = parseLine(line, 0);
    return r.kind === "issue" ? r : undefined;
  } catch {
    return undefined; // a base line bd cannot read (written by a foreign tool): no base
  }
}

/** The creation time a stored JSONL line (a tombstone's) names, for telling issues apart. */
function lineCreated(line: string | undefined): { created_at?: unknown } {
  try {
    return line ? JSON.parse(line) : {};
  } catch {
    return {};
  }
}

/** The moves an import made, for its report. */
function describeMoves(moves: ImportMoves): NonNullable<ImportSummary["moved"]> {
  return [
    ...[...moves.local].map(([from, to]) => ({
      from,
      to,
      which: "local" as const,
      note:
        `moved local issue ${from} to ${to}: the file holds a different issue (created elsewhere) at ${from} and this one at ${to}`,
    })),
    ...[...moves.incoming].map(([from, to]) => ({
      from,
      to,
      which: "incoming" as const,
      note:
        `imported ${from} as ${to}: a different local issue (created at another time) already holds ${from}; both are kept`,
    })),
  ];
}

/** Returns the records with incoming issues moved to their new IDs, references included. */
function placeIncoming(records: ImportRecord[], moved: Map<string, string>, touched: string[]): ImportRecord[] {
  const to = (id: string) => moved.get(id) ?? id;
  return records.map((r) => {
    if (r.kind !== "issue") return r;
    const id = to(r.issue.id);
    const refers = r.dependencies.some((d) => moved.has(d.dep.depends_on_id));
    if (id === r.issue.id && !refers) return r;
    if (id !== r.issue.id) touched.push(r.issue.id); // the local issue's line replaces the file's
    return {
      ...r,
      issue: { ...r.issue, id },
      dependencies: r.dependencies.map(({ dep, extra }) => ({
        dep: { ...dep, issue_id: id, depends_on_id: to(dep.depends_on_id) },
        extra,
      })),
    };
  });
}

/**
 * Imports a foreign JSONL text (see importRecords). A line no command could use is kept out and
 * reported with its number and reason, and the good lines still go in; with `strict`, any such
 * line refuses the whole file instead.
 */
export function importText(
  beads: Ctx,
  text: string,
  opts: { skipExisting?: boolean; dryRun?: boolean; replace?: boolean; strict?: boolean } = {},
): ImportSummary {
  const parsed = parseJsonl(text);
  if (opts.strict && parsed.rejected.length) {
    throw new BdError(
      "VALIDATION",
      `${parsed.rejected.length} line(s) cannot be imported, so nothing was (--strict): ${
        parsed.rejected.slice(0, 5).map(describeRejected).join("; ")
      }${parsed.rejected.length > 5 ? "; ..." : ""}`,
    );
  }
  return withLineReport(importRecords(beads, parsed.records, opts), parsed.rejected, parsed.duplicates);
}

/** `line N: reason`, for messages. */
export function describeRejected(r: RejectedLine): string {
  return `line ${r.line}: ${r.reason}`;
}

/** Adds the rejected and duplicated lines to an import's report (fields and notes). */
function withLineReport(summary: ImportSummary, rejected: RejectedLine[], duplicates: DuplicateLines[]): ImportSummary {
  const notes = summary.notes ?? [];
  if (rejected.length) {
    summary.rejected = rejected;
    for (const r of rejected) notes.push(`not imported: ${describeRejected(r)}`);
  }
  if (duplicates.length) {
    summary.duplicates = duplicates;
    for (const d of duplicates) {
      notes.push(
        `${d.id} has ${d.lines.length} lines (${d.lines.join(", ")}); line ${d.kept} stands (the latest updated_at)`,
      );
    }
  }
  if (notes.length) summary.notes = notes;
  return summary;
}

/**
 * Imports the workspace's own `issues.jsonl` after it changed under bd (contract §8, "removals
 * travel"): a line equal to what bd last flushed or imported is passed over unparsed; a line that
 * differs carries the other clones' changes merged with this clone's flushed ones, so its labels,
 * dependencies and comments are the truth, and a memory gone from the file was forgotten. An
 * issue with local changes never flushed is merged three-way against the base instead.
 */
export function importWorkspaceText(
  beads: Ctx,
  text: string,
  opts: { skipExisting?: boolean; dryRun?: boolean } = {},
): ImportSummary {
  return beads.db.write(() => {
    const base = baseLines(beads.db);
    const keyedRecords = new Set<string>();
    let unchanged = 0;
    const lines = text.split("\n");
    const keys: (string | undefined)[] = lines.map((l) => (l.trim() ? lineId(l.trim()) : undefined));
    const issueLineCount = new Map<string, number>();
    for (const key of keys) {
      if (key !== undefined && !key.startsWith(RECORD_PREFIX)) {
        issueLineCount.set(key, (issueLineCount.get(key) ?? 0) + 1);
      }
    }
    const parsed: { record: ImportRecord; line: number }[] = [];
    const rejected: RejectedLine[] = [];
    const inFile = new Set<string>();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      const key = keys[i];
      if (key !== undefined) inFile.add(key);
      if (key?.startsWith(MEMORY_PREFIX) || key?.startsWith(CONFIG_PREFIX)) keyedRecords.add(key);
      // A line equal to its base is passed over, unless another line names the same issue.
      if (key !== undefined && base.get(key) === line && (issueLineCount.get(key) ?? 0) < 2) {
        unchanged++;
        continue;
      }
      const r = tryParseLine(line, i + 1);
      if ("reason" in r) rejected.push(r);
      else parsed.push({ record: r, line: i + 1 });
    }
    const { records, duplicates } = oneRecordPerIssue(parsed);
    const summary = importRecords(beads, records, { ...opts, workspace: { base, keyedRecords, unchanged } });
    if (!opts.dryRun) {
      mendShortFile(beads, inFile, summary);
      keepRejectedLines(beads, rejected.map((r) => ({ ...r, text: lines[r.line - 1].trim() })));
    }
    return withLineReport(summary, rejected, duplicates);
  });
}

/** A rejected line of the workspace file, with its text (written back whenever bd rewrites the file). */
interface KeptLine extends RejectedLine {
  text: string;
}

const REJECTED_KEY = "jsonl_rejected";

/** The workspace file's lines that the last import kept out of the database. */
export function rejectedLines(beads: Pick<Ctx, "db">): KeptLine[] {
  const stored = meta.getKey(beads.db, "metadata", REJECTED_KEY);
  return stored ? JSON.parse(stored) as KeptLine[] : [];
}

function keepRejectedLines(beads: Ctx, lines: KeptLine[]): void {
  if (lines.length || meta.getKey(beads.db, "metadata", REJECTED_KEY) !== undefined) {
    meta.setKey(beads.db, "metadata", REJECTED_KEY, JSON.stringify(lines));
  }
}

/** Forgets rejected lines that a write just replaced with the database's line of the same issue. */
function forgetReplacedLines(beads: Ctx, written: Iterable<string>): void {
  const kept = rejectedLines(beads);
  if (kept.length === 0) return;
  const gone = new Set(written);
  const left = kept.filter((k) => k.id === undefined || !gone.has(k.id));
  if (left.length !== kept.length) keepRejectedLines(beads, left);
}

/**
 * The workspace file's text: the export, plus the lines bd kept out of the database (they stay
 * in the file, as they were, until a person mends them; an issue the database also has is
 * written from the database).
 */
export function workspaceText(beads: Ctx): string {
  const text = exportText(beads);
  const kept = rejectedLines(beads);
  if (kept.length === 0) return text;
  const lines = new Map<string, string>();
  for (const line of text.split("\n")) if (line) lines.set(lineId(line) ?? otherSortKey(line), line);
  for (const k of kept) {
    const key = k.id ?? otherSortKey(k.text);
    if (!lines.has(key)) lines.set(key, k.text);
  }
  const keys = [...lines.keys()].sort(compareIds);
  return keys.map((key) => lines.get(key)!).join("\n") + "\n";
}

/**
 * A file that lacks issues the database has, with no tombstone to say they were deleted (whole
 * lines lost in a bad merge), is made whole again: those issues are marked for the next flush,
 * which writes them back. Removals still travel: a deletion leaves a tombstone line.
 */
function mendShortFile(beads: Ctx, inFile: ReadonlySet<string>, summary: ImportSummary): void {
  const pending = new Set(meta.dirtyIds(beads.db));
  const lost = issuesRepo.allIssueIds(beads.db).filter((id) => !inFile.has(id) && !pending.has(id));
  if (lost.length === 0) return;
  meta.markDirty(beads.db, lost, new Date().toISOString());
  (summary.notes ??= []).push(
    `${beads.paths.jsonlPath} lacks ${lost.length} issue(s) the database has (e.g. ${
      lost.slice(0, 3).join(", ")
    }) and no deletion explains it: the next write puts them back`,
  );
}

/**
 * Imports `issues.jsonl` when it changed since the last flush or import (after a `git pull`).
 * Cheap when nothing changed: one stat, compared with the state recorded at the last flush.
 */
export function autoImport(beads: Ctx): ImportSummary | undefined {
  const path = beads.paths.jsonlPath;
  const st = fileState(path);
  if (!st) return undefined;
  if (meta.getKey(beads.db, "metadata", "jsonl_stat") === `${st.size}:${st.mtime}`) return undefined;
  return beads.db.write(() => {
    const now = fileState(path);
    if (patchInterrupted(path)) {
      // A writer died while patching the file: the database holds the truth, write it out whole.
      const text = workspaceText(beads);
      writeFileAtomic(path, text);
      clearPatchMarker(path);
      recordBase(beads, text);
      recordJsonlState(beads);
      return undefined;
    }
    if (!now || meta.getKey(beads.db, "metadata", "jsonl_stat") === `${now.size}:${now.mtime}`) return undefined;
    const text = readFileSync(path, "utf8");
    let summary: ImportSummary | undefined;
    const marker = firstMarkerLine(text);
    if (marker) {
      throw new BdError(
        "CONFLICT",
        `${path} has git conflict markers (line ${marker}): a merge made outside bd left both versions in the file. Run 'bd resolve-conflicts' (or 'bd sync') to merge them issue by issue; until then bd only reads`,
      );
    }
    if (hashText(text) !== meta.getKey(beads.db, "metadata", "jsonl_hash")) {
      const before = new Set(rejectedLines(beads).map((k) => k.text));
      try {
        summary = importWorkspaceText(beads, text);
        // Said once: when a line is first kept out, not on every command that follows.
        const fresh = rejectedLines(beads).filter((k) => !before.has(k.text));
        const warnings = (summary.duplicates ?? []).map((d) =>
          `${path} has ${d.lines.length} lines of ${d.id} (${
            d.lines.join(", ")
          }); line ${d.kept} stands (the latest updated_at)`
        );
        if (warnings.length) summary.warnings = warnings;
        if (fresh.length) {
          (summary.warnings ??= []).unshift(
            `${fresh.length} line(s) of ${path} kept out of the database, left in the file to be mended (bd doctor lists them): ${
              fresh.slice(0, 3).map(describeRejected).join("; ")
            }${fresh.length > 3 ? "; ..." : ""}`,
          );
        }
      } catch (e) {
        if (e instanceof BdError) {
          throw new BdError(
            e.code,
            `cannot auto-import ${path}: ${e.message} (fix the file, or use --no-auto-import); until then bd only reads`,
          );
        }
        throw e;
      }
    }
    // The file is now reflected in the database; dirty issues (merges) are flushed afterwards.
    recordJsonlState(beads, text);
    return summary;
  });
}

/** Returns true if the workspace's JSONL exists and holds at least one line. */
export function jsonlHasContent(path: string): boolean {
  if (!existsSync(path) || statSync(path).size === 0) return false;
  // Only the start matters: any non-blank byte means content (no need to read 66 MB).
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(4096);
    for (let pos = 0;;) {
      const n = readSync(fd, head, 0, head.length, pos);
      if (n <= 0) return false;
      if (head.subarray(0, n).some((b) => b !== 32 && b !== 10 && b !== 13 && b !== 9)) return true;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}
