/** @jsxImportSource preact */
/// <reference lib="dom" />
/** Pieces every view uses: loading data when the tick moves, issue rows, badges. */
import { useEffect, useState } from "preact/hooks";
import { tick } from "../state.ts";
import type { Card } from "../data.ts";

/** Loads `load()` now and again whenever the server reports a change (or `deps` change). */
/**
 * Loads data and reloads it on every live change. `stale` is true while what is shown was loaded
 * for other arguments (another issue, another graph): a view that names its subject shows
 * "loading" then, while a list may keep the previous page on screen.
 */
export function useLive<T>(
  load: () => Promise<T>,
  deps: unknown[] = [],
): { data?: T; error?: string; stale: boolean } {
  const [state, setState] = useState<{ data?: T; error?: string; key?: string }>({});
  const key = JSON.stringify(deps);
  const t = tick.value;
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, key }),
      (e) => live && setState((s) => ({ ...s, error: String(e?.message ?? e), key })),
    );
    return () => {
      live = false;
    };
  }, [t, ...deps]);
  return { data: state.data, error: state.error, stale: state.key !== undefined && state.key !== key };
}

export function stateOf(
  i: { status: string; statusCategory?: string; isReady?: boolean; isBlocked?: boolean },
): string {
  if (i.status === "closed" || i.statusCategory === "done") return "closed";
  // A custom wip status (in review, in QA) is work under way, as in_progress is.
  if (i.status === "in_progress" || (i.statusCategory === "wip" && i.status !== "blocked")) return "in-progress";
  if (i.isBlocked || i.status === "blocked") return "blocked";
  return i.isReady ? "ready" : "open";
}

export function Priority({ p }: { p: number }) {
  return <span class={`prio p${p}`} aria-label={`priority ${p}`}>P{p}</span>;
}

export function Status(
  { i }: { i: { status: string; statusCategory?: string; isReady?: boolean; isBlocked?: boolean } },
) {
  const s = stateOf(i);
  // A custom status shows its own name; built-in ones show the state they stand for.
  const custom = !["open", "in_progress", "blocked", "deferred", "closed"].includes(i.status);
  return <span class={`status ${s}`}>{s === "open" || custom ? i.status : s.replace("-", " ")}</span>;
}

/** One issue as a row: ID, priority, type, title, assignee, labels. */
export function IssueRow({ i, selected, extra }: { i: Card; selected?: boolean; extra?: preact.ComponentChildren }) {
  return (
    <li class={`row ${selected ? "selected" : ""}`} aria-selected={selected}>
      <a href={`#/issue/${encodeURIComponent(i.id)}`} class="row-link">
        <span class="id">{i.id}</span> <Priority p={i.priority} /> <span class="type">{i.issueType}</span>{" "}
        <span class="title">{i.title}</span>
      </a>
      <span class="meta">
        <Status i={i} />
        {i.assignee ? <span class="who">@{i.assignee}</span> : null}
        <Lease i={i} />
        {i.labels?.map((l) => <span class="label" key={l}>{l}</span>)}
        {extra}
      </span>
    </li>
  );
}

export function Problem({ error }: { error?: string }) {
  return error ? <p class="problem" role="alert">{error}</p> : null;
}

/** j/k move the selection, Enter opens it (lists of issues). */
export function useListKeys(count: number, open: (index: number) => void): number {
  const [sel, setSel] = useState(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement)?.closest("input, textarea, select")) return;
      if (e.key === "j") setSel((s) => Math.min(s + 1, Math.max(0, count - 1)));
      else if (e.key === "k") setSel((s) => Math.max(s - 1, 0));
      else if (e.key === "Enter" && count) open(sel);
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [count, sel]);
  return Math.min(sel, Math.max(0, count - 1));
}

/** A claim's lease: until when the holder keeps it, or that it lapsed (then anyone may take it over). */
export function Lease({ i }: { i: Pick<Card, "status" | "assignee" | "leaseExpiresAt"> }) {
  if (!i.leaseExpiresAt || i.status !== "in_progress") return null;
  const at = new Date(i.leaseExpiresAt);
  const lapsed = at.getTime() <= Date.now();
  const time = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return (
    <span
      class={`lease ${lapsed ? "lapsed" : ""}`}
      title={`lease ${lapsed ? "lapsed at" : "until"} ${i.leaseExpiresAt}`}
    >
      {lapsed ? `lease lapsed ${time}` : `lease until ${time}`}
    </span>
  );
}
