/**
 * The GraphQL server on node:http (portable across Deno, Bun and Node, and measured faster than
 * Deno.serve for yoga), with auth, limits and graceful shutdown. The `bd serve` and `bd schema`
 * commands (src/cli/commands/server.ts) call it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import process from "node:process";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { printSchema } from "graphql";
import { BdError } from "../model/errors.ts";
import type { Beads } from "../core/service.ts";
import { createBdServer } from "./server.ts";
import { PAGE_PATHS, webResponse } from "./web_assets.ts";
import { type GuardPolicy, guardPolicy, refusal } from "./request_guard.ts";
import { CLI_ROUTE } from "../remote/protocol.ts";
import { hasNamedTokens, tokenOwner } from "../core/tokens.ts";
import { parseInterval, startSyncSchedule, type SyncSchedule } from "./sync_schedule.ts";

export interface ServeOptions {
  /** The workspace (opened by the caller). */
  beads: Beads;
  /** Environment (BD_SERVE_MAX_BODY, BD_SERVE_TIMEOUT_MS). */
  env: Record<string, string | undefined>;
  /** Announce the address as one JSON line (else a sentence). */
  json: boolean;
  host: string;
  port: number;
  token?: string;
  extensions?: string;
  /** Extra Host names accepted (reverse proxies, tunnels): `NAME` (any port) or `NAME:PORT`. */
  allowHosts?: string[];
  /** The one origin granted cross-origin access (CORS), if any. */
  corsOrigin?: string;
  /** Request body limit in bytes. */
  maxBodyBytes?: number;
  /** Per-request time limit in milliseconds (not applied to event streams). */
  timeoutMs?: number;
  /** Run `bd sync` this often (and after writes go quiet): `30s`, `5m`. */
  syncEvery?: string;
}

/** Every route the server answers; request_guard.ts runs before all of them (and before a 404). */
export const ROUTES = ["/healthz", "/graphql", "/mcp", CLI_ROUTE, ...PAGE_PATHS];

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Set by the server (never taken from a client) on a request authenticated with a named token. */
const TOKEN_NAME_HEADER = "x-bd-token-name";

function bearerOf(header: string | undefined): string {
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
}

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
  // Compare digests: equal length, constant time, and the token's length is not revealed.
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(given).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

const gqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** Resolves with `work`'s result, or "timeout" once `ms` have passed (the deadline of every route). */
async function beforeDeadline<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the request body up to `limit` bytes; returns undefined when it is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Runs the server until SIGINT/SIGTERM; resolves with the exit code. */
export async function runServer(opts: ServeOptions): Promise<number> {
  const token = opts.token || undefined;
  // Beyond loopback every data route needs a token, always: named ones (bd token add), or --token.
  const exposed = !LOOPBACK.test(opts.host);
  if (exposed && !token && !hasNamedTokens(opts.beads)) {
    throw new BdError(
      "USAGE",
      `binding to ${opts.host} exposes the tracker beyond this machine: mint named tokens (bd token add NAME) or give a bearer token with --token or BD_SERVE_TOKEN`,
    );
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new BdError("USAGE", `invalid --port ${opts.port}: use 0-65535`);
  }
  const beads = opts.beads;
  const maxBody = opts.maxBodyBytes ?? Number(opts.env.BD_SERVE_MAX_BODY ?? 1024 * 1024);
  const timeoutMs = opts.timeoutMs ?? Number(opts.env.BD_SERVE_TIMEOUT_MS ?? 15_000);
  const { yoga, feed } = createBdServer(beads, {
    extensionsPath: opts.extensions,
    corsOrigin: opts.corsOrigin,
    warn: (m) => process.stderr.write(`bd serve: warning: ${m}\n`),
  });
  let inFlight = 0;
  const streams = new Set<AbortController>();
  let shuttingDown = false;

  let policy: GuardPolicy | undefined; // known once the port is (--port 0 picks one)

  /** `/mcp`: MCP over Streamable HTTP (stateless: POST only); the SDK loads on the first call. */
  const serveMcp = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") {
      return sendJson(res, 405, { jsonrpc: "2.0", error: { code: -32000, message: "use POST" }, id: null }, {
        allow: "POST",
      });
    }
    // The same deadline as /graphql: a body that stalls does not hold its socket.
    const bytes = await beforeDeadline(readBody(req, maxBody), timeoutMs);
    if (bytes === "timeout") {
      sendJson(res, 503, gqlError(`request timed out after ${timeoutMs} ms`, "TIMEOUT"), { connection: "close" });
      req.destroy();
      return;
    }
    if (bytes === undefined) {
      return sendJson(res, 413, gqlError(`request body too large (limit ${maxBody} bytes)`, "PAYLOAD_TOO_LARGE"));
    }
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString("utf8"));
    } catch {
      return sendJson(res, 400, { jsonrpc: "2.0", error: { code: -32700, message: "parse error" }, id: null });
    }
    const { handleMcpRequest } = await import("../mcp/http.ts");
    await handleMcpRequest(beads, req, res, body);
  };

  /**
   * `/cli`: one bd command from `bd --server` (remote/route.ts), under the same body limit and
   * deadline as /graphql. The command module loads on the first call.
   */
  const serveCli = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST", code: "USAGE" }, { allow: "POST" });
    const answer = async () => {
      const bytes = await readBody(req, maxBody);
      if (bytes === undefined) {
        return { status: 413, body: { error: `request body too large (limit ${maxBody} bytes)`, code: "VALIDATION" } };
      }
      let body: unknown;
      try {
        body = JSON.parse(bytes.toString("utf8"));
      } catch {
        return { status: 400, body: { error: "the request body is not JSON", code: "VALIDATION" } };
      }
      const { runClientCommand } = await import("../remote/route.ts");
      const tokenName = req.headers[TOKEN_NAME_HEADER];
      return await runClientCommand(beads, body, {
        workspaceRoot: dirname(beads.paths.beadsDir),
        tokenName: typeof tokenName === "string" ? tokenName : undefined,
      });
    };
    const result = await beforeDeadline(answer(), timeoutMs);
    if (result === "timeout") {
      sendJson(res, 503, { error: `request timed out after ${timeoutMs} ms`, code: "TIMEOUT" }, {
        connection: "close",
      });
      req.destroy();
      return;
    }
    sendJson(res, result.status, result.body);
  };

  /**
   * Who is asking: the --token (any actor), a named token (acts as its name), or nobody, which
   * only a loopback server of a workspace without tokens accepts. New and revoked named tokens
   * count at once.
   */
  const authenticate = (req: IncomingMessage): { known: boolean; bearer: string; owner?: string } => {
    const bearer = bearerOf(req.headers.authorization);
    if (!bearer) return { known: !token && !exposed && !hasNamedTokens(beads), bearer };
    if (token && tokenMatches(token, req.headers.authorization)) return { known: true, bearer };
    const owner = tokenOwner(beads, bearer);
    return { known: owner !== undefined, bearer, owner };
  };

  let syncing: SyncSchedule | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Every response: never sniffed, never framed, no referrer. Pages add their own CSP.
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    res.setHeader("x-frame-options", "DENY");
    res.setHeader("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    // Before any route: a foreign Host or Origin, or a body that is not JSON (see request_guard.ts).
    const refused = policy ? refusal(policy, { method: req.method ?? "GET", headers: req.headers }) : undefined;
    if (!policy || refused) {
      req.resume(); // the body is not read
      return sendJson(
        res,
        refused?.status ?? 503,
        gqlError(refused?.message ?? "starting", refused?.code ?? "UNAVAILABLE"),
        { connection: "close" },
      );
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") {
      // Bare, it says only whether the server is up; sync details and errors need the token.
      const details = syncing && authenticate(req).known ? { sync: syncing.status() } : {};
      return sendJson(res, shuttingDown ? 503 : 200, { status: shuttingDown ? "stopping" : "ok", ...details });
    }
    const page = webResponse(req.method ?? "GET", url.pathname, String(req.headers.accept ?? ""));
    if (page) {
      res.writeHead(page.status, page.headers);
      return void res.end(req.method === "HEAD" ? undefined : page.body);
    }
    delete req.headers[TOKEN_NAME_HEADER]; // only this server sets it
    const { known, bearer, owner } = authenticate(req);
    if (!known) {
      return sendJson(
        res,
        401,
        gqlError(
          bearer ? "unknown or revoked token" : "missing bearer token (Authorization: Bearer <token>)",
          "UNAUTHENTICATED",
        ),
        { "www-authenticate": 'Bearer realm="bd"' },
      );
    }
    if (owner !== undefined) {
      const claimed = String(req.headers["x-bd-actor"] ?? "").trim();
      if (claimed && claimed !== owner) {
        return sendJson(
          res,
          403,
          gqlError(`X-BD-Actor ${claimed} does not match this token, which acts as ${owner}`, "USAGE"),
        );
      }
      // Every route below reads the actor from here: GraphQL, MCP, the event stream, /cli.
      req.headers["x-bd-actor"] = owner;
      req.headers[TOKEN_NAME_HEADER] = owner;
    }
    if (url.pathname === "/mcp") return await serveMcp(req, res);
    if (url.pathname === CLI_ROUTE) return await serveCli(req, res);
    if (url.pathname !== "/graphql") {
      return sendJson(res, 404, gqlError("not found: the API is at /graphql, the web UI at /", "NOT_FOUND"));
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBody) {
      return sendJson(res, 413, gqlError(`request body too large (limit ${maxBody} bytes)`, "PAYLOAD_TOO_LARGE"));
    }
    // One deadline for the whole request: reading the body (slow clients) and executing it.
    const abort = new AbortController();
    // The client went away before the response finished (req's "close" fires after its body is read).
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const run = async (): Promise<Response | "too-large"> => {
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req, maxBody);
      if (req.method !== "GET" && req.method !== "HEAD" && body === undefined) return "too-large";
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(url, {
        method: req.method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        signal: abort.signal,
      });
      return await yoga.fetch(request, {});
    };
    const response = await beforeDeadline(run(), timeoutMs);
    if (response === "timeout") {
      abort.abort();
      return sendJson(res, 503, gqlError(`request timed out after ${timeoutMs} ms`, "TIMEOUT"), {
        connection: "close",
      });
    }
    if (response === "too-large") {
      return sendJson(res, 413, gqlError(`request body too large (limit ${maxBody} bytes)`, "PAYLOAD_TOO_LARGE"));
    }
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out);
    if (!response.body) return void res.end();
    const isStream = (out["content-type"] ?? "").includes("text/event-stream");
    if (isStream) streams.add(abort);
    // Cancel the stream as soon as the client leaves or the server stops (not at the next ping).
    const reader = response.body.getReader();
    const cancel = () => reader.cancel().catch(() => {});
    abort.signal.addEventListener("abort", cancel);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || abort.signal.aborted) break;
        res.write(value);
      }
    } catch {
      /* client went away */
    } finally {
      abort.signal.removeEventListener("abort", cancel);
      streams.delete(abort);
      res.end();
    }
  };

  const server = createServer((req, res) => {
    inFlight++;
    handle(req, res).catch((e) => {
      process.stderr.write(`bd serve: request failed: ${e instanceof Error ? e.message : e}\n`);
      sendJson(res, 500, gqlError("internal error", "INTERNAL_SERVER_ERROR"));
    }).finally(() => inFlight--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once(
      "error",
      (e: NodeJS.ErrnoException) =>
        reject(
          new BdError(
            "USAGE",
            `cannot listen on ${opts.host}:${opts.port}: ${e.code === "EADDRINUSE" ? "the port is in use" : e.message}`,
          ),
        ),
    );
    server.listen(opts.port, opts.host, () => {
      const address = server.address();
      policy = guardPolicy({
        host: opts.host,
        port: typeof address === "object" && address ? address.port : opts.port,
        allowHosts: opts.allowHosts,
        corsOrigin: opts.corsOrigin,
        hostname: hostname(),
      });
      resolve();
    });
  });
  if (opts.syncEvery) {
    syncing = startSyncSchedule({
      everyMs: parseInterval(opts.syncEvery),
      cwd: dirname(beads.paths.beadsDir),
      env: opts.env,
      log: (m) => process.stderr.write(m + "\n"),
    });
    // Writes (ours and other processes') show as new events: a round follows once they go quiet.
    let seen = beads.lastEventId();
    const watch = setInterval(() => {
      const now = beads.lastEventId();
      if (now !== seen) (seen = now, syncing!.wrote());
    }, 500);
    server.once("close", () => clearInterval(watch));
  }
  // Signal handlers go in before the start-up line: a supervisor may signal as soon as it reads it.
  const stopped = new Promise<number>((resolve) => {
    const stop = () => {
      if (shuttingDown) return;
      shuttingDown = true;
      server.close();
      // Idle keep-alive connections would hold the process open until the client drops them.
      server.closeIdleConnections?.();
      for (const s of streams) s.abort();
      feed.close();
      void syncing?.stop();
      const deadline = Date.now() + 10_000;
      const wait = () => {
        if (inFlight === 0 || Date.now() > deadline) {
          server.closeAllConnections?.();
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          if (!opts.json) process.stderr.write("bd serve: stopped\n");
          resolve(0);
        } else setTimeout(wait, 20);
      };
      wait();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const url = `http://${host}:${port}/graphql`;
  if (opts.json) process.stdout.write(JSON.stringify({ url, port, database: beads.paths.dbPath }) + "\n");
  else {process.stdout.write(
      `bd serve: listening on ${url} (database ${beads.paths.dbPath}); web UI at ${
        url.replace(/graphql$/, "")
      }, GraphiQL at GET /graphql\n`,
    );}

  return await stopped;
}

/** Returns the effective SDL (core schema merged with the extension tables) and its problems. */
export function effectiveSchema(
  beads: Beads,
  extensions?: string,
): { sdl: string; problems: { level: string; message: string }[] } {
  const { schemas } = createBdServer(beads, { extensionsPath: extensions });
  return { sdl: printSchema(schemas.get()), problems: schemas.build?.problems ?? [] };
}
