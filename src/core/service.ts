/**
 * The service layer: every bd operation and rule, used by the CLI, the GraphQL server and
 * library users alike. SQL stays in `store/`; output formatting stays in the front ends.
 */
import { Buffer } from "node:buffer";
import { statSync } from "node:fs";
import { Db } from "../store/db.ts";
import * as issuesRepo from "../store/issues.ts";
import * as query from "../store/query.ts";
import * as rel from "../store/relations.ts";
import * as meta from "../store/meta.ts";
import { TableAccess, type TableInfo, tableInfo, tableNames } from "../store/ext_tables.ts";
import { BdError, notFound, validation } from "../model/errors.ts";
import { generateHashId } from "../model/hash_id.ts";
import { nowIso } from "../model/time.ts";
import {
  checkDependencyType,
  checkEstimate,
  checkIssueType,
  checkLabel,
  checkStatus,
  checkTitle,
  parsePriority,
  stripControl,
} from "../model/validate.ts";
import { inContractOrder } from "../model/key_order.ts";
import type {
  Comment,
  Dependency,
  Issue,
  IssueEvent,
  IssueField,
  IssueFilter,
  ListSort,
  ReadySort,
} from "../model/types.ts";
import { statusChange } from "./status.ts";
import { findCycles } from "./graph.ts";
import { resolveActor } from "./actor.ts";
import { type LocateOptions, locateWorkspace, type WorkspacePaths } from "./workspace.ts";
import { autoImport, flushJsonl } from "./sync.ts";
import { wakeDueDeferred } from "./lifecycle.ts";

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
}

export interface CreateInput {
  title: string;
  description?: string;
  design?: string;
  acceptance_criteria?: string;
  notes?: string;
  priority?: number | string;
  issue_type?: string;
  status?: string;
  assignee?: string;
  owner?: string;
  estimated_minutes?: number | string;
  external_ref?: string;
  due_at?: string;
  defer_until?: string;
  labels?: string[];
  /** Explicit ID (must start with the workspace prefix). */
  id?: string;
  /** Parent issue: the new issue becomes `parent.N` with a parent-child edge. */
  parent?: string;
  /** Dependencies of the new issue on existing ones. */
  deps?: { id: string; type?: string }[];
}

export type UpdateInput =
  & Partial<
    Pick<
      CreateInput,
      | "title"
      | "description"
      | "design"
      | "acceptance_criteria"
      | "notes"
      | "priority"
      | "issue_type"
      | "status"
      | "assignee"
      | "owner"
      | "estimated_minutes"
      | "external_ref"
      | "due_at"
      | "defer_until"
    >
  >
  & { close_reason?: string };

/** An issue with its relations, as `show` prints it. */
export type IssueDetails = Issue & {
  labels: string[];
  dependencies: (Issue & { dependency_type: string })[];
  dependents: (Issue & { dependency_type: string })[];
  comments: Comment[];
  parent?: string;
};

/** A `list`/`search` row: the issue with its labels and edge counts. */
export type IssueRow = Issue & { labels: string[]; dependency_count: number; dependent_count: number };

export interface ReadyOptions extends IssueFilter {
  sort?: ReadySort;
  /** 0 = all; default 10. */
  limit?: number;
}

export interface TreeNode extends Issue {
  depth: number;
  parent_id: string | null;
  dependency_type?: string;
  truncated: boolean;
}

/** How long a `ready` answer may be reused when nothing was committed meanwhile. */
const READY_MEMO_MS = 1000;

const EDITABLE: IssueField[] = [
  "title",
  "description",
  "design",
  "acceptance_criteria",
  "notes",
  "priority",
  "issue_type",
  "status",
  "assignee",
  "owner",
  "estimated_minutes",
  "external_ref",
  "due_at",
  "defer_until",
];

