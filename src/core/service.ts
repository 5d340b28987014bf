/**
 * The service layer: every bd operation and rule, used by the CLI, the GraphQL server and
 * library users alike. SQL stays in `store/`; output formatting stays in the front ends.
 */
import { readFileSync, statSync } from "node:fs";
import type { Db } from "../store/db.ts";
import { openDatabase } from "../store/open.ts";
import * as issuesRepo from "../store/issues.ts";
import * as query from "../store/query.ts";
import * as rel from "../store/relations.ts";
import * as parentRule from "../store/parent_rule.ts";
import * as meta from "../store/meta.ts";
import * as customStatusesRepo from "../store/custom_statuses.ts";
import { TableAccess, type TableInfo, tableInfo, tableNames } from "../store/ext_tables.ts";
import { BdError, notFound, readOnly, validation } from "../model/errors.ts";
import { inContractOrder } from "../model/key_order.ts";
import type { CustomStatus } from "../model/status_categories.ts";
import {
  type Comment,
  type Dependency,
  type Issue,
  ISSUE_TYPES,
  type IssueEvent,
  type IssueFilter,
  type ListSort,
} from "../model/types.ts";
import { resolveActor } from "./actor.ts";
import { type LocateOptions, locateWorkspace, prefixInJsonl, type WorkspacePaths } from "./workspace.ts";
import { flushJsonl } from "./sync/jsonl_io.ts";
import { autoImport } from "./sync/jsonl_import.ts";
import { wakeDueDeferred } from "./lifecycle.ts";
import { checkFilterValues } from "./filter_values.ts";
import { missingSections } from "./lint.ts";
import * as issue_changes from "./issue_changes.ts";
import * as dependencies from "./dependencies.ts";
import * as work from "./work.ts";
import * as triage from "./triage.ts";
import * as labels_comments from "./labels_comments.ts";
import * as workspace_config from "./workspace_config.ts";
import * as statuses from "./statuses.ts";

/** Options for opening an existing workspace. */
export interface OpenOptions {
  /** Database path (else discovered from `cwd`, `$BEADS_DIR`, `$BEADS_DB`). */
  db?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  actor?: string;
  /** Rewrite `issues.jsonl` after each write (default true). */
  autoFlush?: boolean;
  /** Import `issues.jsonl` at open when it changed since the last flush (default true). */
  autoImport?: boolean;
  /** Refuse every write (`--readonly`): mutate() throws instead of running. */
  readonly?: boolean;
}

export type { CreateInput, IssueDetails, IssueRow, ReadyOptions, TreeNode, UpdateInput } from "./types.ts";
import type { CreateInput, IssueDetails, IssueRow, ReadyOptions, TreeNode, UpdateInput } from "./types.ts";
import type { BeadsContext } from "./context.ts";

/** How long a `ready` answer may be reused when nothing was committed meanwhile. */
const READY_MEMO_MS = 1000;

/** A bd workspace opened for use: the entry point of the service layer. */
export class Beads implements BeadsContext {
  readonly db: Db;
  readonly paths: WorkspacePaths;
  autoFlush: boolean;
  /** Why `issues.jsonl` could not be auto-imported at open; while set, writes refuse. */
  importProblem?: BdError;
  /** What the auto-import at open has to tell (e.g. a local issue moved to a new ID). */
  importNotes: string[] = [];
  /** What the automatic import at open has to say once (lines it kept out of the database). */
  importWarnings: string[] = [];
  protected actorName?: string;
  private readonly env: Record<string, string | undefined>;
  private readonly cwd: string;
  private prefixCache?: string;

  constructor(
    db: Db,
    paths: WorkspacePaths,
    opts: { actor?: string; env?: Record<string, string | undefined>; cwd?: string; autoFlush?: boolean },
  ) {
    this.db = db;
    this.paths = paths;
    this.actorName = opts.actor;
    this.env = opts.env ?? {};
    this.cwd = opts.cwd ?? ".";
    this.autoFlush = opts.autoFlush ?? true;
  }

  /** Opens the workspace found by the contract's discovery rules (and auto-imports its JSONL). */
  static open(opts: OpenOptions = {}): Beads {
    const env = opts.env ?? {};
    const cwd = opts.cwd ?? ".";
    const paths = locateWorkspace({ db: opts.db, cwd, env } as LocateOptions);
    return Beads.openPaths(paths, opts);
  }

