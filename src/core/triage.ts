/**
 * `bd triage`, `ready --sort impact`, GraphQL's `triage` and `Issue.unblocks`: what to work on to
 * unblock the most, from one analysis (triage_graph.ts) over the open work the store reads.
 */
import type { BeadsContext } from "./context.ts";
import * as impact from "../store/impact.ts";
import { blockedNodes, descendants, longestChain, type TriageGraph, triageGraph, unblocksAll } from "./triage_graph.ts";
import { validation } from "../model/errors.ts";
import { toMillis } from "../model/time.ts";
import type { Issue, IssueFilter } from "../model/types.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "cycles" | "db" | "ready" | "resolveFilter">;

/** One open issue in a triage answer, with the open issues it blocks, transitively. */
export type TriageItem = Omit<impact.OpenNode, "created_at" | "updated_at" | "ready"> & { unblocks: number };

export interface Triage {
  /** Counts of the open work: not closed, ready, blocked, in progress. */
  open: number;
  ready: number;
  blocked: number;
  in_progress: number;
  /** The longest chain of open issues each blocked by the previous one, from the one that can start first. */
  critical_path: TriageItem[];
  /** Open issues that block the most, with the issues that depend on them directly (`blocks`). */
  bottlenecks: (TriageItem & { blocks: string[] })[];
  /** Ready issues that unblock the most. */
  quick_wins: TriageItem[];
  /** In-progress issues not updated for `stale_days` days, oldest first. */
  stale: (TriageItem & { updated_at: string; days_stale: number })[];
  stale_days: number;
  /** Dependency cycles, each as its issue IDs. */
  cycles: string[][];
  /** Open epics: open issues under them, and their own critical path. */
  epics: { id: string; title: string; status: string; remaining: number; critical_path: string[] }[];
}

interface Analysis {
  nodes: impact.OpenNode[];
  graph: TriageGraph;
  unblocks: Int32Array;
}

function analyse(beads: Ctx): Analysis {
  const data = impact.openGraph(beads.db);
  const graph = triageGraph({ ids: data.nodes.map((n) => n.id), blocks: data.blocks, parents: data.parents });
  return { nodes: data.nodes, graph, unblocks: unblocksAll(graph) };
}

/** Orders by priority, then age, then ID: the tie-break everywhere in triage. */
function byPriority(nodes: impact.OpenNode[]): (i: number) => number {
  const order = nodes.map((_, i) => i).sort((a, b) =>
    nodes[a].priority - nodes[b].priority ||
    toMillis(nodes[a].created_at) - toMillis(nodes[b].created_at) ||
    (nodes[a].id < nodes[b].id ? -1 : 1)
  );
  const rank = new Int32Array(nodes.length);
  order.forEach((node, r) => (rank[node] = r));
  return (i) => rank[i];
}

