/**
 * Core resolvers: translate GraphQL arguments to service calls and service results to GraphQL
 * shapes. No SQL and no business rule here; every decision is the service layer's.
 */
import process from "node:process";
import { BdError } from "../model/errors.ts";
import { categoryOf, type CustomStatus, isDoneStatus } from "../model/status_categories.ts";
import {
  type Issue,
  ISSUE_FIELDS,
  type IssueEvent,
  type IssueFilter,
  KNOWN_ISSUE_KEYS,
  type ReadySort,
} from "../model/types.ts";
import type { CreateInput, UpdateInput } from "../core/service.ts";
import { forget, memories, recall, remember } from "../core/memories.ts";
import { closeEligibleEpics, closeInFavourOf, deferIssue, undeferIssue } from "../core/lifecycle.ts";
import { lintIssues } from "../core/lint.ts";
import { claimLease, heartbeat } from "../core/leases.ts";
import { parseUserTime } from "../model/time_input.ts";
import type { PageField } from "../store/query.ts";
import { DateTimeScalar, JsonScalar } from "./scalars.ts";
import { type GqlContext, MAX_PAGE } from "./context.ts";

// deno-lint-ignore no-explicit-any
type Args = Record<string, any>;

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const TEXT_FIELDS = new Set(["description", "design", "acceptance_criteria", "notes"]);

function checkPage(value: number | undefined, name: string, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) {
    throw new BdError("VALIDATION", `${name} must be between 0 and ${MAX_PAGE} (got ${n}); page with cursors for more`);
  }
  return n;
}

/** Maps a GraphQL IssueFilter/ReadyFilter input to the service's filter. */
function toFilter(input: Args | undefined | null): IssueFilter {
  if (!input) return {};
  const f: IssueFilter = {};
  const copy: [string, keyof IssueFilter][] = [
    ["status", "status"],
    ["priority", "priority"],
    ["priorityMin", "priorityMin"],
    ["priorityMax", "priorityMax"],
    ["issueType", "type"],
    ["assignee", "assignee"],
    ["unassigned", "unassigned"],
    ["labels", "labels"],
    ["labelsAny", "labelsAny"],
    ["titleContains", "titleContains"],
    ["ids", "ids"],
    ["parent", "parent"],
    ["createdAfter", "createdAfter"],
    ["createdBefore", "createdBefore"],
    ["updatedAfter", "updatedAfter"],
    ["updatedBefore", "updatedBefore"],
    ["closedAfter", "closedAfter"],
    ["closedBefore", "closedBefore"],
    ["includeClosed", "includeClosed"],
    ["excludeLabels", "excludeLabels"],
    ["excludeTypes", "excludeTypes"],
    ["noLabels", "noLabels"],
    ["overdue", "overdue"],
    ["deferred", "deferred"],
  ];
  for (const [from, to] of copy) {
    if (input[from] !== undefined && input[from] !== null) (f as Record<string, unknown>)[to] = input[from];
  }
  return f;
}

const READY_SORT: Record<string, ReadySort> = {
  HYBRID: "hybrid",
  PRIORITY: "priority",
  OLDEST: "oldest",
  IMPACT: "impact",
};

const ORDER_FIELD: Record<string, PageField> = {
  PRIORITY: "priority",
  CREATED_AT: "created_at",
  UPDATED_AT: "updated_at",
  ID: "id",
  TITLE: "title",
};

/** Maps GraphQL issue field inputs (camelCase) to the service's (snake_case). */
function toFields(input: Args): UpdateInput {
  const out: Record<string, unknown> = {};
  for (const f of ISSUE_FIELDS) {
    const v = input[camel(f)];
    if (v !== undefined && f !== "id") out[f] = v;
  }
  if (input.issueType !== undefined) out.issue_type = input.issueType;
  return out as UpdateInput;
}

/** Field resolvers of Issue: contract fields by camelCase name, relations through loaders. */
const issueFields: Record<string, (i: Issue, args: Args, ctx: GqlContext) => unknown> = {};
for (const f of ISSUE_FIELDS) {
  issueFields[camel(f)] = (i) => i[f] ?? (TEXT_FIELDS.has(f) ? "" : null);
}

/** The issues of a loaded list that are still active work (not closed, nor in a custom done status). */
const activeIssues = (list: (Issue | null | Error)[], custom: readonly CustomStatus[]) =>
  list.filter((i): i is Issue => !!i && !(i instanceof Error) && !isDoneStatus(i.status, custom));