  /** Opens a workspace at known paths. */
  static openPaths(paths: WorkspacePaths, opts: OpenOptions = {}): Beads {
    const timeout = Number(opts.env?.BD_BUSY_TIMEOUT_MS);
    const db = openDatabase(paths.dbPath, { timeoutMs: timeout > 0 ? timeout : undefined });
    if (paths.build) {
      // A linked worktree's first command in a fresh clone: the shared database is built from
      // the main worktree's JSONL (the import below), under the prefix its issues use.
      const prefix = prefixInJsonl(readFileSync(paths.jsonlPath, "utf8"));
      db.write(() => {
        if (prefix && !meta.getKey(db, "config", "issue_prefix")) meta.setKey(db, "config", "issue_prefix", prefix);
      });
    }
    const beads = new Beads(db, paths, {
      actor: opts.actor,
      env: opts.env,
      cwd: opts.cwd,
      autoFlush: opts.autoFlush,
    });
    beads.readonly = opts.readonly ?? false;
    if (opts.autoImport !== false && !opts.readonly) {
      try {
        const imported = autoImport(beads);
        beads.importNotes = imported?.moved?.map((m) => m.note) ?? [];
        beads.importWarnings = imported?.warnings ?? [];
        if (paths.build && imported) {
          beads.importNotes.unshift(
            `built the database ${paths.dbPath}, shared by every worktree, from ${paths.jsonlPath} (${imported.created} issues)`,
          );
        }
      } catch (e) {
        // A file that cannot be imported (conflict markers, a bad line) must not stop reads; writes
        // refuse until it is fixed, because flushing would overwrite what the file holds.
        if (!(e instanceof BdError) || e.code === "DB_LOCKED" || e.code === "INTERNAL" || e.code === "CORRUPT") {
          beads.close();
          throw e;
        }
        beads.importProblem = e;
      }
    }
    return beads;
  }

  close(): void {
    this.db.close();
  }

  /** Returns a view of this workspace acting as another actor (same connection). */
  as(actor: string): Beads {
    const view = Object.create(this) as Beads;
    view.actorName = actor;
    return view;
  }

  /** The actor written to events, `created_by` and comments. */
  get actor(): string {
    if (!this.actorName) this.actorName = resolveActor(undefined, this.env, this.cwd);
    return this.actorName;
  }

  /** The workspace's ID prefix (config `issue_prefix`). */
  get prefix(): string {
    if (this.prefixCache === undefined) {
      this.prefixCache = meta.getKey(this.db, "config", "issue_prefix") ?? "bd";
    }
    return this.prefixCache;
  }

  /** The workspace's custom issue types (config `types.custom`, comma-separated). */
  customTypes(): string[] {
    return (meta.getKey(this.db, "config", "types.custom") ?? "").split(",").map((t) => t.trim()).filter(Boolean);
  }

  /** The workspace's custom statuses with their categories (config `status.custom`). */
  customStatuses(): CustomStatus[] {
    return customStatusesRepo.customStatuses(this.db);
  }

  /** Every status with its category (`bd statuses`), and the ones in use that nothing configures. */
  statusReport(): statuses.StatusReport {
    return statuses.statusReport(this);
  }

  /** The names of the workspace's custom statuses. */
  customStatusNames(): string[] {
    return this.customStatuses().map((s) => s.name);
  }

  /** The issue types create and update accept: the built-in ones, then config `types.custom`. */
  issueTypes(): string[] {
    return [...new Set([...ISSUE_TYPES, ...this.customTypes()])];
  }

  /** Forgets the cached prefix (after `issue_prefix` changes). */
  clearPrefixCache(): void {
    this.prefixCache = undefined;
  }

  /**
   * Set by `--readonly`: every write is refused, the database is not even brought up to date with a
   * changed issues.jsonl (that import writes too), so reads answer from the database as it is.
   */
  readonly = false;

