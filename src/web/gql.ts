/// <reference lib="dom" />
/**
 * The page's only way to the server: GraphQL over fetch (the actor as X-BD-Actor, the token as a
 * bearer header) and the issueEvents subscription over SSE read with fetch, so that the token
 * travels in a header there too (EventSource cannot send one, and a token in a URL leaks).
 */
import { signal } from "@preact/signals";

// deno-lint-ignore no-explicit-any
export type Json = any;

export const actor = signal(localStorage.getItem("bd.actor") ?? "");
export const token = signal(sessionStorage.getItem("bd.token") ?? "");
/** Set when the server answered 401: the page asks for the token. */
export const needsToken = signal(false);
/** live | connecting | offline */
export const liveState = signal<"live" | "connecting" | "offline">("connecting");

/** Set while a write waits for the user to say who they are. */
export const actorWanted = signal(false);
let actorWaiters: (() => void)[] = [];

export function setActor(name: string): void {
  actor.value = name.trim();
  localStorage.setItem("bd.actor", actor.value);
  if (actor.value) {
    actorWanted.value = false;
    for (const w of actorWaiters) w();
    actorWaiters = [];
  }
}

/**
 * Resolves once the page knows the actor: a named token's name (the server says so: writes are
 * recorded under it whatever the page sends), else the name the user gave, asked the first time.
 */
export async function ensureActor(): Promise<void> {
  if (token.value) {
    try {
      const { viewer } = await gql<{ viewer: { tokenName: string | null } }>("{ viewer { tokenName } }", {}, {
        withActor: false,
      });
      if (viewer.tokenName) {
        if (actor.value !== viewer.tokenName) setActor(viewer.tokenName);
        return;
      }
    } catch { /* an older server: ask as before */ }
  }
  if (actor.value) return;
  actorWanted.value = true;
  return new Promise((resolve) => actorWaiters.push(resolve));
}

export function setToken(value: string): void {
  token.value = value.trim();
  sessionStorage.setItem("bd.token", token.value);
  needsToken.value = false;
}

function headers(extra: Record<string, string> = {}, withActor = true): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json", ...extra };
  if (actor.value && withActor) h["x-bd-actor"] = actor.value;
  if (token.value) h.authorization = `Bearer ${token.value}`;
  return h;
}

/** An error the server reported, with its code (VALIDATION, CYCLE, NOT_FOUND, ...). */
export class GqlError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/**
 * Runs a query or mutation; throws GqlError with the server's message and code. `withActor: false`
 * leaves the actor out (asking the server who a token acts as).
 */
export async function gql<T = Json>(
  query: string,
  variables: Record<string, unknown> = {},
  opts: { withActor?: boolean } = {},
): Promise<T> {
  const res = await fetch("/graphql", {
    method: "POST",
    headers: headers({}, opts.withActor ?? true),
    body: JSON.stringify({ query, variables }),
  });
  if (res.status === 401) {
    needsToken.value = true;
    throw new GqlError("the server needs a token", "UNAUTHENTICATED");
  }
  const body = await res.json();
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GqlError(e.message, e.extensions?.code ?? "ERROR");
  }
  return body.data as T;
}

/**
 * Follows issueEvents: calls `onEvent` for every change (including other processes' writes),
 * reconnecting with a growing pause after errors or a server restart. Returns a stop function.
 */
export function followEvents(onEvent: (e: Json) => void): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let since: number | undefined;
  const run = async () => {
    let pause = 250;
    while (!stopped) {
      controller = new AbortController();
      try {
        liveState.value = "connecting";
        const query =
          `subscription($since: Int) { issueEvents(since: $since) { id issueId eventType actor createdAt } }`;
        const res = await fetch("/graphql", {
          method: "POST",
          headers: headers({ accept: "text/event-stream" }),
          body: JSON.stringify({ query, variables: since === undefined ? {} : { since } }),
          signal: controller.signal,
        });
        if (res.status === 401) needsToken.value = true;
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        liveState.value = "live";
        pause = 250;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const chunk = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = chunk.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("");
            if (!data) continue;
            const event = JSON.parse(data)?.data?.issueEvents;
            if (event) {
              since = event.id;
              onEvent(event);
            }
          }
        }
      } catch { /* reconnect below */ }
      if (stopped) break;
      liveState.value = "offline";
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 5000);
    }
  };
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** What `bd serve --sync-every` reports of its git rounds (on /healthz, to a page with the token). */
export interface SyncHealth {
  rounds: number;
  failures: number;
  running: boolean;
  last_ok_at?: string;
  last_error?: string;
}

/** The server's sync status, or null when it does not sync (or the page may not see it). */
export async function syncHealth(): Promise<SyncHealth | null> {
  try {
    const res = await fetch("/healthz", { headers: headers() });
    return ((await res.json()) as { sync?: SyncHealth }).sync ?? null;
  } catch {
    return null;
  }
}
