/** @jsxImportSource preact */
/// <reference lib="dom" />
/**
 * The dependency graph of an issue's neighbourhood (or an epic), of every open issue, or of the
 * critical path alone (`?critical=1`), laid out top-down by dagre: nodes coloured ready / blocked /
 * in progress / closed, edges styled by type, the critical path (bd triage) drawn over them;
 * click a node to open it; drag to pan, wheel (or the buttons, or + / - / 0 / 1) to zoom. A graph
 * that fits the frame at a readable size is shown whole; a larger one opens at full size at its
 * top, to be panned, rather than shrunk until nothing can be read.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import dagre from "@dagrejs/dagre";
import { gql, type Json } from "../gql.ts";
import { go, route } from "../state.ts";
import { Problem, stateOf, useLive } from "./common.tsx";

/** Beyond this many issues a drawing is unreadable (and slow): the page says so and draws the first ones. */
export const NODE_CAP = 300;
const NODE = "id title status isReady isBlocked dependencies { type dependsOnId }";

interface Loaded {
  nodes: Json[];
  total: number;
  /** The critical path's IDs, in order (bd triage). */
  critical: string[];
}

async function load(id: string | null, criticalOnly: boolean): Promise<Loaded> {
  const path: Json = await gql(`{ triage(limit: 1) { criticalPath { ${NODE} } } }`);
  const critical = path.triage.criticalPath.map((n: Json) => n.id as string);
  if (criticalOnly) return { nodes: path.triage.criticalPath, total: critical.length, critical };
  return { ...(await neighbourhood(id)), critical };
}

async function neighbourhood(id: string | null): Promise<{ nodes: Json[]; total: number }> {
  if (id) {
    const q = `query($id: ID!) {
      down: dependencyTree(id: $id, direction: DOWN, maxDepth: 20) { issue { ${NODE} } }
      up: dependencyTree(id: $id, direction: UP, maxDepth: 20) { issue { ${NODE} } } }`;
    const d = await gql(q, { id });
    const byId = new Map<string, Json>();
    for (const n of [...d.down, ...d.up]) byId.set(n.issue.id, n.issue);
    return { nodes: [...byId.values()].slice(0, NODE_CAP), total: byId.size };
  }
  const nodes: Json[] = [];
  let after: string | null = null, total = 0;
  while (nodes.length < NODE_CAP) {
    const d: Json = await gql(
      `query($a: String) { issues(first: 100, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { ${NODE} } } }`,
      { a: after },
    );
    total = d.issues.totalCount;
    nodes.push(...d.issues.nodes);
    if (!d.issues.pageInfo.hasNextPage) break;
    after = d.issues.pageInfo.endCursor;
  }
  return { nodes: nodes.slice(0, NODE_CAP), total };
}

/** Below this scale node text is too small to read: a larger graph opens at full size instead. */
const READABLE = 0.65;
const MIN_SCALE = 0.05, MAX_SCALE = 3;

type View = { x: number; y: number; k: number };

/** The view that shows the whole layout in a frame of w × h pixels, centred. */
function fitView(w: number, h: number, width: number, height: number): View {
  const k = Math.min(w / width, h / height, 1);
  return { k, x: (w - width * k) / 2, y: (h - height * k) / 2 };
}

/** Full size, the top of the layout at the top of the frame, centred across. */
function actualView(w: number, width: number): View {
  return { k: 1, x: (w - width) / 2, y: 0 };
}

/** The opening view: the whole graph when it is readable so, else full size at its top. */
function openingView(w: number, h: number, width: number, height: number): View {
  const fit = fitView(w, h, width, height);
  return fit.k >= READABLE ? fit : actualView(w, width);
}

/** Zooms by `factor` keeping the point (px, py) of the frame where it is. */
function zoomAt(v: View, factor: number, px: number, py: number): View {
  const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.k * factor));
  return { k, x: px - (px - v.x) * (k / v.k), y: py - (py - v.y) * (k / v.k) };
}