/** A bd workspace opened for use: the entry point of the service layer. */
export class Beads {
  readonly db: Db;
  readonly paths: WorkspacePaths;
  autoFlush: boolean;
  /** Why `issues.jsonl` could not be auto-imported at open; while set, writes refuse. */
  importProblem?: BdError;
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
    const db = Db.open(paths.dbPath, { timeoutMs: timeout > 0 ? timeout : undefined });
    const beads = new Beads(db, paths, {
      actor: opts.actor,
      env: opts.env,
      cwd: opts.cwd,
      autoFlush: opts.autoFlush,
    });
    if (opts.autoImport !== false) {
      try {
        autoImport(beads);
      } catch (e) {
        // A file that cannot be imported (conflict markers, a bad line) must not stop reads; writes
        // refuse until it is fixed, because flushing would overwrite what the file holds.
        if (!(e instanceof BdError) || e.code === "DB_LOCKED" || e.code === "INTERNAL") {
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

  /** Runs `fn` as one write transaction; the JSONL is flushed after the outermost commit. */
  mutate<T>(fn: () => T): T {
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

  /** Returns the issue for an ID (partial IDs accepted), with its labels. */
  issue(idInput: string): Issue {
    const id = this.resolveId(idInput);
    const issue = issuesRepo.getIssue(this.db, id)!;
    const labels = rel.labelsOf(this.db, [id]).get(id);
    return labels ? inContractOrder(issue, { labels }) as Issue : issue;
  }

  /** Returns the issues with these exact IDs, in the given order (missing ones skipped). */
  issuesById(ids: readonly string[]): Issue[] {
    const byId = new Map(issuesRepo.getIssues(this.db, ids).map((i) => [i.id, i]));
    return ids.map((id) => byId.get(id)).filter((i): i is Issue => i !== undefined);
  }

  /** Returns full details (labels, dependencies, dependents, comments, parent) of issues. */
  details(idInputs: readonly string[]): IssueDetails[] {
    const ids = idInputs.map((i) => this.resolveId(i));
    const labels = rel.labelsOf(this.db, ids);
    const deps = rel.dependenciesOf(this.db, ids);
    const dependents = rel.dependentsOf(this.db, ids);
    const comments = rel.commentsOf(this.db, ids);
    const related = new Set<string>();
    for (const id of ids) {
      for (const d of deps.get(id) ?? []) related.add(d.depends_on_id);
      for (const d of dependents.get(id) ?? []) related.add(d.issue_id);
    }
    const relatedIssues = new Map(issuesRepo.getIssues(this.db, [...related]).map((i) => [i.id, i]));
    const asIssue = (id: string, type: string) => {
      const i = relatedIssues.get(id);
      return i ? { ...i, dependency_type: type } : ({ id, title: "", status: "missing", dependency_type: type } as
        & Issue
        & { dependency_type: string });
    };
    return ids.map((id) => {
      const issue = issuesRepo.getIssue(this.db, id)!;
      const out = inContractOrder(issue, {
        labels: labels.get(id) ?? [],
        dependencies: (deps.get(id) ?? []).map((d) => asIssue(d.depends_on_id, d.type)),
        dependents: (dependents.get(id) ?? []).map((d) => asIssue(d.issue_id, d.type)),
        comments: comments.get(id) ?? [],
      });
      const parent = (deps.get(id) ?? []).find((d) => d.type === "parent-child");
      if (parent) out.parent = parent.depends_on_id;
      return out as IssueDetails;
    });
  }

  /** Returns list rows: issues with labels and dependency/dependent counts. */
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
    const limit = opts.limit ?? 50;
    const rows = query.listIssues(this.db, this.resolveFilter(filter), {
      ...opts,
      limit: limit > 0 ? limit + 1 : 0,
    });
    const truncated = limit > 0 && rows.length > limit;
    return { issues: truncated ? rows.slice(0, limit) : rows, truncated };
  }

  /** Returns the number of issues matching a filter. */
  count(filter: IssueFilter): number {
    return query.countIssues(this.db, this.resolveFilter(filter));
  }

  /** Returns counts grouped by status, priority, type, assignee or label. */
  countBy(
    filter: IssueFilter,
    by: "status" | "priority" | "issue_type" | "assignee" | "label",
  ): { key: string; count: number }[] {
    return query.countGrouped(this.db, this.resolveFilter(filter), by);
  }

  /**
   * Returns ready work (contract §6): open, unblocked, not deferred; sorted and limited.
   * A server asks this many times a second: an answer is reused while nobody has committed
   * since (data_version and this connection's own writes) and for at most READY_MEMO_MS, since
   * deferrals and the 48-hour window depend on the clock.
   */
  ready(opts: ReadyOptions = {}): Issue[] {
    wakeDueDeferred(this); // deferred issues whose time has come are ready again
    const { sort = "hybrid", limit = 10, ...filter } = opts;
    const resolved = this.resolveFilter(filter);
    const key = JSON.stringify([resolved, sort, limit]);
    const version = `${meta.dataVersion(this.db)}:${this.shared.writes}`;
    const hit = this.shared.readyMemo.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < READY_MEMO_MS) return hit.issues.map((i) => ({ ...i }));
    const issues = query.readyIssues(this.db, resolved, sort, limit);
    if (this.shared.readyMemo.size > 64) this.shared.readyMemo.clear();
    this.shared.readyMemo.set(key, { version, at: Date.now(), issues });
    return issues.map((i) => ({ ...i }));
  }

  /** Returns blocked active issues with the IDs of their open blockers. */
  blocked(filter: IssueFilter = {}): (Issue & { blocked_by_count: number; blocked_by: string[] })[] {
    return query.blockedIssues(this.db, this.resolveFilter(filter)).map(({ issue, blockedBy }) => ({
      ...issue,
      blocked_by_count: blockedBy.length,
      blocked_by: blockedBy,
    }));
  }

  /** Returns one page of issues in a stable keyset order, with opaque cursors. */
  issuesPage(
    filter: IssueFilter,
    order: { field: query.PageField; desc?: boolean },
    first: number,
    after?: string,
  ): { issues: Issue[]; cursors: string[]; hasNextPage: boolean; totalCount: number } {
    const resolved = this.resolveFilter(filter);
    const desc = order.desc ?? false;
    let position: { key: string | number; id: string } | undefined;
    if (after) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
      } catch { /* reported below */ }
      if (!Array.isArray(decoded) || decoded.length !== 4 || decoded[0] !== order.field || decoded[1] !== desc) {
        throw validation("invalid cursor: pass an endCursor from the same query and ordering");
      }
      position = { key: decoded[2], id: decoded[3] };
    }
    const rows = query.listIssuesPage(this.db, resolved, { field: order.field, desc }, position, first + 1);
    const page = rows.slice(0, first);
    return {
      issues: page.map((r) => r.issue),
      cursors: page.map((r) =>
        Buffer.from(JSON.stringify([order.field, desc, r.key, r.issue.id])).toString("base64url")
      ),
      hasNextPage: rows.length > first,
      totalCount: query.countIssues(this.db, resolved),
    };
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
    if (!text.trim()) throw validation("a search query is required");
    return query.searchIssues(this.db, text.trim(), this.resolveFilter(filter), limit);
  }

