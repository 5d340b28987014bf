/**
 * What `bd serve` refuses before any route sees a request, so that every route (the UI, /graphql,
 * the event stream, /healthz and any route added later) inherits it:
 * - a `Host` that is not an address bd listens on (a DNS-rebinding page sends its own name): 403;
 * - an `Origin` other than bd's own pages or the one `--cors-origin` grants (a page of another
 *   site, or `null` from a sandboxed frame): 403 — browsers send Origin with every cross-site
 *   write and stream, and bd's own pages always send its own;
 * - a body that is not `application/json` (an HTML form, a no-cors fetch of text, form data or
 *   multipart needs no CORS preflight, so it must be refused here): 415.
 * Tools that send no Origin (curl, scripts) are unaffected by the Origin rule.
 */
import { networkInterfaces } from "node:os";

export interface GuardPolicy {
  /** This machine's names bd listens on (lower case; IPv6 in brackets): only with bd's own port. */
  localNames: Set<string>;
  /** `--allow-host NAME` entries: any port (a proxy or tunnel listens on its own). */
  anyPortNames: Set<string>;
  /** `--allow-host NAME:PORT` entries. */
  namesWithPort: Set<string>;
  /** The port bd listens on. */
  port: number;
  /** The one origin granted cross-origin access (`--cors-origin`), if any. */
  corsOrigin?: string;
}

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const WILDCARD = new Set(["0.0.0.0", "::", "[::]", ""]);

/** Brackets an IPv6 literal and lower-cases a name, as it appears in a Host header. */
function hostName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

/** Splits `name[:port]` (IPv6 in brackets) into its name and port (undefined when absent). */
function splitHost(host: string): { name: string; port?: number } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!m) return undefined;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? undefined : Number(m[2]) };
}

/**
 * The names a request may use: loopback's, the address given to --host (every address of this
 * machine, and its host name, when that is a wildcard), and each --allow-host.
 */
export function guardPolicy(
  opts: { host: string; port: number; allowHosts?: string[]; corsOrigin?: string; hostname?: string },
): GuardPolicy {
  const localNames = new Set(["127.0.0.1", "localhost", "[::1]", hostName(opts.host)]);
  if (WILDCARD.has(opts.host.trim())) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) localNames.add(hostName(a.address.replace(/%.*$/, "")));
    }
    if (opts.hostname) localNames.add(hostName(opts.hostname));
  }
  const anyPortNames = new Set<string>();
  const namesWithPort = new Set<string>();
  for (const entry of opts.allowHosts ?? []) {
    const parts = splitHost(entry);
    if (!parts) continue;
    if (parts.port === undefined) anyPortNames.add(parts.name);
    else namesWithPort.add(`${parts.name}:${parts.port}`);
  }
  return { localNames, anyPortNames, namesWithPort, port: opts.port, corsOrigin: opts.corsOrigin };
}

/** True when `host` (a Host header, or an origin's host and port) names this server. */
function allowedHost(policy: GuardPolicy, host: string): boolean {
  const parts = splitHost(host);
  if (!parts) return false;
  if (parts.port !== undefined && policy.namesWithPort.has(`${parts.name}:${parts.port}`)) return true;
  if (policy.anyPortNames.has(parts.name)) return true;
  // A name without a port is one only a non-browser client sends (browsers add any port but 80).
  return policy.localNames.has(parts.name) && (parts.port === undefined || parts.port === policy.port);
}

/** True when a page of `origin` may talk to this server: its own pages, or the granted origin. */
function allowedOrigin(policy: GuardPolicy, origin: string): boolean {
  if (policy.corsOrigin !== undefined && origin === policy.corsOrigin) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and anything unparsable
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return allowedHost(policy, `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`);
}

/** Returns why the request must be refused, or undefined when it may go on to its route. */
export function refusal(
  policy: GuardPolicy,
  req: { method: string; headers: Record<string, string | string[] | undefined> },
): Refusal | undefined {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const host = header("host");
  if (host === undefined || !allowedHost(policy, host)) {
    return {
      status: 403,
      code: "FORBIDDEN_HOST",
      message: `refused: Host ${
        JSON.stringify(host ?? "")
      } is not an address bd serve listens on (use --allow-host NAME for a proxy or tunnel)`,
    };
  }
  const origin = header("origin");
  if (origin !== undefined && !allowedOrigin(policy, origin)) {
    return {
      status: 403,
      code: "FORBIDDEN_ORIGIN",
      message: `refused: requests from pages of ${
        JSON.stringify(origin)
      } are not allowed (bd serve --cors-origin URL grants one origin)`,
    };
  }
  const method = req.method.toUpperCase();
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") {
    const type = (header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return {
        status: 415,
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: `refused: a ${method} body must be application/json (got ${JSON.stringify(type || "none")})`,
      };
    }
  }
  return undefined;
}
