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
  CONFIG_PREFIX,
  configLine,
  configSortKey,
  type DuplicateLines,
  issueRecord,
  lineId,
  MEMORY_PREFIX,
  memoryLine,
  memorySortKey,
  OTHER_PREFIX,
  otherSortKey,
  type RejectedLine,
  SHARED_CONFIG_KEYS,
} from "./jsonl.ts";
import { waitSync } from "./wait.ts";
import { replaceBaseLines, setBaseLines } from "../../store/jsonl_base.ts";
import { clearPatchMarker, patchInterrupted, patchSortedFile } from "./jsonl_patch.ts";
import * as issuesRepo from "../../store/issues.ts";
import * as rel from "../../store/relations.ts";
import * as meta from "../../store/meta.ts";
import { BdError } from "../../model/errors.ts";
import { sha256Hex } from "../../model/digest.ts";
import type { Issue, IssueFilter } from "../../model/types.ts";

/** What this module uses of the workspace (core/context.ts). */
export type Ctx = Pick<BeadsContext, "db" | "importProblem" | "mutate" | "paths">;

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
export function fileState(path: string): FileState | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtime: Math.trunc(s.mtimeMs) };
  } catch {
    return undefined;
  }
}

export function hashText(text: string): string {
  return sha256Hex(text);
}

/**
 * Records what the JSONL looks like now, so the next start knows it needs no import. The stat is
 * what is compared first; the content hash is recorded only when the text was read anyway (an
 * import): hashing the whole file on every flush cost ~140 ms at 100k issues. Other bd processes
 * see the new stat in the same transaction as the write, so only outside edits mismatch.
 */
export function recordJsonlState(beads: Ctx, text?: string): void {
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
  if (sortKey.startsWith(MEMORY_PREFIX)) {
    const key = sortKey.slice(MEMORY_PREFIX.length);
    const value = meta.getMemory(beads.db, key);
    return value === undefined ? undefined : memoryLine(key, value);
  }
  if (sortKey.startsWith(OTHER_PREFIX)) {
    const line = sortKey.slice(OTHER_PREFIX.length);
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

/** Records a whole file just written as the import base (records of unknown kinds need none). */
export function recordBase(beads: Ctx, text: string): void {
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

// ---------------------------------------------------------------- import (jsonl_import.ts)

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

/** `line N: reason`, for messages. */
export function describeRejected(r: RejectedLine): string {
  return `line ${r.line}: ${r.reason}`;
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

export function keepRejectedLines(beads: Ctx, lines: KeptLine[]): void {
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