/** The whole triage answer (limit: rows per list, 0 = all). */
export function triage(beads: Ctx, opts: { limit?: number; staleDays?: number; now?: Date } = {}): Triage {
  const limit = opts.limit ?? 10;
  const staleDays = opts.staleDays ?? 3;
  if (!Number.isInteger(limit) || limit < 0) throw validation(`invalid limit ${limit}: use 0 (all) or more`);
  if (!(staleDays >= 0)) throw validation(`invalid stale days ${staleDays}: use 0 or more`);
  const { nodes, graph, unblocks } = analyse(beads);
  rememberUnblocks(beads, nodes, unblocks);
  const rank = byPriority(nodes);
  const item = (i: number): TriageItem => ({
    id: nodes[i].id,
    title: nodes[i].title,
    status: nodes[i].status,
    priority: nodes[i].priority,
    issue_type: nodes[i].issue_type,
    assignee: nodes[i].assignee ?? null,
    unblocks: unblocks[i],
  });
  const cut = <T>(list: T[]) => (limit > 0 ? list.slice(0, limit) : list);
  const byImpact = (a: number, b: number) => unblocks[b] - unblocks[a] || rank(a) - rank(b);
  const all = nodes.map((_, i) => i);
  const blocking = all.filter((i) => unblocks[i] > 0).sort(byImpact);
  const now = (opts.now ?? new Date()).getTime();
  const staleBefore = now - staleDays * 86400e3;
  const epics = all.filter((i) => nodes[i].issue_type === "epic").sort((a, b) => rank(a) - rank(b));
  const blocked = blockedNodes(graph);
  return {
    open: nodes.length,
    ready: all.filter((i) => nodes[i].ready).length,
    blocked: all.filter((i) => blocked[i] === 1).length,
    in_progress: all.filter((i) => nodes[i].status === "in_progress").length,
    critical_path: longestChain(graph, rank).map(item),
    bottlenecks: cut(blocking).map((i) => ({ ...item(i), blocks: graph.blocksOut[i].map((t) => graph.ids[t]) })),
    quick_wins: cut(blocking.filter((i) => nodes[i].ready)).map(item),
    stale: cut(
      all.filter((i) => nodes[i].status === "in_progress" && toMillis(nodes[i].updated_at) < staleBefore)
        .sort((a, b) => toMillis(nodes[a].updated_at) - toMillis(nodes[b].updated_at)),
    ).map((i) => ({
      ...item(i),
      updated_at: nodes[i].updated_at,
      days_stale: Math.floor((now - toMillis(nodes[i].updated_at)) / 86400e3),
    })),
    stale_days: staleDays,
    cycles: beads.cycles().map((cycle) => cycle.map((i) => i.id)),
    epics: cut(epics).map((e) => {
      const under = descendants(graph, e);
      return {
        id: nodes[e].id,
        title: nodes[e].title,
        status: nodes[e].status,
        remaining: under.length,
        critical_path: under.length ? longestChain(graph, rank, new Set(under)).map((i) => graph.ids[i]) : [],
      };
    }),
  };
}

/** Keeps the counts for `ready --sort impact` and `Issue.unblocks` (only when the graph is as analysed). */
function rememberUnblocks(beads: Ctx, nodes: impact.OpenNode[], unblocks: Int32Array): void {
  beads.db.write(() => {
    if (impact.impactCacheFresh(beads.db)) return;
    impact.replaceImpactCache(beads.db, nodes.map((n, i) => [n.id, unblocks[i]] as const));
  });
}

/** Brings the kept unblocks counts up to date with the graph (a full analysis when it changed). */
function freshUnblocks(beads: Ctx): void {
  if (impact.impactCacheFresh(beads.db)) return;
  beads.db.write(() => {
    if (impact.impactCacheFresh(beads.db)) return; // another process did it meanwhile
    const { nodes, unblocks } = analyse(beads);
    impact.replaceImpactCache(beads.db, nodes.map((n, i) => [n.id, unblocks[i]] as const));
  });
}

/** How many open issues each of these issues blocks, transitively. */
export function unblocksOf(beads: Ctx, ids: readonly string[]): Map<string, number> {
  freshUnblocks(beads);
  return impact.keptUnblocks(beads.db, ids);
}

/**
 * Ready issues by impact: those that unblock the most first, then by priority, then by age.
 * The head comes from the kept counts; the rest (ready issues that unblock nothing) in priority order.
 * Each issue carries its count as `unblocks`.
 */
export function readyByImpact(beads: Ctx, filter: IssueFilter, limit: number): Issue[] {
  freshUnblocks(beads);
  const resolved = beads.resolveFilter(filter);
  const head = impact.readyByKeptImpact(beads.db, resolved, limit).map((r) => ({ ...r.issue, unblocks: r.unblocks }));
  if (limit > 0 && head.length >= limit) return head;
  // All ready issues that unblock something are in the head now; the rest unblock nothing.
  const seen = new Set(head.map((i) => i.id));
  const rest = beads.ready({ ...resolved, sort: "priority", limit: limit > 0 ? limit + head.length : 0 })
    .filter((i) => !seen.has(i.id)).map((i) => ({ ...i, unblocks: 0 }));
  const all = [...head, ...rest];
  return limit > 0 ? all.slice(0, limit) : all;
}
