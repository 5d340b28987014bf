/**
 * The pages `bd serve` gives besides the API: the web UI at `/` (its script and stylesheet built by
 * scripts/build_web.ts into src/web/assets/) and GraphiQL on GET /graphql, all from this process:
 * no page asks another origin for anything. They hold no data (the data comes through /graphql,
 * which alone needs the token), so they are served without one.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/**
 * Where an asset is. In dist/bd they are files embedded beside the program (scripts/build passes
 * `--asset src/web/assets`; Bun places them under the program's directory in its own file system),
 * not module text, so that no other command pays for them at start-up. From source they are read
 * where build_web.ts wrote them (`deno compile` includes that directory).
 */
function assetPath(name: string): string {
  const program = process.argv[1] ?? "";
  if (program.includes("$bunfs") || program.includes("~BUN")) return join(dirname(program), "assets", name);
  return fileURLToPath(new URL(`../web/assets/${name}`, import.meta.url));
}

const loaded = new Map<string, Uint8Array>();

/** The asset's bytes (read once); a missing one is a broken build, said plainly. */
function asset(name: string, expand?: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  let bytes = loaded.get(name);
  if (!bytes) {
    const path = assetPath(name);
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch (e) {
      throw new Error(`bd's web asset ${name} is missing (${path}: ${(e as Error).message}); rebuild bd`);
    }
    if (expand) bytes = expand(bytes);
    loaded.set(name, bytes);
  }
  return bytes;
}

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

/** The paths webResponse answers (with /graphql for GraphiQL): for the test that walks every route. */
export const PAGE_PATHS = ["/", "/index.html", "/app.js", "/app.css"];

export interface WebResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

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
    return {
      status: 200,
      headers: { ...common, "content-type": "text/javascript; charset=utf-8" },
      body: asset("app.js"),
    };
  }
  if (pathname === "/app.css") {
    return { status: 200, headers: { ...common, "content-type": "text/css; charset=utf-8" }, body: asset("app.css") };
  }
  if (pathname === "/graphql" && accept.includes("text/html")) {
    const graphiql = asset("graphiql.html.gz", (gz) => new Uint8Array(gunzipSync(gz)));
    return {
      status: 200,
      headers: { ...common, "content-type": "text/html; charset=utf-8", "content-security-policy": GRAPHIQL_CSP },
      body: graphiql,
    };
  }
  return undefined;
}
