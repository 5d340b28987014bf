/**
 * The service layer's input and output shapes, below every core module: the façade (service.ts),
 * the domain modules and the front ends all take them from here.
 */
import type { Comment, Issue, IssueFilter, ReadySort } from "../model/types.ts";

export interface CreateInput {
  title: string;
  description?: string;
  design?: string;
  acceptance_criteria?: string;
  notes?: string;
  /** Text after the notes (on a new line): `create --append-notes`, as `update` takes it. */
  append_notes?: string;
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
  /** Refuse the issue when its description lacks its type's sections (as `bd lint`); config `validation.on-create` = error does it always. */
  validate?: boolean;
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
  & {
    close_reason?: string;
    /** Text added to the end of the notes (on a new line), atomically. */
    append_notes?: string;
  };

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
  /** Also issues whose defer time is still ahead (`ready --include-deferred`). */
  includeDeferred?: boolean;
  /** Each issue with its labels (read with the issues, in one statement). */
  withLabels?: boolean;
}

export interface TreeNode extends Issue {
  depth: number;
  parent_id: string | null;
  dependency_type?: string;
  truncated: boolean;
}
