/**
 * Regenerates src/graphql/schema_sdl.ts from schema.graphql, so that the SDL is module text
 * (embedded in every build; no file is read from the source tree at run time).
 * Usage: deno run -A scripts/gen_schema.ts [--check]
 */
const root = new URL("..", import.meta.url);
const sdl = await Deno.readTextFile(new URL("schema.graphql", root));
const text = `// Generated from schema.graphql by scripts/gen_schema.ts — do not edit; edit schema.graphql.\n` +
  `/** The core GraphQL schema (SDL). */\nexport const CORE_SDL: string = ${JSON.stringify(sdl)};\n`;
const target = new URL("src/graphql/schema_sdl.ts", root);
if (Deno.args.includes("--check")) {
  const current = await Deno.readTextFile(target).catch(() => "");
  if (current !== text) {
    console.error("src/graphql/schema_sdl.ts is out of date: run deno run -A scripts/gen_schema.ts");
    Deno.exit(1);
  }
} else {
  await Deno.writeTextFile(target, text);
}
