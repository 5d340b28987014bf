/**
 * The pages `bd serve` gives besides the API: the web UI at `/` (its script and stylesheet are
 * embedded: src/web/assets_gen.ts, built by scripts/build_web.ts) and GraphiQL on GET /graphql,
 * all from this process: no page asks another origin for anything. They hold no data (the data
 * comes through /graphql, which alone needs the token), so they are served without one.
 */
import { gunzipSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { APP_CSS, APP_JS, GRAPHIQL_HTML_GZ } from "../web/assets_gen.ts";

/** Only this origin, for everything; no inline script or style on the app's page. */
const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** GraphiQL's page carries its script and styles inline (as the npm package renders it); still only this origin. */
const GRAPHIQL_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const INDEX = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>bd</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<div id="app"><noscript>bd's web UI needs JavaScript; the API is at /graphql.</noscript></div>
</body>
</html>
`;

export interface WebResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

let graphiql: Uint8Array | undefined;

/** Returns the page or asset for a GET of `pathname`, or undefined when it is not one of them. */
export function webResponse(method: string, pathname: string, accept: string): WebResponse | undefined {
  if (method !== "GET" && method !== "HEAD") return undefined;
  const common = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
  if (pathname === "/" || pathname === "/index.html") {
    return {
      status: 200,
      headers: { ...common, "content-type": "text/html; charset=utf-8", "content-security-policy": APP_CSP },
      body: INDEX,
    };
  }
  if (pathname === "/app.js") {
    return { status: 200, headers: { ...common, "content-type": "text/javascript; charset=utf-8" }, body: APP_JS };
  }
  if (pathname === "/app.css") {
    return { status: 200, headers: { ...common, "content-type": "text/css; charset=utf-8" }, body: APP_CSS };
  }
  if (pathname === "/graphql" && accept.includes("text/html")) {
    graphiql ??= new Uint8Array(gunzipSync(Buffer.from(GRAPHIQL_HTML_GZ, "base64")));
    return {
      status: 200,
      headers: { ...common, "content-type": "text/html; charset=utf-8", "content-security-policy": GRAPHIQL_CSP },
      body: graphiql,
    };
  }
  return undefined;
}