// deno-lint-ignore no-explicit-any
export const coreResolvers: Record<string, any> = {
  DateTime: DateTimeScalar,
  JSON: JsonScalar,
  Query: {
    viewer: (_: unknown, __: Args, { beads, tokenName }: GqlContext) => ({
      actor: beads.actor,
      tokenName: tokenName ?? null,
    }),
    issue: (_: unknown, { id }: Args, { beads }: GqlContext) => {
      try {
        return beads.issue(id);
      } catch (e) {
        if (e instanceof BdError && e.code === "NOT_FOUND") return null;
        throw e;
      }
    },
    issues: (_: unknown, args: Args, { beads }: GqlContext) => {
      const first = checkPage(args.first, "first", 50);
      const order = args.orderBy ?? { field: "PRIORITY", direction: "ASC" };
      const page = beads.issuesPage(
        toFilter(args.filter),
        {
          field: ORDER_FIELD[order.field],
          desc: order.direction === "DESC",
        },
        first,
        args.after ?? undefined,
      );
      return {
        nodes: page.issues,
        edges: page.issues.map((node, i) => ({ node, cursor: page.cursors[i] })),
        totalCount: page.totalCount,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: !!args.after,
          startCursor: page.cursors[0] ?? null,
          endCursor: page.cursors[page.cursors.length - 1] ?? null,
        },
      };
    },
    ready: (_: unknown, args: Args, { beads }: GqlContext) =>
      beads.ready({
        ...toFilter(args.filter),
        sort: READY_SORT[args.sort ?? "HYBRID"],
        limit: checkPage(args.limit, "limit", 10) || MAX_PAGE,
      }),
    blocked: (_: unknown, args: Args, { beads }: GqlContext) => {
      const all = beads.blocked(args.parent ? { parent: args.parent } : {});
      return args.limit === undefined || args.limit === null ? all : all.slice(0, Math.max(0, args.limit));
    },
    search: (_: unknown, args: Args, { beads }: GqlContext) =>
      beads.search(args.query, { includeClosed: true }, checkPage(args.first, "first", 50) || MAX_PAGE),
    // The service's counters, renamed to the schema's camelCase (no second list of names here).
    stats: (_: unknown, _args: Args, { beads }: GqlContext) =>
      Object.fromEntries(Object.entries(beads.stats()).map(([k, v]) => [camel(k), v])),
    statuses: (_: unknown, _args: Args, { beads }: GqlContext) => {
      const r = beads.statusReport();
      return [
        ...r.built_in_statuses.map((s) => ({ ...s, custom: false })),
        ...r.custom_statuses.map((s) => ({ ...s, description: null, custom: true })),
      ];
    },
    issueTypes: (_: unknown, _args: Args, { beads }: GqlContext) => beads.issueTypes(),
    dependencyTree: (_: unknown, args: Args, { beads }: GqlContext) =>
      beads.dependencyTree(args.id, {
        direction: args.direction === "UP" ? "up" : "down",
        maxDepth: args.maxDepth ?? 50,
      })
        .map((n) => ({
          issue: n,
          depth: n.depth,
          parentId: n.parent_id,
          dependencyType: n.dependency_type ?? null,
          truncated: n.truncated,
        })),
    cycles: (_: unknown, _args: Args, { beads }: GqlContext) => beads.cycles(),
    // The service's answer, with IDs turned into issues through the request's loader.
    triage: async (_: unknown, args: Args, { beads, loaders }: GqlContext) => {
      const t = beads.triage({ limit: checkPage(args.limit, "limit", 10), staleDays: args.staleDays ?? 3 });
      const load = async (ids: string[]) => activeIssues(await loaders.issue.loadMany(ids), loaders.customStatuses());
      const impact = async (x: { id: string; unblocks: number; blocks?: string[] }) => ({
        issue: await loaders.issue.load(x.id),
        unblocks: x.unblocks,
        blocks: await load(x.blocks ?? []),
      });
      return {
        open: t.open,
        ready: t.ready,
        blocked: t.blocked,
        inProgress: t.in_progress,
        criticalPath: await load(t.critical_path.map((i) => i.id)),
        bottlenecks: await Promise.all(t.bottlenecks.map(impact)),
        quickWins: await Promise.all(t.quick_wins.map(impact)),
        stale: await load(t.stale.map((i) => i.id)),
        cycles: await Promise.all(t.cycles.map(load)),
        epics: await Promise.all(t.epics.map(async (e) => ({
          epic: await loaders.issue.load(e.id),
          remaining: e.remaining,
          criticalPath: await load(e.critical_path),
          criticalPathLength: e.critical_path.length,
        }))),
      };
    },
    labels: (_: unknown, _args: Args, { beads }: GqlContext) => beads.allLabels(),
    memories: (_: unknown, args: Args, { beads }: GqlContext) => memories(beads, args.search ?? undefined),
    lint: (_: unknown, args: Args, { beads }: GqlContext) => lintIssues(beads, args.ids ?? []).warnings,
    memory: (_: unknown, args: Args, { beads }: GqlContext) => {
      const value = recall(beads, args.key);
      return value === undefined ? null : { key: args.key, value };
    },
  },
  Mutation: {
    remember: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const m = remember(beads, input.value, input.key ?? undefined);
      return { clientMutationId: input.clientMutationId ?? null, memory: m, action: m.action.toUpperCase() };
    },
    deferIssue: async (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId ?? null,
      issue: deferIssue(beads, input.id, input.until ? await parseUserTime(input.until, "--until") : undefined),
    }),
    undeferIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId ?? null,
      issue: undeferIssue(beads, input.id),
    }),
    markDuplicate: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId ?? null,
      issue: closeInFavourOf(beads, input.id, input.of, "duplicates").issue,
    }),
    markSuperseded: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId ?? null,
      issue: closeInFavourOf(beads, input.id, input.with, "supersedes").issue,
    }),
    closeEligibleEpics: (_: unknown, args: Args, { beads }: GqlContext) =>
      closeEligibleEpics(beads, args.dryRun === true),
    forget: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId ?? null,
      key: input.key,
      forgotten: forget(beads, input.key) !== undefined,
    }),
    createIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const create: CreateInput = {
        ...toFields(input),
        title: input.title,
        labels: input.labels ?? undefined,
        id: input.id ?? undefined,
        parent: input.parent ?? undefined,
        deps: (input.dependencies ?? []).map((d: Args) => ({ id: d.dependsOnId, type: d.type ?? "blocks" })),
      };
      return { clientMutationId: input.clientMutationId, issue: beads.create(create) };
    },
    updateIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const fields = toFields(input);
      if (input.status !== undefined) fields.status = input.status;
      return { clientMutationId: input.clientMutationId, issue: beads.update(input.id, fields) };
    },
    closeIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId,
      issue: beads.closeIssue(input.id, input.reason ?? undefined),
    }),
    reopenIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId,
      issue: beads.reopenIssue(input.id, input.reason ?? undefined),
    }),
    deleteIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId,
      deletedIssueId: beads.delete(input.id, input.reason ?? "deleted").id,
    }),
    addDependency: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const dependency = beads.addDependency(input.issueId, input.dependsOnId, input.type ?? "blocks");
      return { clientMutationId: input.clientMutationId, dependency, issue: beads.issue(dependency.issue_id) };
    },
    removeDependency: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const dependency = beads.removeDependency(input.issueId, input.dependsOnId, input.type ?? undefined);
      return { clientMutationId: input.clientMutationId, dependency, issue: beads.issue(dependency.issue_id) };
    },
    addLabel: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const r = beads.addLabel(input.issueId, input.label);
      return {
        clientMutationId: input.clientMutationId,
        issue: beads.issue(r.issue_id),
        label: r.label,
        result: r.status === "added" ? "ADDED" : "ALREADY_SET",
      };
    },
    removeLabel: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const r = beads.removeLabel(input.issueId, input.label);
      return {
        clientMutationId: input.clientMutationId,
        issue: beads.issue(r.issue_id),
        label: r.label,
        result: r.status === "removed" ? "REMOVED" : "NOT_SET",
      };
    },
    addComment: (_: unknown, { input }: Args, { beads }: GqlContext) => {
      const comment = beads.addComment(input.issueId, input.text);
      return { clientMutationId: input.clientMutationId, comment, issue: beads.issue(comment.issue_id) };
    },
    claimIssue: (_: unknown, { input }: Args, { beads }: GqlContext) => ({
      clientMutationId: input.clientMutationId,
      issue: beads.claim(input.id, { leaseSeconds: claimLease(beads, input.lease ?? undefined, process.env) }),
    }),
    claimNextReady: (_: unknown, args: Args, { beads }: GqlContext) =>
      beads.claimNextReady({
        ...toFilter(args.filter),
        sort: READY_SORT[args.sort ?? "HYBRID"],
        leaseSeconds: claimLease(beads, args.lease ?? undefined, process.env),
      }),
    heartbeat: (_: unknown, args: Args, { beads }: GqlContext) => {
      const { renewed, lost } = heartbeat(beads, args.ids ?? []);
      return {
        renewed: beads.issuesById(renewed.map((r) => r.id)),
        lost: lost.map((l) => ({ issue: beads.issuesById([l.id])[0], holder: l.holder })).filter((l) => l.issue),
      };
    },
  },
  Subscription: {
    issueEvents: {
      subscribe: (_: unknown, args: Args, { feed }: GqlContext) => feed.subscribe(args.since ?? undefined),
      resolve: (event: IssueEvent) => event,
    },
  },
  Issue: {
    ...issueFields,
    leaseExpiresAt: (i: Issue) => i.lease_expires_at ?? null,
    extra: (i: Issue) => {
      const extra = Object.fromEntries(Object.entries(i).filter(([k]) => !KNOWN_ISSUE_KEYS.has(k)));
      return Object.keys(extra).length ? extra : null;
    },
    statusCategory: (i: Issue, _: Args, { loaders }: GqlContext) =>
      categoryOf(i.status, loaders.customStatuses()) ?? "unspecified",
    labels: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.labels.load(i.id),
    dependencies: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.dependencies.load(i.id),
    dependents: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.dependents.load(i.id),
    blockedBy: async (i: Issue, _: Args, { loaders }: GqlContext) => {
      const edges = (await loaders.dependencies.load(i.id)).filter((d) => d.type === "blocks");
      return activeIssues(await loaders.issue.loadMany(edges.map((d) => d.depends_on_id)), loaders.customStatuses());
    },
    blocks: async (i: Issue, _: Args, { loaders }: GqlContext) => {
      const edges = (await loaders.dependents.load(i.id)).filter((d) => d.type === "blocks");
      return activeIssues(await loaders.issue.loadMany(edges.map((d) => d.issue_id)), loaders.customStatuses());
    },
    parent: async (i: Issue, _: Args, { loaders }: GqlContext) => {
      const parent = await loaders.parent.load(i.id);
      return parent ? loaders.issue.load(parent) : null;
    },
    children: async (i: Issue, _: Args, { loaders }: GqlContext) => {
      const ids = await loaders.children.load(i.id);
      return (await loaders.issue.loadMany(ids)).filter((x): x is Issue => !!x && !(x instanceof Error));
    },
    dependencyCount: async (i: Issue, _: Args, { loaders }: GqlContext) =>
      (await loaders.dependencyCounts.load(i.id))[0],
    dependentCount: async (i: Issue, _: Args, { loaders }: GqlContext) =>
      (await loaders.dependencyCounts.load(i.id))[1],
    comments: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.comments.load(i.id),
    events: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.events.load(i.id),
    isReady: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.ready.load(i.id),
    isBlocked: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.blocked.load(i.id),
    unblocks: (i: Issue, _: Args, { loaders }: GqlContext) => loaders.unblocks.load(i.id),
  },
  Dependency: {
    issueId: (d: Args) => d.issue_id,
    dependsOnId: (d: Args) => d.depends_on_id,
    createdAt: (d: Args) => d.created_at,
    createdBy: (d: Args) => d.created_by ?? null,
    // Fields an import brought that bd does not know (metadata, thread_id, ...).
    extra: (d: Args) => {
      const known = new Set(["issue_id", "depends_on_id", "type", "created_at", "created_by"]);
      const extra = Object.fromEntries(Object.entries(d).filter(([k]) => !known.has(k)));
      return Object.keys(extra).length ? extra : null;
    },
    issue: (d: Args, _: Args, { loaders }: GqlContext) => loaders.issue.load(d.issue_id),
    dependsOn: (d: Args, _: Args, { loaders }: GqlContext) => loaders.issue.load(d.depends_on_id),
  },
  Comment: {
    issueId: (c: Args) => c.issue_id,
    createdAt: (c: Args) => c.created_at,
  },
  Event: {
    issueId: (e: Args) => e.issue_id,
    eventType: (e: Args) => e.event_type,
    oldValue: (e: Args) => e.old_value,
    newValue: (e: Args) => e.new_value,
    createdAt: (e: Args) => e.created_at,
  },
};
