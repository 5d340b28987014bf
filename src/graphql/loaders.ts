/** Per-request DataLoaders: nested fields of many issues load in one statement each (no N+1). */
import DataLoader from "dataloader";
import type { Beads } from "../core/service.ts";
import type { Comment, Dependency, Issue, IssueEvent } from "../model/types.ts";

function fromMap<V>(fetch: (ids: readonly string[]) => Map<string, V>, empty: () => V) {
  return new DataLoader<string, V>((ids) => {
    const found = fetch(ids);
    return Promise.resolve(ids.map((id) => found.get(id) ?? empty()));
  });
}

function fromSet(fetch: (ids: readonly string[]) => Set<string>) {
  return new DataLoader<string, boolean>((ids) => {
    const set = fetch(ids);
    return Promise.resolve(ids.map((id) => set.has(id)));
  });
}

/** Returns fresh loaders bound to one request's service view. */
export function createLoaders(beads: Beads) {
  return {
    issue: new DataLoader<string, Issue | null>((ids) => {
      const byId = new Map(beads.issuesById(ids).map((i) => [i.id, i]));
      return Promise.resolve(ids.map((id) => byId.get(id) ?? null));
    }),
    labels: fromMap<string[]>((ids) => beads.labelsFor(ids), () => []),
    dependencies: fromMap<Dependency[]>((ids) => beads.dependenciesFor(ids), () => []),
    dependents: fromMap<Dependency[]>((ids) => beads.dependentsFor(ids), () => []),
    comments: fromMap<Comment[]>((ids) => beads.commentsFor(ids), () => []),
    events: fromMap<IssueEvent[]>((ids) => beads.eventsFor(ids), () => []),
    blocked: fromSet((ids) => beads.blockedAmong(ids)),
    ready: fromSet((ids) => beads.readyAmong(ids)),
    unblocks: fromMap<number>((ids) => beads.unblocksOf(ids), () => 0),
    /** Parent and children by the parent rule (the edge, else the hierarchical ID). */
    parent: fromMap<string | null>((ids) => beads.parentsOf(ids), () => null),
    children: fromMap<string[]>((ids) => beads.childrenOf(ids), () => []),
    /** Upstream's dependency_count / dependent_count: blocks edges out and in. */
    dependencyCounts: fromMap<[number, number]>((ids) => beads.dependencyCounts(ids), () => [0, 0]),
    /** The workspace's custom statuses, read once per request (they decide which blockers are done). */
    customStatuses: once(() => beads.customStatuses()),
  };
}

/** A value computed on first use and kept for the rest of the request. */
function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

export type Loaders = ReturnType<typeof createLoaders>;
