/**
 * The layers point one way: no module of src/ reaches itself again through its imports, type-only
 * imports included (service.ts is a façade over core's modules, which take core/context.ts's
 * narrow contract, never the class; store/db.ts does not import the schema that migrates it).
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../helpers.ts";

const SRC = join(ROOT, "src");

/** Every .ts/.tsx file under src/ but the generated web assets, with its relative imports. */
export function importGraph(dir = SRC): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) {
        if (e.name !== "assets") walk(p);
      } else if (/\.tsx?$/.test(e.name)) {
        const text = Deno.readTextFileSync(p);
        const deps = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']/gms)]
          .map((m) => resolve(dirname(p), m[1]));
        graph.set(p, deps);
      }
    }
  };
  walk(dir);
  return graph;
}

/** The strongly connected groups of more than one module (Tarjan), as paths relative to src/. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>(), cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next), low.set(v, next++), stack.push(v), onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) visit(w), low.set(v, Math.min(low.get(v)!, low.get(w)!));
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = ""; w !== v;) w = stack.pop()!, onStack.delete(w), group.push(relative(SRC, w));
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

Deno.test("src/ has no import circle, type-only imports included", () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, `read ${graph.size} modules`);
  assert.deepEqual(importCycles(graph), []);
});

Deno.test("the domain modules of core/ take core/context.ts, not the service class", () => {
  const service = join(SRC, "core", "service.ts");
  const graph = importGraph();
  const onService = [...graph].filter(([, deps]) => deps.includes(service)).map(([f]) => relative(SRC, f)).sort();
  // Only what sits above the façade: the front ends, the library export, and what opens workspaces
  // (init, the demo, the rebuild of a damaged database).
  const below = onService.filter((f) =>
    f.startsWith("core/") && !["core/init.ts", "core/demo.ts", "core/repair.ts"].includes(f)
  );
  assert.deepEqual(below, []);
  for (const used of (graph.get(service) ?? []).filter((f) => f.startsWith(join(SRC, "core")))) {
    assert.ok(!(graph.get(used) ?? []).includes(service), `${relative(SRC, used)} imports the façade back`);
  }
});

Deno.test("the cycle check finds a circle, also through a type-only import", () => {
  const a = "/x/a.ts", b = "/x/b.ts", c = "/x/c.ts";
  assert.deepEqual(importCycles(new Map([[a, [b]], [b, [c]], [c, []]])), []);
  assert.equal(importCycles(new Map([[a, [b]], [b, [c]], [c, [a]]])).length, 1);
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(dir, "a.ts"), `import { b } from "./b.ts";\nexport const a = b;\n`);
  Deno.writeTextFileSync(
    join(dir, "b.ts"),
    `import type {\n  A,\n} from "./a.ts";\nexport const b = 1 as unknown as A;\n`,
  );
  assert.equal(importCycles(importGraph(dir)).length, 1);
});