  /** Returns active issues not updated in the last `days` days, oldest first. */
  stale(days: number, filter: IssueFilter = {}, limit = 50): Issue[] {
    if (!Number.isFinite(days) || days < 0) throw validation(`invalid --days "${days}": use a number ≥ 0`);
    const before = new Date(Date.now() - days * 86400e3).toISOString();
    return query.staleIssues(this.db, before, this.resolveFilter(filter), limit);
  }

  /** Returns the workspace counters (contract §3 `stats`). */
  stats(): Record<string, number> {
    const counters = query.statsCounters(this.db);
    counters.ready_issues = query.countReady(this.db);
    return {
      total_issues: counters.total_issues,
      open_issues: counters.open_issues,
      in_progress_issues: counters.in_progress_issues,
      closed_issues: counters.closed_issues,
      blocked_issues: counters.blocked_issues,
      deferred_issues: counters.deferred_issues,
      ready_issues: counters.ready_issues,
      average_lead_time_hours: counters.average_lead_time_hours,
    };
  }

  /** Returns open epics with their children's progress. */
  epicStatus(): { epic: Issue; total_children: number; closed_children: number; eligible_for_close: boolean }[] {
    const rows = query.epicChildCounts(this.db);
    const epics = new Map(issuesRepo.getIssues(this.db, rows.map((r) => r.id)).map((i) => [i.id, i]));
    return rows.map((r) => ({
      epic: epics.get(r.id)!,
      total_children: r.total,
      closed_children: r.closed,
      eligible_for_close: r.total > 0 && r.total === r.closed,
    }));
  }

