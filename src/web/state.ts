/// <reference lib="dom" />
/** The page's state: the route (from the URL hash) and a tick that moves when data changed. */
import { signal } from "@preact/signals";
import { followEvents } from "./gql.ts";

export interface Route {
  view: "ready" | "triage" | "board" | "list" | "issue" | "epics" | "graph" | "ext";
  arg?: string;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  const [view, ...rest] = path.split("/");
  const known = ["ready", "triage", "board", "list", "issue", "epics", "graph", "ext"];
  return {
    view: (known.includes(view) ? view : "ready") as Route["view"],
    arg: rest.length ? decodeURIComponent(rest.join("/")) : undefined,
    params: new URLSearchParams(query),
  };
}

export const route = signal<Route>(parse(location.hash));
addEventListener("hashchange", () => (route.value = parse(location.hash)));

export function go(path: string): void {
  location.hash = `#/${path}`;
}

/** Moves whenever something changed on the server (any process): views re-read when it does. */
export const tick = signal(0);
/** The most recent change, for the status line. */
export const lastEvent = signal<{ issueId: string; eventType: string; actor: string } | null>(null);

let pending: ReturnType<typeof setTimeout> | undefined;
export function changed(): void {
  clearTimeout(pending);
  pending = setTimeout(() => tick.value++, 80);
}

export function startLive(): () => void {
  return followEvents((e) => {
    lastEvent.value = e;
    changed();
  });
}

/** A short-lived message at the bottom of the page (errors of writes, confirmations). */
export const toast = signal<{ text: string; error: boolean } | null>(null);
export function say(text: string, error = false): void {
  toast.value = { text, error };
  setTimeout(() => {
    if (toast.value?.text === text) toast.value = null;
  }, 4000);
}