export function GraphView() {
  const id = route.value.params.get("id");
  const criticalOnly = route.value.params.get("critical") === "1";
  const live = useLive(() => load(id, criticalOnly), [id, criticalOnly]);
  // Another issue's graph (or its error) is not shown under this heading while this one loads.
  const data = live.stale ? undefined : live.data, error = live.stale ? undefined : live.error;
  const [view, setView] = useState<View | null>(null);
  const [frame, setFrame] = useState<{ w: number; h: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const layout = useMemo(() => {
    if (!data) return null;
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 48, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    const ids = new Set(data.nodes.map((n) => n.id));
    for (const n of data.nodes) g.setNode(n.id, { width: 170, height: 46, issue: n });
    const edges: { from: string; to: string; type: string }[] = [];
    const onPath = new Map(data.critical.map((c, i) => [c, i]));
    const pathStep = (from: string, to: string) => onPath.has(from) && onPath.get(to) === onPath.get(from)! + 1;
    for (const n of data.nodes) {
      for (const d of n.dependencies) {
        if (!ids.has(d.dependsOnId)) continue;
        // Draw what something depends on above it: the edge goes from the blocker down to the issue.
        const critical = d.type === "blocks" && pathStep(d.dependsOnId, n.id);
        g.setEdge(d.dependsOnId, n.id, { type: d.type, critical }, `${n.id}|${d.type}`);
        edges.push({ from: d.dependsOnId, to: n.id, type: d.type });
      }
    }
    // A step of the path that is no edge of its own (the issue is blocked through its parent).
    for (let i = 1; i < data.critical.length; i++) {
      const [from, to] = [data.critical[i - 1], data.critical[i]];
      if (ids.has(from) && ids.has(to) && !edges.some((e) => e.from === from && e.to === to && e.type === "blocks")) {
        g.setEdge(from, to, { type: "inherited", critical: true }, `${to}|critical`);
      }
    }
    dagre.layout(g);
    const size = g.graph() as { width?: number; height?: number };
    return { g, edges, onPath, width: Math.max(size.width ?? 1, 1), height: Math.max(size.height ?? 1, 1) };
  }, [data]);
  // The frame's size in pixels: the drawing is placed in pixels, not stretched to the frame.
  useLayoutEffect(() => {
    const el = svg.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setFrame((f) => (f && f.w === r.width && f.h === r.height ? f : { w: r.width, h: r.height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [layout !== null]);
  // Another issue's graph opens at its own view; live changes to the same graph keep the reader's.
  const viewFor = useRef<string | null>(null);
  useEffect(() => {
    const subject = `${id ?? ""}|${criticalOnly}`;
    if (!layout || !frame || viewFor.current === subject) return;
    viewFor.current = subject;
    setView(openingView(frame.w, frame.h, layout.width, layout.height));
  }, [layout, frame !== null]);
  const zoomBy = (factor: number) => frame && setView((v) => (v ? zoomAt(v, factor, frame.w / 2, frame.h / 2) : v));
  const fit = () => frame && layout && setView(fitView(frame.w, frame.h, layout.width, layout.height));
  const actual = () => frame && layout && setView(actualView(frame.w, layout.width));
  return (
    <section aria-labelledby="graph-h" class="graph-view">
      <h1 id="graph-h">
        Graph {criticalOnly
          ? <span class="count">critical path</span>
          : id
          ? <span class="id">{id}</span>
          : <span class="count">open issues</span>}
      </h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const v = ((e.target as HTMLFormElement).elements.namedItem("gid") as HTMLInputElement).value.trim();
          go(v ? `graph?id=${encodeURIComponent(v)}` : "graph");
        }}
      >
        <input
          name="gid"
          aria-label="Issue or epic to center on"
          placeholder="issue or epic ID (empty: open issues)"
          value={id ?? ""}
        />
        <button type="submit">Show</button>
        <span class="legend">
          <span class="status ready">ready</span> <span class="status blocked">blocked</span>{" "}
          <span class="status in-progress">in progress</span> <span class="status closed">closed</span>{" "}
          <span class="status critical">critical path</span>{" "}
          {criticalOnly ? <a href="#/graph">all open issues</a> : <a href="#/graph?critical=1">critical path only</a>}
        </span>
      </form>
      <Problem error={error} />
      {data && data.total > data.nodes.length
        ? (
          <p class="notice" role="status">
            {data.total} issues: showing the first{" "}
            {data.nodes.length}. Center on an issue or epic to see its part of the graph.
          </p>
        )
        : null}
      {layout
        ? (
          <div class="graph-frame">
            <div class="zoom" role="toolbar" aria-label="Zoom">
              <button
                type="button"
                aria-label="Zoom in"
                onClick={() => zoomBy(1.25)}
              >
                +
              </button>
              <button type="button" aria-label="Zoom out" onClick={() => zoomBy(0.8)}>−</button>
              <button type="button" onClick={fit}>Fit</button>
              <button type="button" aria-label="Actual size" title="Actual size (1)" onClick={actual}>1:1</button>
              <span class="scale" aria-live="polite">{view ? `${Math.round(view.k * 100)}%` : ""}</span>
            </div>
            <svg
              ref={svg}
              class="graph"
              role="img"
              tabIndex={0}
              viewBox={frame ? `0 0 ${frame.w} ${frame.h}` : undefined}
              aria-label={`Dependency graph with ${
                data!.nodes.length
              } issues (drag to pan; + and - zoom, 0 fits, 1 is full size)`}
              onWheel={(e) => {
                e.preventDefault();
                const r = svg.current!.getBoundingClientRect();
                setView((
                  v,
                ) => (v ? zoomAt(v, e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - r.left, e.clientY - r.top) : v));
              }}
              onKeyDown={(e) => {
                if (e.target !== svg.current) return;
                if (e.key === "+" || e.key === "=") zoomBy(1.25);
                else if (e.key === "-") zoomBy(0.8);
                else if (e.key === "0") fit();
                else if (e.key === "1") actual();
              }}
              onPointerDown={(e) => view && (drag.current = { x: e.clientX - view.x, y: e.clientY - view.y })}
              onPointerMove={(e) =>
                drag.current &&
                setView((v) => (v ? { ...v, x: e.clientX - drag.current!.x, y: e.clientY - drag.current!.y } : v))}
              onPointerUp={() => (drag.current = null)}
              onPointerLeave={() => (drag.current = null)}
            >
              <defs>
                <marker
                  id="arrow"
                  viewBox="0 0 10 10"
                  refX="9"
                  refY="5"
                  markerWidth="6"
                  markerHeight="6"
                  orient="auto-start-reverse"
                >
                  <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
              </defs>
              <g transform={view ? `translate(${view.x},${view.y}) scale(${view.k})` : "scale(0)"}>
                {layout.g.edges().map((e) => {
                  const edge = layout.g.edge(e) as {
                    points: { x: number; y: number }[];
                    type: string;
                    critical?: boolean;
                  };
                  const d = edge.points.map((p, n) => `${n ? "L" : "M"}${p.x},${p.y}`).join(" ");
                  return (
                    <path
                      key={`${e.v}-${e.w}-${e.name}`}
                      d={d}
                      class={`edge ${edge.type}${edge.critical ? " critical" : ""}`}
                      marker-end="url(#arrow)"
                    />
                  );
                })}
                {layout.g.nodes().map((nid) => {
                  const n = layout.g.node(nid) as { x: number; y: number; width: number; height: number; issue: Json };
                  return (
                    <g
                      key={nid}
                      class={`node ${stateOf(n.issue)}${layout.onPath.has(nid) ? " critical" : ""}`}
                      transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}
                      data-id={nid}
                      tabIndex={0}
                      role="link"
                      aria-label={`${nid} ${n.issue.title}`}
                      onClick={() => go(`issue/${encodeURIComponent(nid)}`)}
                      onKeyDown={(e) => e.key === "Enter" && go(`issue/${encodeURIComponent(nid)}`)}
                    >
                      <rect width={n.width} height={n.height} rx={6} />
                      <text x={8} y={18} class="nid">{nid}</text>
                      <text x={8} y={36} class="ntitle">
                        {n.issue.title.length > 24 ? n.issue.title.slice(0, 23) + "…" : n.issue.title}
                      </text>
                    </g>
                  );
                })}
              </g>
            </svg>
          </div>
        )
        : error
        ? null
        : <p class="loading">Laying out…</p>}
    </section>
  );
}