  /** Returns the issue's events, oldest first. */
  events(idInput: string): IssueEvent[] {
    const id = this.resolveId(idInput);
    return meta.eventsOf(this.db, [id]).get(id) ?? [];
  }

  /** Resolves partial IDs inside a filter (parent). */
  private resolveFilter(filter: IssueFilter): IssueFilter {
    if (filter.parent === undefined) return filter;
    return { ...filter, parent: this.resolveId(filter.parent) };
  }

  // ---------------------------------------------------------------- writes

  private event(id: string, type: string, oldValue: unknown, newValue: unknown, comment: string | null, now: string) {
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
  private touch(ids: readonly string[], now: string) {
    for (const id of ids) issuesRepo.updateIssueColumns(this.db, id, { updated_at: now });
    meta.markDirty(this.db, ids, now);
  }

  private newId(input: CreateInput, now: string, title: string, description: string): string {
    if (input.id) {
      const id = input.id.trim();
      if (!id.startsWith(`${this.prefix}-`) || /[\s"\\,]/.test(id)) {
        throw validation(`invalid ID "${id}": it must start with the prefix "${this.prefix}-" and contain no spaces`);
      }
      if (issuesRepo.issueExists(this.db, id)) throw new BdError("CONFLICT", `issue ${id} already exists`);
      return id;
    }
    if (input.parent !== undefined) {
      const parent = this.resolveId(input.parent);
      if ((parent.match(/\./g) ?? []).length >= 3) {
        throw validation(`cannot create a child of ${parent}: hierarchies are at most 3 levels deep`);
      }
      for (;;) {
        const n = meta.nextChildNumber(this.db, parent, meta.maxExistingChild(this.db, parent));
        const id = `${parent}.${n}`;
        if (!issuesRepo.issueExists(this.db, id)) return id;
      }
    }
    if (meta.getKey(this.db, "config", "id_mode") === "sequential") {
      for (;;) {
        const n = Number(meta.getKey(this.db, "metadata", "next_seq") ?? "1");
        meta.setKey(this.db, "metadata", "next_seq", String(n + 1));
        const id = `${this.prefix}-${n}`;
        if (!issuesRepo.issueExists(this.db, id)) return id;
      }
    }
    return generateHashId(
      this.prefix,
      { title, description, actor: this.actor, createdAt: now },
      issuesRepo.countTopLevelIssues(this.db),
      (id) => issuesRepo.issueExists(this.db, id) || meta.tombstones(this.db, [id]).length > 0,
    );
  }

  /** Creates an issue (with labels, parent and dependencies) and returns it. */
  create(input: CreateInput): Issue {
    const title = checkTitle(stripControl(input.title ?? ""));
    const fields = this.normaliseFields(input);
    return this.mutate(() => {
      const now = nowIso();
      const description = fields.description as string ?? "";
      const id = this.newId(input, now, title, description);
      const issue: Issue = {
        id,
        title,
        status: "open",
        priority: 2,
        issue_type: "task",
        created_at: now,
        created_by: this.actor,
        updated_at: now,
      };
      for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined && k !== "title") issue[k] = v;
      if (issue.status === "closed") Object.assign(issue, statusChange({ ...issue, status: "open" }, "closed", now));
      issuesRepo.insertIssue(this.db, issue);
      for (const label of input.labels ?? []) rel.insertLabel(this.db, id, checkLabel(label));
      this.event(id, "created", null, title, null, now);
      if (input.parent !== undefined) {
        const parent = this.resolveId(input.parent);
        rel.insertDependency(this.db, {
          issue_id: id,
          depends_on_id: parent,
          type: "parent-child",
          created_at: now,
          created_by: this.actor,
        });
      }
      for (const dep of input.deps ?? []) this.linkDependency(id, dep.id, dep.type ?? "blocks", now);
      meta.markDirty(this.db, [id], now);
      return this.issue(id);
    });
  }

  /** Validates and normalises editable fields; returns column values (null clears). */
  private normaliseFields(input: UpdateInput): Partial<Record<IssueField, unknown>> {
    const out: Partial<Record<IssueField, unknown>> = {};
    for (const key of EDITABLE) {
      const v = (input as Record<string, unknown>)[key];
      if (v === undefined) continue;
      switch (key) {
        case "title":
          out.title = checkTitle(stripControl(String(v)));
          break;
        case "priority":
          out.priority = parsePriority(v as string | number);
          break;
        case "issue_type":
          out.issue_type = checkIssueType(String(v));
          break;
        case "status":
          out.status = checkStatus(String(v));
          break;
        case "estimated_minutes":
          out.estimated_minutes = v === null || v === "" ? null : checkEstimate(v as string | number);
          break;
        default:
          out[key] = v === null ? null : stripControl(String(v));
      }
    }
    return out;
  }

  /** Updates fields of an issue; a status change follows the closed_at rule. Returns the issue. */
  update(idInput: string, patch: UpdateInput): Issue {
    const fields = this.normaliseFields(patch);
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      const before = issuesRepo.getIssue(this.db, id)!;
      const now = nowIso();
      const changes: Partial<Record<IssueField, unknown>> = {};
      for (const [k, v] of Object.entries(fields)) {
        if ((before[k] ?? null) !== (v === "" ? null : v)) changes[k as IssueField] = v;
      }
      if (changes.status !== undefined) {
        Object.assign(changes, statusChange(before, changes.status as string, now, patch.close_reason));
        const type = changes.status === "closed"
          ? "closed"
          : before.status === "closed"
          ? "reopened"
          : "status_changed";
        this.event(id, type, before.status, changes.status, patch.close_reason ?? null, now);
      }
      const other = Object.keys(changes).filter((k) => !["status", "closed_at", "close_reason"].includes(k));
      if (other.length) {
        const delta = Object.fromEntries(other.map((k) => [k, changes[k as IssueField]]));
        const old = Object.fromEntries(other.map((k) => [k, before[k] ?? null]));
        this.event(id, "updated", JSON.stringify(old), JSON.stringify(delta), null, now);
      }
      if (Object.keys(changes).length) {
        issuesRepo.updateIssueColumns(this.db, id, { ...changes, updated_at: now });
        meta.markDirty(this.db, [id], now);
      }
      return this.issue(id);
    });
  }

  /** Closes an issue with a reason (default `Closed`). */
  closeIssue(idInput: string, reason?: string): Issue {
    return this.update(idInput, { status: "closed", close_reason: reason?.trim() || undefined });
  }

  /** Reopens a closed issue (clears closed_at and close_reason). */
  reopenIssue(idInput: string, reason?: string): Issue {
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      const before = issuesRepo.getIssue(this.db, id)!;
      if (before.status !== "closed") throw validation(`issue ${id} is not closed (status: ${before.status})`);
      const now = nowIso();
      issuesRepo.updateIssueColumns(this.db, id, { ...statusChange(before, "open", now), updated_at: now });
      this.event(id, "reopened", before.status, "open", reason ?? null, now);
      meta.markDirty(this.db, [id], now);
      return this.issue(id);
    });
  }

  /**
   * Claims an issue for the actor: assignee = actor, status = in_progress, in one conditional
   * UPDATE. Throws CONFLICT if someone else holds it or it is closed.
   */
  claim(idInput: string): Issue {
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      const before = issuesRepo.getIssue(this.db, id)!;
      if (before.status === "closed") throw new BdError("CONFLICT", `cannot claim ${id}: it is closed`);
      if (before.assignee && before.assignee !== this.actor) {
        throw new BdError("CONFLICT", `cannot claim ${id}: already claimed by ${before.assignee}`);
      }
      const now = nowIso();
      issuesRepo.updateIssueColumns(this.db, id, { assignee: this.actor, status: "in_progress", updated_at: now });
      this.event(id, "claimed", before.assignee ?? null, this.actor, null, now);
      if (before.status !== "in_progress") this.event(id, "status_changed", before.status, "in_progress", null, now);
      meta.markDirty(this.db, [id], now);
      return this.issue(id);
    });
  }

  /** Claims the first ready issue (by the ready order); returns null when nothing is ready. */
  claimNextReady(opts: ReadyOptions = {}): Issue | null {
    return this.mutate(() => {
      // The write lock is held (BEGIN IMMEDIATE), so no other process can claim in between.
      const candidates = this.ready({ ...opts, limit: 25 });
      for (const c of candidates) {
        if (c.assignee && c.assignee !== this.actor) continue;
        return this.claim(c.id);
      }
      return null;
    });
  }

  /** Returns what `delete` would remove: the issues and the edges that point at them. */
  deletePreview(idInputs: readonly string[]): { issues: Issue[]; dependents: Dependency[] } {
    const ids = idInputs.map((i) => this.resolveId(i));
    const dependents = rel.dependentsOf(this.db, ids);
    return { issues: this.issuesById(ids), dependents: ids.flatMap((id) => dependents.get(id) ?? []) };
  }

  /**
   * Deletes an issue for good: its labels, comments, edges and extension rows go with it; a
   * tombstone tells other clones to delete it too. Returns the deleted issue.
   */
  delete(idInput: string, reason = "deleted"): Issue {
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      const issue = issuesRepo.getIssue(this.db, id)!;
      const now = nowIso();
      const affected = rel.deleteEdgesTo(this.db, id).filter((x) => x !== id);
      issuesRepo.deleteIssueRow(this.db, id);
      this.recordTombstone(issue, now, this.actor, reason);
      this.event(id, "deleted", issue.title, null, reason, now);
      this.touch([...new Set(affected)], now);
      meta.markDirty(this.db, [id], now);
      return issue;
    });
  }

  /** Stores the tombstone line of a deleted issue. */
  recordTombstone(issue: Issue, deletedAt: string, deletedBy: string, reason: string): void {
    const line = {
      ...Object.fromEntries(Object.entries(issue).filter(([k]) => !["labels", "dependencies", "comments"].includes(k))),
      status: "tombstone",
      updated_at: deletedAt,
      deleted_at: deletedAt,
      deleted_by: deletedBy,
      delete_reason: reason,
    };
    meta.upsertTombstone(this.db, {
      id: issue.id,
      deleted_at: deletedAt,
      deleted_by: deletedBy,
      delete_reason: reason,
      data: JSON.stringify(line),
    });
  }

  // ---------------------------------------------------------------- dependencies

  /** Adds (or retypes) the edge: `from` depends on `to`. Refuses self-edges and cycles. */
  addDependency(fromInput: string, toInput: string, type = "blocks"): Dependency {
    return this.mutate(() => {
      const from = this.resolveId(fromInput);
      const to = this.resolveId(toInput);
      const now = nowIso();
      const dep = this.linkDependency(from, to, type, now);
      return dep;
    });
  }

  private linkDependency(from: string, toInput: string, type: string, now: string): Dependency {
    checkDependencyType(type);
    const to = this.resolveId(toInput);
    if (from === to) throw validation(`cannot add dependency: ${from} cannot depend on itself`);
    // Only edges that order work can form a cycle; related/duplicates/supersedes just point.
    if (!["related", "duplicates", "supersedes"].includes(type) && rel.reaches(this.db, to, from)) {
      throw new BdError(
        "CYCLE",
        `cannot add dependency: would create a cycle (${to} already depends on ${from}, directly or transitively)`,
      );
    }
    const dep: Dependency = { issue_id: from, depends_on_id: to, type, created_at: now, created_by: this.actor };
    const existing = rel.getDependency(this.db, from, to, type);
    if (existing) return existing;
    rel.insertDependency(this.db, dep);
    this.event(from, "dependency_added", null, `${to} (${type})`, null, now);
    this.touch([from], now);
    return dep;
  }

  /**
   * Removes the edge `from` → `to` (of `type`, needed when several edges of different types join
   * the two); throws NOT_FOUND when there is none.
   */
  removeDependency(fromInput: string, toInput: string, type?: string): Dependency {
    return this.mutate(() => {
      const from = this.resolveId(fromInput);
      const to = this.dependencyTargetId(from, toInput);
      const edges = rel.edgesBetween(this.db, from, to).filter((d) => type === undefined || d.type === type);
      if (edges.length === 0) {
        throw notFound(`${from} does not depend on ${to}${type === undefined ? "" : ` with type ${type}`}`);
      }
      if (edges.length > 1) {
        throw validation(
          `${from} depends on ${to} through ${edges.length} edges (${
            edges.map((d) => d.type).join(", ")
          }): say which to remove with --type`,
        );
      }
      const existing = edges[0];
      const now = nowIso();
      rel.deleteDependency(this.db, from, to, existing.type);
      this.event(from, "dependency_removed", `${to} (${existing.type})`, null, null, now);
      this.touch([from], now);
      return existing;
    });
  }

  /** Resolves the target of an existing edge, allowing targets that no longer exist. */
  private dependencyTargetId(from: string, toInput: string): string {
    const direct = (rel.dependenciesOf(this.db, [from]).get(from) ?? []).find((d) => d.depends_on_id === toInput);
    return direct ? direct.depends_on_id : this.resolveId(toInput);
  }

  /** Returns edges whose target this database does not know (and did not delete). */
  danglingDependencies(): Dependency[] {
    return rel.danglingDependencies(this.db);
  }

  /** Returns `PRAGMA integrity_check` ("ok" when the file is sound). */
  integrityCheck(): string {
    return meta.integrityCheck(this.db);
  }

  /** Where the workspace is and what it holds (`bd info`). */
  info(): Record<string, unknown> {
    return {
      database: this.paths.dbPath,
      jsonl: this.paths.jsonlPath,
      beads_dir: this.paths.beadsDir,
      prefix: this.prefix,
      schema_version: meta.schemaVersionOf(this.db),
      issues: this.count({ includeClosed: true }),
      open: this.count({ status: ["open"] }),
      closed: this.count({ status: ["closed"] }),
      tombstones: meta.tombstoneCount(this.db),
      memories: meta.allMemories(this.db).length,
    };
  }

  /** Returns the outgoing and incoming edges of an issue. */
  dependencies(idInput: string): { dependencies: Dependency[]; dependents: Dependency[] } {
    const id = this.resolveId(idInput);
    return {
      dependencies: rel.dependenciesOf(this.db, [id]).get(id) ?? [],
      dependents: rel.dependentsOf(this.db, [id]).get(id) ?? [],
    };
  }

  /** Returns the dependency tree: `down` = what it depends on, `up` = what depends on it. */
  dependencyTree(idInput: string, opts: { direction?: "up" | "down"; maxDepth?: number } = {}): TreeNode[] {
    const root = this.resolveId(idInput);
    const direction = opts.direction ?? "down";
    const maxDepth = opts.maxDepth ?? 50;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) throw validation("--max-depth must be a whole number ≥ 1");
    const nodes: { id: string; depth: number; parent: string | null; type?: string; truncated: boolean }[] = [];
    const seen = new Set<string>([root]);
    let frontier = [root];
    nodes.push({ id: root, depth: 0, parent: null, truncated: false });
    for (let depth = 1; frontier.length; depth++) {
      const edges = direction === "down" ? rel.dependenciesOf(this.db, frontier) : rel.dependentsOf(this.db, frontier);
      const next: string[] = [];
      for (const parent of frontier) {
        for (const e of edges.get(parent) ?? []) {
          const child = direction === "down" ? e.depends_on_id : e.issue_id;
          if (seen.has(child)) continue;
          if (depth > maxDepth) {
            nodes.find((n) => n.id === parent)!.truncated = true;
            continue;
          }
          seen.add(child);
          nodes.push({ id: child, depth, parent, type: e.type, truncated: false });
          next.push(child);
        }
      }
      frontier = next;
    }
    const issues = new Map(issuesRepo.getIssues(this.db, nodes.map((n) => n.id)).map((i) => [i.id, i]));
    // Depth-first order so that each node follows its parent, as a tree prints.
    const children = new Map<string | null, typeof nodes>();
    for (const n of nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
    const ordered: TreeNode[] = [];
    const visit = (n: typeof nodes[number]) => {
      const issue = issues.get(n.id) ?? ({ id: n.id, title: "", status: "missing" } as Issue);
      const node: TreeNode = { ...issue, depth: n.depth, parent_id: n.parent, truncated: n.truncated };
      if (n.type) node.dependency_type = n.type;
      ordered.push(node);
      for (const c of children.get(n.id) ?? []) visit(c);
    };
    visit(nodes[0]);
    return ordered;
  }

  /** Returns every dependency cycle (ignoring `related` edges) as lists of issues. */
  cycles(): Issue[][] {
    const cycles = findCycles(rel.allEdges(this.db).filter((e) => e.type !== "related"));
    const issues = new Map(issuesRepo.getIssues(this.db, cycles.flat()).map((i) => [i.id, i]));
    return cycles.map((c) => c.map((id) => issues.get(id) ?? ({ id, title: "", status: "missing" } as Issue)));
  }

  // ---------------------------------------------------------------- labels

  /** Adds a label; returns `added` or `exists`. */
  addLabel(idInput: string, labelInput: string): { issue_id: string; label: string; status: string } {
    const label = checkLabel(labelInput);
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      if (!rel.insertLabel(this.db, id, label)) return { issue_id: id, label, status: "exists" };
      const now = nowIso();
      this.event(id, "label_added", null, label, null, now);
      this.touch([id], now);
      return { issue_id: id, label, status: "added" };
    });
  }

  /** Removes a label; returns `removed` or `not_found`. */
  removeLabel(idInput: string, labelInput: string): { issue_id: string; label: string; status: string } {
    const label = labelInput.trim();
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      if (!rel.deleteLabel(this.db, id, label)) return { issue_id: id, label, status: "not_found" };
      const now = nowIso();
      this.event(id, "label_removed", label, null, null, now);
      this.touch([id], now);
      return { issue_id: id, label, status: "removed" };
    });
  }

  /** Replaces an issue's labels with exactly these. */
  setLabels(idInput: string, labels: string[]): string[] {
    const wanted = [...new Set(labels.map(checkLabel))];
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      const current = this.labels(id);
      for (const l of current) if (!wanted.includes(l)) this.removeLabel(id, l);
      for (const l of wanted) if (!current.includes(l)) this.addLabel(id, l);
      return this.labels(id);
    });
  }

  /** Returns an issue's labels, sorted. */
  labels(idInput: string): string[] {
    const id = this.resolveId(idInput);
    return rel.labelsOf(this.db, [id]).get(id) ?? [];
  }

  /** Returns every label in use with its issue count. */
  allLabels(): { label: string; count: number }[] {
    return rel.labelCounts(this.db);
  }

  // ---------------------------------------------------------------- comments

  /** Returns an issue's comments, oldest first. */
  comments(idInput: string): Comment[] {
    const id = this.resolveId(idInput);
    return rel.commentsOf(this.db, [id]).get(id) ?? [];
  }

  /** Adds a comment by the actor and returns it. */
  addComment(idInput: string, text: string): Comment {
    const body = stripControl(text ?? "").trim();
    if (!body) throw validation("comment text cannot be empty");
    return this.mutate(() => {
      const id = this.resolveId(idInput);
      const now = nowIso();
      const comment = rel.insertComment(this.db, { issue_id: id, author: this.actor, text: body, created_at: now });
      this.event(id, "commented", null, null, body, now);
      this.touch([id], now);
      return comment;
    });
  }

  // ---------------------------------------------------------------- config

  /** Returns a config value, or undefined. */
  configGet(key: string): string | undefined {
    return meta.getKey(this.db, "config", key);
  }

  /** Sets a config value. `issue_prefix` must be a valid prefix. */
  configSet(key: string, value: string): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw validation(`invalid config key "${key}"`);
    if (key === "issue_prefix" && !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value)) {
      throw validation(`invalid prefix "${value}"`);
    }
    this.mutate(() => meta.setKey(this.db, "config", key, value));
    this.prefixCache = undefined;
  }

  /** Removes a config key; returns false when it was not set. */
  configUnset(key: string): boolean {
    const removed = this.mutate(() => meta.deleteKey(this.db, "config", key));
    this.prefixCache = undefined;
    return removed;
  }

  /** Returns all config entries. */
  configList(): Record<string, string> {
    return Object.fromEntries(meta.listConfig(this.db).map((r) => [r.key, r.value]));
  }
}
