/**
 * `bd --server URL ...`: sends the command to a `bd serve` as one request (protocol.ts) and hands
 * back what the server printed and its exit code. What the command reads on this machine (files,
 * standard input) is read here and sent along. Loaded only in remote mode; it needs nothing but
 * fetch, so GraphQL, the SDKs and the web bundle stay off this path.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BdError } from "../model/errors.ts";
import { VERSION } from "../version.ts";
import { resolveActor } from "../core/actor.ts";
import type { Parsed } from "../cli/args.ts";
import { fileArgs } from "../cli/remote_policy.ts";
import { CLI_ROUTE, type CliReply, type CliRequest, PASSED_ENV, PROTOCOL } from "./protocol.ts";

export interface RemoteRun {
  /** --server or $BD_SERVER. */
  url: string;
  argv: string[];
  parsed: Parsed;
  env: Record<string, string | undefined>;
  cwd: string;
  terminal: boolean;
}

/** Default time to wait for the server's answer; $BD_SERVER_TIMEOUT (seconds) changes it. */
const DEFAULT_TIMEOUT_S = 30;

/** Runs the command on the server; throws UNREACHABLE, UNAUTHENTICATED or INCOMPATIBLE when it cannot. */
export async function runRemote(r: RemoteRun): Promise<CliReply> {
  const endpoint = cliEndpoint(r.url);
  const token = r.parsed.globals.token ?? (r.env.BD_TOKEN || undefined);
  const request = buildRequest(r);
  const seconds = Number(r.env.BD_SERVER_TIMEOUT ?? DEFAULT_TIMEOUT_S);
  const timeoutMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_S) * 1000;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw unreachable(r.url, e, timeoutMs);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    throw unreachable(r.url, e, timeoutMs);
  }
  return replyFrom(r.url, response.status, text);
}

/** `http://host:4000`, `.../`, or the GraphQL URL `bd serve` prints: the remote-command route beside it. */
export function cliEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BdError("USAGE", `--server takes a URL such as http://127.0.0.1:4000, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new BdError("USAGE", `--server takes an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.username || parsed.password || parsed.search) {
    throw new BdError("USAGE", "--server takes a plain URL: the token goes in $BD_TOKEN, never in the URL");
  }
  const base = parsed.pathname.replace(/\/graphql\/?$/, "").replace(/\/+$/, "");
  return `${parsed.origin}${base}${CLI_ROUTE}`;
}

/** The command line without the client's own flags (--server, --token and their values). */
export function argvForServer(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (a === "--server" || a === "--token") {
      i++;
      continue;
    }
    if (a.startsWith("--server=") || a.startsWith("--token=")) continue;
    out.push(a);
  }
  return out;
}

function buildRequest(r: RemoteRun): CliRequest {
  const { parsed, cwd } = r;
  const files: Record<string, string> = {};
  const fileErrors: Record<string, string> = {};
  let wantsStdin = false;
  const read = (path: string) => {
    if (path === "-") {
      wantsStdin = true;
      return;
    }
    try {
      files[path] = readFileSync(resolve(cwd, path), "utf8");
    } catch (e) {
      fileErrors[path] = e instanceof Error ? e.message : String(e);
    }
  };
  for (const [name, spec] of Object.entries(parsed.command?.flags ?? {})) {
    const value = parsed.flags[name];
    if (spec.readsStdin && value === true) wantsStdin = true;
    if (!spec.readsFile || value === undefined || typeof value === "boolean") continue;
    for (const path of Array.isArray(value) ? value : [value]) read(path);
  }
  for (const at of fileArgs(parsed.command?.path ?? [])) {
    if (parsed.args[at] !== undefined) read(parsed.args[at]);
  }
  const env: Record<string, string> = {};
  for (const k of PASSED_ENV) if (r.env[k] !== undefined) env[k] = r.env[k]!;
  return {
    protocol: PROTOCOL,
    version: VERSION,
    argv: argvForServer(r.argv),
    actor: resolveActor(parsed.globals.actor, r.env, cwd),
    actorGiven: parsed.globals.actor !== undefined,
    ...(wantsStdin ? { stdin: readStdin() } : {}),
    files,
    fileErrors,
    env,
    terminal: r.terminal,
  };
}

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch {
    return "";
  }
}

/** A network failure as UNREACHABLE, naming the URL and what happened. */
function unreachable(url: string, e: unknown, timeoutMs: number): BdError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") {
    return new BdError(
      "UNREACHABLE",
      `the server at ${url} did not answer within ${timeoutMs / 1000} s ($BD_SERVER_TIMEOUT sets the wait)`,
    );
  }
  // Deno, Bun and Node word these differently: look at the code, then at the text.
  const said = `${err?.cause?.code ?? ""} ${err?.cause?.message ?? ""} ${err?.message ?? ""}`;
  const why = /ECONNREFUSED|connection refused/i.test(said)
    ? "connection refused (is bd serve running there?)"
    : /ENOTFOUND|EAI_AGAIN|dns error|failed to lookup|name resolution|getaddrinfo/i.test(said)
    ? "the host name does not resolve"
    : /ECONNRESET|connection reset|socket hang up|closed/i.test(said)
    ? "the connection was closed before an answer"
    : (err?.cause?.message ?? err?.message ?? String(e));
  return new BdError("UNREACHABLE", `cannot reach the server at ${url}: ${why}`);
}

/** The server's answer as the command's output, or the error that says why there is none. */
function replyFrom(url: string, status: number, text: string): CliReply {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON: said below */ }
  const said = serverMessage(body);
  if (status === 401) {
    throw new BdError(
      "UNAUTHENTICATED",
      `the server at ${url} refused the token${said ? ` (${said})` : ""}: set BD_TOKEN to a valid token`,
    );
  }
  if (status === 403) {
    throw new BdError("UNAUTHENTICATED", `the server at ${url} refused the request${said ? `: ${said}` : ""}`);
  }
  if (status === 404 || status === 405) {
    throw new BdError(
      "INCOMPATIBLE",
      `the server at ${url} has no remote-command route (${CLI_ROUTE}): it is an older bd, or not bd serve`,
    );
  }
  if (status === 409 || status === 426) {
    throw new BdError("INCOMPATIBLE", said ?? `the server at ${url} cannot run this client's requests`);
  }
  if (status === 413) throw new BdError("VALIDATION", said ?? "the request is larger than the server accepts");
  if (status !== 200 || !isReply(body)) {
    throw new BdError(
      status === 503 ? "UNREACHABLE" : "INTERNAL",
      `the server at ${url} answered ${status}${said ? `: ${said}` : ""}`,
    );
  }
  return body;
}

function serverMessage(body: Record<string, unknown> | undefined): string | undefined {
  const errors = body?.errors as { message?: string }[] | undefined;
  const m = errors?.[0]?.message ?? body?.error;
  return typeof m === "string" ? m : undefined;
}

function isReply(body: unknown): body is CliReply {
  const b = body as CliReply | undefined;
  return typeof b?.stdout === "string" && typeof b.stderr === "string" && Number.isInteger(b.code);
}