  /** Runs `fn` as one write transaction; the JSONL is flushed after the outermost commit. */
  mutate<T>(fn: () => T): T {
    if (this.readonly) throw readOnly();
    if (this.importProblem) throw this.importProblem;
    return this.db.write(() => {
      const result = fn();
      // Keep the cached blocked set in step with the data, in the same transaction.
      query.refreshBlockedCache(this.db);
      this.db.onCommit(this.countWrite);
      if (this.autoFlush) this.db.onCommit(this.flushAfterCommit);
      return result;
    });
  }

  private readonly flushAfterCommit = () => void flushJsonl(this);

  private readonly countWrite = () => void this.shared.writes++;

  /** State shared by this workspace and its actor views (`as()`): write count, memo. */
  private readonly shared = {
    writes: 0,
    readyMemo: new Map<string, { version: string; at: number; issues: Issue[] }>(),
  };

  // ---------------------------------------------------------------- lookup

  /** Returns the full ID for an exact ID, a hash without prefix, or a unique substring. */
  resolveId(input: string): string {
    const text = input.trim();
    if (!text) throw validation("an issue ID is required");
    const candidates = issuesRepo.findIdCandidates(this.db, this.prefix, text, 6);
    if (candidates.length === 0) throw notFound(`no issue found matching "${text}"`);
    if (candidates.length > 1) {
      const total = candidates.length > 5 ? "more than 5" : String(candidates.length);
      throw new BdError(
        "AMBIGUOUS_ID",
        `ambiguous ID "${text}" matches ${total} issues: ${candidates.slice(0, 5).join(", ")}; use more characters`,
      );
    }
    return candidates[0];
  }

  /** Returns the issue for an ID (partial IDs accepted), with its labels and lease. */
  issue(idInput: string): Issue {
    return issuesRepo.getIssue(this.db, this.resolveId(idInput), { lease: true, labels: true })!;
  }

  /** Returns the issues with these exact IDs, in the given order (missing ones skipped), with their leases. */
  issuesById(ids: readonly string[]): Issue[] {
    const byId = new Map(issuesRepo.getIssues(this.db, ids, { lease: true }).map((i) => [i.id, i]));
    return ids.map((id) => byId.get(id)).filter((i): i is Issue => i !== undefined);
  }

  /** Returns full details (labels, dependencies, dependents, comments, parent) of issues. */
  details(idInputs: readonly string[]): IssueDetails[] {
    const ids = idInputs.map((i) => this.resolveId(i));
    // A statement per kind of thing, not per relation: the issues with their labels, every edge with
    // the issue at its other end, the comments, the parents.
    const issues = new Map(issuesRepo.getIssues(this.db, ids, { lease: true, labels: true }).map((i) => [i.id, i]));
    const edges = rel.edgesWithIssues(this.db, ids);
    const comments = rel.commentsOf(this.db, ids);
    const asIssue = (e: rel.EdgeWithIssue) =>
      e.issue ? { ...e.issue, dependency_type: e.type } : ({
        id: e.other,
        title: "",
        status: "missing",
        dependency_type: e.type,
      } as Issue & { dependency_type: string });
    const parents = this.parentsOf(ids);
    return ids.map((id) => {
      const issue = issues.get(id)!;
      const out = inContractOrder(issue, {
        labels: issue.labels ?? [],
        dependencies: (edges.dependencies.get(id) ?? []).map(asIssue),
        dependents: (edges.dependents.get(id) ?? []).map(asIssue),
        comments: comments.get(id) ?? [],
      });
      if (parents.has(id)) out.parent = parents.get(id);
      return out as IssueDetails;
    });
  }

  /** The sections a new issue lacks when config `validation.on-create` is "warn" (else none). */
  createWarnings(issue: Issue): string[] {
    return this.configGet("validation.on-create") === "warn" ? missingSections(issue) : [];
  }

  /**
   * Returns each issue's parent, for those that have one: its parent-child edge's target, else the
   * issue its hierarchical ID names (store/parent_rule.ts, upstream's rule).
   */
  parentsOf(ids: readonly string[]): Map<string, string> {
    return parentRule.parentsOf(this.db, ids);
  }

  /** Returns the direct children of each issue by the same rule, sorted by ID. */
  childrenOf(ids: readonly string[]): Map<string, string[]> {
    return parentRule.childrenOf(this.db, ids);
  }

