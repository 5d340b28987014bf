/** Domain types of bd. Field names mirror the JSON contract (snake_case), which mirrors the SQL. */

export const STATUSES = ["open", "in_progress", "blocked", "deferred", "closed"] as const;
export const ISSUE_TYPES = ["bug", "feature", "task", "epic", "chore", "decision"] as const;

/** What each built-in type is for (`bd types`). */
export const ISSUE_TYPE_HELP: Record<(typeof ISSUE_TYPES)[number], string> = {
  bug: "something broken that should work",
  feature: "new functionality (aliases: feat, enhancement)",
  task: "a piece of work (the default)",
  epic: "a larger piece of work, with children",
  chore: "maintenance: dependencies, tooling, clean-up",
  decision: "a decision to make or record (aliases: dec, adr)",
};

/** Upstream's other words for built-in types. */
export const ISSUE_TYPE_ALIASES: Record<string, string> = {
  feat: "feature",
  enhancement: "feature",
  dec: "decision",
  adr: "decision",
};
/** Known edge types; only `blocks` (and a blocked parent) blocks. `duplicates`/`supersedes` close one issue in favour of another. */
export const DEPENDENCY_TYPES = [
  "blocks",
  "related",
  "parent-child",
  "discovered-from",
  "duplicates",
  "supersedes",
] as const;

/** An issue as bd stores and prints it; imported fields bd does not know ride along as extra keys. */
export interface Issue {
  id: string;
  title: string;
  description?: string;
  design?: string;
  acceptance_criteria?: string;
  notes?: string;
  status: string;
  priority: number;
  issue_type: string;
  assignee?: string;
  owner?: string;
  estimated_minutes?: number;
  created_at: string;
  created_by?: string;
  updated_at: string;
  closed_at?: string;
  close_reason?: string;
  due_at?: string;
  defer_until?: string;
  external_ref?: string;
  /** When the claim lapses (a lease; read beside the issue, never stored in it or exported). */
  lease_expires_at?: string;
  labels?: string[];
  dependencies?: Dependency[];
  comments?: Comment[];
  [extra: string]: unknown;
}

/** An edge: `issue_id` depends on `depends_on_id` (the latter blocks the former for type `blocks`). */
export interface Dependency {
  issue_id: string;
  depends_on_id: string;
  type: string;
  created_at: string;
  created_by?: string;
  [extra: string]: unknown;
}

export interface Comment {
  id: number;
  issue_id: string;
  author: string;
  text: string;
  created_at: string;
}

export interface IssueEvent {
  id: number;
  issue_id: string;
  event_type: string;
  actor: string;
  old_value: string | null;
  new_value: string | null;
  comment: string | null;
  created_at: string;
}

/** The scalar fields of an issue, in the contract's key order (used for JSON and SQL columns). */
export const ISSUE_FIELDS = [
  "id",
  "title",
  "description",
  "design",
  "acceptance_criteria",
  "notes",
  "status",
  "priority",
  "issue_type",
  "assignee",
  "owner",
  "estimated_minutes",
  "created_at",
  "created_by",
  "updated_at",
  "closed_at",
  "close_reason",
  "due_at",
  "defer_until",
  "external_ref",
] as const;
export type IssueField = typeof ISSUE_FIELDS[number];

/** Keys of an issue object that are not free-form extras. */
export const KNOWN_ISSUE_KEYS: ReadonlySet<string> = new Set<string>([
  ...ISSUE_FIELDS,
  // When a claim lapses (contract §10): read from the lease beside the issue, never imported.
  "lease_expires_at",
  "labels",
  "dependencies",
  "comments",
]);

/** Filters shared by `list`, `ready`, `count`, GraphQL `issues` and `ready`. */
export interface IssueFilter {
  status?: string[];
  priority?: number[];
  priorityMin?: number;
  priorityMax?: number;
  type?: string[];
  assignee?: string;
  unassigned?: boolean;
  labels?: string[];
  labelsAny?: string[];
  titleContains?: string;
  ids?: string[];
  parent?: string;
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  closedAfter?: string;
  closedBefore?: string;
  dueAfter?: string;
  dueBefore?: string;
  deferAfter?: string;
  deferBefore?: string;
  includeClosed?: boolean;
  /** None of these labels. */
  excludeLabels?: string[];
  /** None of these issue types. */
  excludeTypes?: string[];
  /** Only issues with no label at all. */
  noLabels?: boolean;
  /** Only issues whose due time has passed (and that are not closed). */
  overdue?: boolean;
  /** Only issues with a defer time set. */
  deferred?: boolean;
}

export type ReadySort = "hybrid" | "priority" | "oldest" | "impact";
export type ListSort = "priority" | "created" | "updated" | "id" | "title" | "status";
