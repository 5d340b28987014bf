/**
 * The dependency graph as text people can draw: Graphviz dot and Mermaid, for `bd graph` and
 * `bd list --format`. Nodes are coloured by state (ready, blocked, in progress, closed); edges are
 * styled by type.
 */
import type { Dependency, Issue } from "../model/types.ts";
import type { BeadsContext } from "./context.ts";
import { categoryOf } from "../model/status_categories.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  "blockedAmong" | "customStatuses" | "dependenciesFor" | "dependencyTree" | "issuesById" | "readyAmong"
>;

export type GraphFormat = "dot" | "mermaid";

export interface Graph {
  nodes: Issue[];
  edges: Dependency[];
  blocked: Set<string>;
  /** The IDs of nodes whose status is terminal (closed, or a custom `done` status). */
  done: Set<string>;
  /** The IDs of nodes that are ready (the ready rule). */
  ready: Set<string>;
}

/** The most issues a graph holds: beyond this, drawings stop being readable (and fast). */
export const GRAPH_NODE_CAP = 2000;

/** Collects the graph around an issue (what it depends on and what depends on it), or of `issues`. */
export function collectGraph(beads: Ctx, opts: { id?: string; issues?: Issue[] }): Graph {
  let nodes: Issue[];
  if (opts.id) {
    const down = beads.dependencyTree(opts.id, { direction: "down", maxDepth: 50 });
    const up = beads.dependencyTree(opts.id, { direction: "up", maxDepth: 50 });
    nodes = beads.issuesById([...new Set([...down, ...up].map((n) => n.id))]);
  } else nodes = opts.issues ?? [];
  if (nodes.length > GRAPH_NODE_CAP) nodes = nodes.slice(0, GRAPH_NODE_CAP);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = [...beads.dependenciesFor([...ids]).values()].flat().filter((d) => ids.has(d.depends_on_id));
  const custom = beads.customStatuses();
  const done = new Set(nodes.filter((n) => categoryOf(n.status, custom) === "done").map((n) => n.id));
  return { nodes, edges, blocked: beads.blockedAmong([...ids]), done, ready: beads.readyAmong([...ids]) };
}

function state(i: Issue, g: Graph): "closed" | "in_progress" | "blocked" | "ready" {
  if (g.done.has(i.id)) return "closed";
  if (i.status === "in_progress") return "in_progress";
  return g.ready.has(i.id) ? "ready" : "blocked";
}

const FILL = { ready: "#c8f7c5", blocked: "#f7c5c5", in_progress: "#fdf1b8", closed: "#dddddd" };
const DOT_EDGE: Record<string, string> = {
  blocks: "solid",
  "parent-child": "bold",
  related: "dashed",
  "discovered-from": "dotted",
};

const quote = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** Renders the graph as Graphviz dot or Mermaid (edges point from an issue to what it depends on). */
export function renderGraph(g: Graph, format: GraphFormat): string {
  if (format === "dot") {
    const lines = [
      "digraph bd {",
      "  rankdir=TB;",
      '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    ];
    for (const n of g.nodes) {
      const label = `${quote(n.id).slice(0, -1)}\\n${quote(n.title).slice(1)}`; // two lines: ID, title
      lines.push(`  ${quote(n.id)} [label=${label}, fillcolor=${quote(FILL[state(n, g)])}];`);
    }
    for (const e of g.edges) {
      lines.push(
        `  ${quote(e.issue_id)} -> ${quote(e.depends_on_id)} [label=${quote(e.type)}, style=${
          DOT_EDGE[e.type] ?? "solid"
        }];`,
      );
    }
    lines.push("}");
    return lines.join("\n");
  }
  const key = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["graph TD"];
  for (const n of g.nodes) {
    const label = `${n.id}: ${n.title}`.replaceAll('"', "#quot;");
    lines.push(`  ${key.get(n.id)}["${label}"]:::${state(n, g)}`);
  }
  for (const e of g.edges) {
    const arrow = e.type === "related" || e.type === "discovered-from"
      ? "-.->"
      : e.type === "parent-child"
      ? "==>"
      : "-->";
    lines.push(`  ${key.get(e.issue_id)} ${arrow}|${e.type}| ${key.get(e.depends_on_id)}`);
  }
  for (const [s, fill] of Object.entries(FILL)) lines.push(`  classDef ${s} fill:${fill}`);
  return lines.join("\n");
}
