/**
 * Importing JSONL (contract §8): a foreign file (`bd import`), or the workspace's own file after it
 * changed under bd (git pull, merge, checkout), found by autoImport at the start of a command.
 */
import { readFileSync } from "node:fs";
import {
  CONFIG_PREFIX,
  configSortKey,
  type DuplicateLines,
  type ImportRecord,
  lineId,
  MEMORY_PREFIX,
  memorySortKey,
  oneRecordPerIssue,
  otherSortKey,
  parseJsonl,
  parseLine,
  RECORD_PREFIX,
  type RejectedLine,
  tryParseLine,
} from "./jsonl.ts";
import { applyIssueSets, type SetRule } from "./import_sets.ts";
import { baseLines, setBaseLines } from "../../store/jsonl_base.ts";
import { differentIssues, type ImportMoves, planImportMoves } from "./id_collisions.ts";
import { moveIssues } from "../../store/issue_move.ts";
import * as issuesRepo from "../../store/issues.ts";
import * as rel from "../../store/relations.ts";
import * as meta from "../../store/meta.ts";
import { withoutGraphTriggers, withoutSecondaryIndexes } from "../../store/triggers.ts";
import { BdError } from "../../model/errors.ts";
import { toMillis } from "../../model/time.ts";
import { ISSUE_FIELDS } from "../../model/types.ts";
import { applySharedSetting } from "../workspace_config.ts";
import {
  type Ctx,
  describeRejected,
  fileState,
  hashText,
  type ImportSummary,
  keepRejectedLines,
  recordBase,
  recordJsonlState,
  rejectedLines,
  workspaceText,
  writeFileAtomic,
} from "./jsonl_io.ts";
import { clearPatchMarker, patchInterrupted } from "./jsonl_patch.ts";
import { firstMarkerLine } from "./conflict_markers.ts";

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
