/**
 * What the built binary loads at start-up (issue 31), from the list the build writes
 * (dist/bd.meta.json, Bun's metafile): the entry chunk and the chunks it imports statically are
 * loaded by every command; everything else (each command's module, the service, GraphQL, MCP) waits
 * for an import(). A module that slips onto that path from a static import shows up here.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";

interface Meta {
  outputs: Record<
    string,
    { bytes: number; entryPoint?: string; inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }
  >;
}

const meta = JSON.parse(Deno.readTextFileSync(join(ROOT, "dist", "bd.meta.json"))) as Meta;

/** The chunks loaded once `from` is: itself and, transitively, what it imports statically. */
function staticChunks(from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (chunk: string) => {
    if (seen.has(chunk)) return;
    seen.add(chunk);
    for (const i of meta.outputs[chunk].imports) if (i.kind === "import-statement") visit(i.path);
  };
  visit(from);
  return seen;
}

const chunkOf = (entry: string) => Object.keys(meta.outputs).find((k) => meta.outputs[k].entryPoint === entry)!;
const modulesIn = (chunks: Set<string>) => [...chunks].flatMap((c) => Object.keys(meta.outputs[c].inputs)).sort();

Deno.test("the binary's start-up chunks hold only the CLI's core: every command's code waits for its import()", () => {
  const start = modulesIn(staticChunks(chunkOf("main.ts")));
  assert.ok(start.length <= 10, `start-up evaluates ${start.length} modules: ${start.join(", ")}`);
  for (const m of start) {
    assert.match(m, /^(main\.ts|src\/(cli\/[a-z_]+\.ts|cli\/commands\/version\.ts|model\/errors\.ts|version\.ts))$/);
  }
  assert.ok(!start.some((m) => /service|sqlite|graphql|mcp|node_modules/.test(m)));
});

Deno.test("bd show loads its command module and the service, not GraphQL, MCP or the web assets", () => {
  const show = new Set([
    ...staticChunks(chunkOf("main.ts")),
    ...staticChunks(chunkOf("src/cli/commands/issue_views.ts")),
    ...staticChunks(chunkOf("src/core/service.ts")),
  ]);
  const modules = modulesIn(show);
  assert.ok(modules.length <= 75, `bd show evaluates ${modules.length} modules`);
  assert.ok(!modules.some((m) => /graphql|mcp|node_modules|src\/web\//.test(m)), modules.join(", "));
  const bytes = [...show].reduce((n, c) => n + meta.outputs[c].bytes, 0);
  const all = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
  assert.ok(bytes < all / 3, `show loads ${bytes} of the binary's ${all} bytes of code`);
});
