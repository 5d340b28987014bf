/**
 * What the domain modules (issue_changes, dependencies, work, triage, ...) may use of an open
 * workspace. Each module takes a `Pick` of it naming exactly the members it calls, so the modules
 * depend on this contract and never on the façade: service.ts's Beads implements it and calls the
 * modules, and every import points down (core/ has no import circle).
 */
import type { Db } from "../store/db.ts";
import type { BdError } from "../model/errors.ts";
import type { CustomStatus } from "../model/status_categories.ts";
import type { Comment, Dependency, Issue, IssueFilter, ListSort } from "../model/types.ts";
import type { WorkspacePaths } from "./workspace.ts";
import type { ReadyOptions, TreeNode, UpdateInput } from "./types.ts";

export interface BeadsContext {
  // ------------------------------------------------------------- the workspace
  readonly db: Db;
  readonly paths: WorkspacePaths;
  /** Who acts: written to events, created_by and comments. */
  readonly actor: string;
  /** The ID prefix (config issue_prefix). */
  readonly prefix: string;
  /** Set by --readonly: every write is refused. */
  readonly: boolean;
  /** Rewrite issues.jsonl after each write. */
  autoFlush: boolean;
  /** Why issues.jsonl could not be imported; while set, writes refuse. */
  importProblem?: BdError;
  /** Runs `fn` as one write transaction (refreshing the blocked set, flushing after commit). */
  mutate<T>(fn: () => T): T;
  /** Forgets the cached prefix (after issue_prefix changes). */
  clearPrefixCache(): void;

  // ------------------------------------------------------------- reading
  resolveId(input: string): string;
  issue(idInput: string): Issue;
  issuesById(ids: readonly string[]): Issue[];
  resolveFilter(input: IssueFilter): IssueFilter;
  list(
    filter: IssueFilter,
    opts?: { sort?: ListSort; reverse?: boolean; limit?: number; offset?: number },
  ): { issues: Issue[]; truncated: boolean };
  count(filter: IssueFilter): number;
  ready(opts?: ReadyOptions): Issue[];
  blocked(filter?: IssueFilter): (Issue & { blocked_by_count: number; blocked_by: string[] })[];
  readyAmong(ids: readonly string[]): Set<string>;
  blockedAmong(ids: readonly string[]): Set<string>;
  parentsOf(ids: readonly string[]): Map<string, string>;
  labelsFor(ids: readonly string[]): Map<string, string[]>;
  labels(idInput: string): string[];
  dependenciesFor(ids: readonly string[]): Map<string, Dependency[]>;
  dependencies(idInput: string): { dependencies: Dependency[]; dependents: Dependency[] };
  dependencyTree(idInput: string, opts?: { direction?: "up" | "down"; maxDepth?: number }): TreeNode[];
  cycles(): Issue[][];
  danglingDependencies(): Dependency[];
  epicStatus(): { epic: Issue; total_children: number; closed_children: number; eligible_for_close: boolean }[];
  customStatuses(): CustomStatus[];
  customStatusNames(): string[];
  customTypes(): string[];
  configGet(key: string): string | undefined;
  integrityCheck(): string;

  // ------------------------------------------------------------- writing
  /** Records an event in the audit trail. */
  event(id: string, type: string, oldValue: unknown, newValue: unknown, comment: string | null, now: string): void;
  /** Bumps updated_at and marks the issues for the next flush. */
  touch(ids: readonly string[], now: string): void;
  update(idInput: string, patch: UpdateInput): Issue;
  closeIssue(idInput: string, reason?: string): Issue;
  claim(idInput: string, opts?: { leaseSeconds?: number }): Issue;
  recordTombstone(issue: Issue, deletedAt: string, deletedBy: string, reason: string): void;
  addDependency(fromInput: string, toInput: string, type?: string): Dependency;
  removeDependency(fromInput: string, toInput: string, type?: string): Dependency;
  addLabel(idInput: string, labelInput: string): { issue_id: string; label: string; status: string };
  removeLabel(idInput: string, labelInput: string): { issue_id: string; label: string; status: string };
  addComment(idInput: string, text: string, author?: string): Comment;
}