  /** When each issue first went in progress (its earliest status change to in_progress), where it did. */
  startedAt(ids: readonly string[]): Map<string, string> {
    return rel.firstStartedAt(this.db, ids);
  }

  /** Returns [dependency_count, dependent_count] per issue: `blocks` edges out and in, as upstream counts. */
  dependencyCounts(ids: readonly string[]): Map<string, [number, number]> {
    return rel.dependencyCounts(this.db, ids);
  }

  /** Returns list rows: issues with labels and dependency/dependent counts (blocks edges only). */
  decorate(issues: Issue[]): IssueRow[] {
    const ids = issues.map((i) => i.id);
    const labels = rel.labelsOf(this.db, ids);
    const counts = rel.dependencyCounts(this.db, ids);
    return issues.map((i) =>
      inContractOrder(i, {
        labels: labels.get(i.id) ?? [],
        dependency_count: counts.get(i.id)?.[0] ?? 0,
        dependent_count: counts.get(i.id)?.[1] ?? 0,
      }) as IssueRow
    );
  }

  /** Returns issues with their labels attached (omitted when none). */
  withLabels(issues: Issue[]): Issue[] {
    const labels = rel.labelsOf(this.db, issues.map((i) => i.id));
    return issues.map((i) => {
      const l = labels.get(i.id);
      return l ? inContractOrder(i, { labels: l }) as Issue : i;
    });
  }

  // ---------------------------------------------------------------- queries

  /** Returns issues matching a filter (`limit` 0 = all) and whether more matched. */
  list(
    filter: IssueFilter,
    opts: { sort?: ListSort; reverse?: boolean; limit?: number; offset?: number } = {},
  ): { issues: Issue[]; truncated: boolean } {
    return work.list(this, filter, opts);
  }

  /** Returns the number of issues matching a filter. */
  count(filter: IssueFilter): number {
    return work.count(this, filter);
  }

  /** Returns counts grouped by status, priority, type, assignee or label. */
  countBy(
    filter: IssueFilter,
    by: "status" | "priority" | "issue_type" | "assignee" | "label",
  ): { key: string; count: number }[] {
    return work.countBy(this, filter, by);
  }

