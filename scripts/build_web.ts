/**
 * Builds the web UI's assets into src/web/assets/ (committed, like the GraphQL schema): the page's
 * script (src/web/app.tsx bundled by Bun for browsers), its stylesheet, and GraphiQL's page with
 * its scripts inline (from npm, gzip-compressed: it is 9 MB, and only `serve` ever expands it).
 * They are files, not module text: scripts/build embeds the directory into dist/bd as files, so
 * they cost the other commands nothing at start-up (as module text they cost ~0.9 ms each run).
 *
 * Usage: deno run -A scripts/build_web.ts [--check]   (--check fails when a built copy is stale)
 */
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, "src", "web", "assets");
const BUN = join(ROOT, ".tools", "node_modules", "bun", "bin", "bun.exe");

async function bundle(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bd-web-" });
  const r = await new Deno.Command(BUN, {
    args: ["build", join(ROOT, "src", "web", "app.tsx"), "--target=browser", "--minify", "--outdir", dir],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) throw new Error(`bundling the web UI failed:\n${new TextDecoder().decode(r.stderr)}`);
  const js = await Deno.readTextFile(join(dir, "app.js"));
  await Deno.remove(dir, { recursive: true });
  return js;
}

function graphiqlPage(): Uint8Array {
  const html = renderGraphiQL({ title: "bd GraphQL", endpoint: "/graphql" } as Parameters<typeof renderGraphiQL>[0]);
  return new Uint8Array(gzipSync(new TextEncoder().encode(html), { level: 9 }));
}

const js = await bundle();
const css = await Deno.readTextFile(join(ROOT, "src", "web", "styles.css"));
const enc = new TextEncoder();
const files: Record<string, Uint8Array> = {
  "app.js": enc.encode(js),
  "app.css": enc.encode(css),
  "graphiql.html.gz": graphiqlPage(),
};
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
if (Deno.args.includes("--check")) {
  const stale = Object.entries(files).filter(([name, bytes]) => {
    try {
      return !same(Deno.readFileSync(join(OUT, name)), bytes);
    } catch {
      return true; // missing
    }
  });
  if (stale.length) {
    console.error(
      `src/web/assets/ is stale (${
        stale.map(([n]) => n).join(", ")
      }): run 'deno run -A scripts/build_web.ts' and commit it`,
    );
    Deno.exit(1);
  }
} else {
  await Deno.mkdir(OUT, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(join(OUT, name), bytes);
  console.error(`wrote ${OUT}: ${Object.entries(files).map(([n, b]) => `${n} ${b.length} bytes`).join(", ")}`);
}
