import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";

/** Shipped code must run under Deno, Bun and Node: node:* APIs only, no Deno namespace. */
Deno.test("shipped code (main.ts, src/) does not use the Deno namespace", async () => {
  const offenders: string[] = [];
  const files = ["main.ts"];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(join(ROOT, dir))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(rel);
      else if (e.name.endsWith(".ts")) files.push(rel);
    }
  };
  await walk("src");
  assert.ok(files.length > 20, "found the source files");
  for (const f of files) {
    const lines = (await Deno.readTextFile(join(ROOT, f))).split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
      if (/(^|[^.\w])Deno\./.test(code)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

Deno.test("ordinary commands load no npm package and no GraphQL module (start-up stays cheap)", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", join(ROOT, "deno.json"), join(ROOT, "main.ts")],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  type Dep = { specifier: string; code?: { specifier: string }; isDynamic?: boolean };
  const modules = new Map<string, Dep[]>(
    info.modules.map((m: { specifier: string; dependencies?: Dep[] }) => [m.specifier, m.dependencies ?? []]),
  );
  // Follow static imports only: dynamic ones load when their command runs.
  const root = info.roots[0];
  const seen = new Set<string>([root]);
  const queue = [root];
  while (queue.length) {
    for (const d of modules.get(queue.shift()!) ?? []) {
      const target = d.code?.specifier;
      if (!target || d.isDynamic || seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  const loaded = [...seen];
  assert.ok(loaded.some((s) => s.endsWith("/src/cli/main.ts")), "the walk reached the CLI");
  assert.deepEqual(loaded.filter((s) => s.startsWith("npm:") || s.includes("/src/graphql/")), []);
});