  /**
   * Returns ready work (contract §6): open, unblocked, not deferred; sorted and limited.
   * A server asks this many times a second: an answer is reused while nobody has committed
   * since (data_version and this connection's own writes) and for at most READY_MEMO_MS, since
   * deferrals and the 48-hour window depend on the clock.
   */
  ready(opts: ReadyOptions = {}): Issue[] {
    wakeDueDeferred(this); // deferred issues whose time has come are ready again
    const { sort = "hybrid", limit = 10, includeDeferred = false, withLabels = false, ...filter } = opts;
    if (sort === "impact") {
      const byImpact = triage.readyByImpact(this, filter, limit);
      return withLabels ? this.withLabels(byImpact) : byImpact;
    }
    const resolved = this.resolveFilter(filter);
    const key = JSON.stringify([resolved, sort, limit, includeDeferred, withLabels]);
    const version = `${meta.dataVersion(this.db)}:${this.shared.writes}`;
    const hit = this.shared.readyMemo.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < READY_MEMO_MS) return hit.issues.map((i) => ({ ...i }));
    const issues = query.readyIssues(this.db, resolved, sort, limit, { includeDeferred, labels: withLabels });
    if (this.shared.readyMemo.size > 64) this.shared.readyMemo.clear();
    this.shared.readyMemo.set(key, { version, at: Date.now(), issues });
    return issues.map((i) => ({ ...i }));
  }

  /**
   * What to work on to unblock the most: the critical path, bottlenecks, quick wins, stale work,
   * cycles and epics (core/triage.ts).
   */
  triage(opts: { limit?: number; staleDays?: number } = {}): triage.Triage {
    return triage.triage(this, opts);
  }

  /** How many open issues each of these issues blocks, transitively. */
  unblocksOf(ids: readonly string[]): Map<string, number> {
    return triage.unblocksOf(this, ids);
  }

  /** Why each ready issue is ready and what holds each blocked one (`ready --explain`). */
  explainReady(opts: ReadyOptions = {}): work.ReadyExplanation {
    return work.explainReady(this, opts);
  }

  /** Runs `act` (a close of `ids`) and returns its result with the issues it made ready. */
  withNewlyReady<T>(ids: readonly string[], act: () => T): { result: T; ready: Issue[] } {
    return work.withNewlyReady(this, ids, act);
  }

  /** Returns blocked active issues with the IDs of their open blockers. */
  blocked(filter: IssueFilter = {}): (Issue & { blocked_by_count: number; blocked_by: string[] })[] {
    return work.blocked(this, filter);
  }

  /** Returns one page of issues in a stable keyset order, with opaque cursors. */
  issuesPage(
    filter: IssueFilter,
    order: { field: query.PageField; desc?: boolean },
    first: number,
    after?: string,
  ): { issues: Issue[]; cursors: string[]; hasNextPage: boolean; totalCount: number } {
    return work.issuesPage(this, filter, order, first, after);
  }

  /** Returns the labels of each issue (batch access for the GraphQL loaders). */
  labelsFor(ids: readonly string[]): Map<string, string[]> {
    return rel.labelsOf(this.db, ids);
  }

  /** Returns the outgoing edges of each issue. */
  dependenciesFor(ids: readonly string[]): Map<string, Dependency[]> {
    return rel.dependenciesOf(this.db, ids);
  }

  /** Returns the incoming edges of each issue. */
  dependentsFor(ids: readonly string[]): Map<string, Dependency[]> {
    return rel.dependentsOf(this.db, ids);
  }

  /** Returns the comments of each issue. */
  commentsFor(ids: readonly string[]): Map<string, Comment[]> {
    return rel.commentsOf(this.db, ids);
  }

  /** Returns the events of each issue. */
  eventsFor(ids: readonly string[]): Map<string, IssueEvent[]> {
    return meta.eventsOf(this.db, ids);
  }

  /** Returns events after an event id (for change feeds), oldest first. */
  eventsSince(afterId: number, limit = 500): IssueEvent[] {
    return meta.eventsAfter(this.db, afterId, limit);
  }

  /** Returns the id of the newest event (0 when none). */
  lastEventId(): number {
    return meta.lastEventId(this.db);
  }

  /** Returns a number that changes whenever another connection commits to the database. */
  dataVersion(): number {
    return meta.dataVersion(this.db);
  }

  /** Returns a number that changes whenever the database schema changes (tables added, ...). */
  schemaVersion(): number {
    return meta.schemaVersion(this.db);
  }

  /** Returns the catalog of every user table (bd's and applications'), for extension mapping. */
  tableCatalog(): TableInfo[] {
    return tableNames(this.db).map((t) => tableInfo(this.db, t));
  }

  /** Returns checked access to one application table (names verified against the live catalog). */
  tableAccess(info: TableInfo): TableAccess {
    return new TableAccess(this.db, info);
  }

  /**
   * Throws when the database file was deleted or replaced since it was opened: a long-running
   * process (serve) would otherwise keep writing to an unlinked file, a silent loss.
   */
  checkDatabaseFile(): void {
    let now: { dev: number; ino: number } | undefined;
    try {
      const st = statSync(this.paths.dbPath);
      now = { dev: st.dev, ino: st.ino };
    } catch { /* gone */ }
    this.fileId ??= now;
    if (!now || now.dev !== this.fileId?.dev || now.ino !== this.fileId?.ino) {
      throw new BdError(
        "INTERNAL",
        `the database file ${this.paths.dbPath} was ${
          now ? "replaced" : "deleted"
        } while bd was running; nothing was written — restart bd (bd init rebuilds it from issues.jsonl)`,
      );
    }
  }

  private fileId?: { dev: number; ino: number };

  /** Imports `issues.jsonl` if it changed on disk since the last flush (cheap when it did not). */
  refreshFromJsonl(): void {
    autoImport(this);
  }

  /** Returns the subset of IDs that are ready (same rule as `ready`). */
  readyAmong(ids: readonly string[]): Set<string> {
    return query.readyAmong(this.db, ids);
  }

  /** Returns true if the issue is blocked by an open blocker (directly or via a parent). */
  isBlocked(id: string): boolean {
    return query.isBlocked(this.db, id);
  }

  /** Returns the subset of IDs that are blocked. */
  blockedAmong(ids: readonly string[]): Set<string> {
    return query.blockedAmong(this.db, ids);
  }

  /** Returns issues whose text contains `text` (case-insensitive). */
  search(text: string, filter: IssueFilter = {}, limit = 50): Issue[] {
    return work.search(this, text, filter, limit);
  }

  /** Returns active issues not updated in the last `days` days, oldest first. */
  stale(days: number, filter: IssueFilter = {}, limit = 50): Issue[] {
    return work.stale(this, days, filter, limit);
  }

  /** Returns the workspace counters (contract §3 `stats`). */
  stats(): Record<string, number> {
    return work.stats(this);
  }

  /** Returns open epics with their children's progress. */
  epicStatus(): { epic: Issue; total_children: number; closed_children: number; eligible_for_close: boolean }[] {
    return work.epicStatus(this);
  }

  /** Returns the issue's events, oldest first. */
  events(idInput: string): IssueEvent[] {
    const id = this.resolveId(idInput);
    return meta.eventsOf(this.db, [id]).get(id) ?? [];
  }

  /** Checks a filter's statuses and types, and resolves its partial IDs (parent). */
  resolveFilter(input: IssueFilter): IssueFilter {
    const filter = checkFilterValues(this.db, input, {
      statuses: () => this.customStatusNames(),
      types: () => this.customTypes(),
    });
    if (filter.parent === undefined) return filter;
    return { ...filter, parent: this.resolveId(filter.parent) };
  }

  // ---------------------------------------------------------------- writes

  /** Records an event in the audit trail (for the service modules). */
  event(id: string, type: string, oldValue: unknown, newValue: unknown, comment: string | null, now: string) {
    meta.insertEvent(this.db, {
      issue_id: id,
      event_type: type,
      actor: this.actor,
      old_value: oldValue === null || oldValue === undefined ? null : String(oldValue),
      new_value: newValue === null || newValue === undefined ? null : String(newValue),
      comment,
      created_at: now,
    });
  }

  /** Bumps `updated_at` and marks issues for the next flush. */
  /** Bumps updated_at of issues and marks them for the next flush (for the service modules). */
  touch(ids: readonly string[], now: string) {
    for (const id of ids) issuesRepo.updateIssueColumns(this.db, id, { updated_at: now });
    meta.markDirty(this.db, ids, now);
  }

  /** Creates an issue (with labels, parent and dependencies) and returns it. */
  create(input: CreateInput): Issue {
    return issue_changes.create(this, input);
  }

  /** Updates fields of an issue; a status change follows the closed_at rule. Returns the issue. */
  update(idInput: string, patch: UpdateInput): Issue {
    return issue_changes.update(this, idInput, patch);
  }

  /** Closes an issue with a reason (default `Closed`). */
  closeIssue(idInput: string, reason?: string): Issue {
    return issue_changes.closeIssue(this, idInput, reason);
  }

  /** Reopens a closed issue (clears closed_at and close_reason). */
  reopenIssue(idInput: string, reason?: string): Issue {
    return issue_changes.reopenIssue(this, idInput, reason);
  }

  /**
   * Claims an issue for the actor: assignee = actor, status = in_progress, in one conditional
   * UPDATE. Throws CONFLICT if someone else holds it or it is closed.
   */
  claim(idInput: string, opts: { leaseSeconds?: number } = {}): Issue {
    return issue_changes.claim(this, idInput, opts);
  }

  /** Claims the first ready issue (by the ready order); returns null when nothing is ready. */
  claimNextReady(opts: ReadyOptions & { leaseSeconds?: number } = {}): Issue | null {
    return issue_changes.claimNextReady(this, opts);
  }

  /** Returns what `delete` would remove: the issues and the edges that point at them. */
  deletePreview(idInputs: readonly string[]): { issues: Issue[]; dependents: Dependency[] } {
    return issue_changes.deletePreview(this, idInputs);
  }

  /**
   * Deletes an issue for good: its labels, comments, edges and extension rows go with it; a
   * tombstone tells other clones to delete it too. Returns the deleted issue.
   */
  delete(idInput: string, reason = "deleted"): Issue {
    return issue_changes.deleteIssue(this, idInput, reason);
  }

  /** Stores the tombstone line of a deleted issue. */
  recordTombstone(issue: Issue, deletedAt: string, deletedBy: string, reason: string): void {
    return issue_changes.recordTombstone(this, issue, deletedAt, deletedBy, reason);
  }

  // ---------------------------------------------------------------- dependencies

  /** Adds (or retypes) the edge: `from` depends on `to`. Refuses self-edges and cycles. */
  addDependency(fromInput: string, toInput: string, type = "blocks"): Dependency {
    return dependencies.addDependency(this, fromInput, toInput, type);
  }

  /**
   * Removes the edge `from` → `to` (of `type`, needed when several edges of different types join
   * the two); throws NOT_FOUND when there is none.
   */
  removeDependency(fromInput: string, toInput: string, type?: string): Dependency {
    return dependencies.removeDependency(this, fromInput, toInput, type);
  }

  /** Moves an issue under a new parent ("" takes it out of any); its ID stays. */
  reparent(idInput: string, parentInput: string): Issue {
    return dependencies.reparent(this, idInput, parentInput);
  }

  /** Returns edges whose target this database does not know (and did not delete). */
  danglingDependencies(): Dependency[] {
    return dependencies.danglingDependencies(this);
  }

  /** Returns `PRAGMA integrity_check` ("ok" when the file is sound). */
  integrityCheck(): string {
    return workspace_config.integrityCheck(this);
  }

  /** Where the workspace is and what it holds (`bd info`). */
  info(): Record<string, unknown> {
    return workspace_config.info(this);
  }

  /** Returns the outgoing and incoming edges of an issue. */
  dependencies(idInput: string): { dependencies: Dependency[]; dependents: Dependency[] } {
    return dependencies.dependencies(this, idInput);
  }

  /** Returns the dependency tree: `down` = what it depends on, `up` = what depends on it. */
  dependencyTree(idInput: string, opts: { direction?: "up" | "down"; maxDepth?: number } = {}): TreeNode[] {
    return dependencies.dependencyTree(this, idInput, opts);
  }

  /** Returns every dependency cycle (ignoring `related` edges) as lists of issues. */
  cycles(): Issue[][] {
    return dependencies.cycles(this);
  }

  // ---------------------------------------------------------------- labels

  /** Adds a label; returns `added` or `exists`. */
  addLabel(idInput: string, labelInput: string): { issue_id: string; label: string; status: string } {
    return labels_comments.addLabel(this, idInput, labelInput);
  }

  /** Removes a label; returns `removed` or `not_found`. */
  removeLabel(idInput: string, labelInput: string): { issue_id: string; label: string; status: string } {
    return labels_comments.removeLabel(this, idInput, labelInput);
  }

  /** Replaces an issue's labels with exactly these. */
  setLabels(idInput: string, labels: string[]): string[] {
    return labels_comments.setLabels(this, idInput, labels);
  }

  /** Returns an issue's labels, sorted. */
  labels(idInput: string): string[] {
    return labels_comments.labels(this, idInput);
  }

  /** Returns every label in use with its issue count. */
  allLabels(): { label: string; count: number }[] {
    return labels_comments.allLabels(this);
  }

  // ---------------------------------------------------------------- comments

  /** Returns an issue's comments, oldest first. */
  comments(idInput: string): Comment[] {
    return labels_comments.comments(this, idInput);
  }

  /** Adds a comment by the actor and returns it. */
  addComment(idInput: string, text: string, author?: string): Comment {
    return labels_comments.addComment(this, idInput, text, author);
  }

  // ---------------------------------------------------------------- config

  /** Returns a config value, or undefined. */
  configGet(key: string): string | undefined {
    return workspace_config.configGet(this, key);
  }

  /** Sets a config value. `issue_prefix` must be a valid prefix. */
  configSet(key: string, value: string): void {
    return workspace_config.configSet(this, key, value);
  }

  /** Removes a config key; returns false when it was not set. */
  configUnset(key: string): boolean {
    return workspace_config.configUnset(this, key);
  }

  /** Returns all config entries. */
  configList(all = false): Record<string, string> {
    return workspace_config.configList(this, all);
  }
}
