/**
 * Start-up pays only for the command that runs (issue 31). An ES module's static imports are all
 * evaluated before it runs, so what a command evaluates is the static import closure of main.ts,
 * of the one command module catalog.ts loads for its word, and of the service when the command
 * opens a workspace. This counts those modules and fails when a command starts loading more than
 * its budget: a new static import of a heavy module on the everyday path shows up here.
 * (tests/binary/startup_chunks_test.ts checks the same for the built binary's chunks.)
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../helpers.ts";
import { COMMAND_MODULES, WORKSPACE_FREE_WORDS } from "../../src/cli/catalog.ts";

/** The modules a module's static imports evaluate (itself included), and the packages they name. */
function staticClosure(entries: string[]): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>(), packages = new Set<string>();
  const visit = (path: string) => {
    if (modules.has(path)) return;
    modules.add(path);
    const text = Deno.readTextFileSync(path);
    const statements: { typeOnly: boolean; names: string; spec: string }[] = [
      ...[...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\bfrom\s+["']([^"']+)["']/gms)].map((m) => ({
        typeOnly: !!m[1],
        names: m[2],
        spec: m[3],
      })),
      ...[...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)].map((m) => ({ typeOnly: false, names: "", spec: m[1] })),
    ];
    for (const { typeOnly, names, spec } of statements) {
      if (typeOnly || isTypeOnlyList(names)) continue; // erased: evaluates nothing
      if (spec.startsWith(".")) visit(resolve(dirname(path), spec));
      else packages.add(spec);
    }
  };
  for (const e of entries) visit(resolve(ROOT, e));
  return { modules, packages };
}

/** `{ type A, type B }`: every name is a type, so the import is erased. */
function isTypeOnlyList(names: string): boolean {
  const m = /^\{([^}]*)\}$/.exec(names.trim());
  return !!m && m[1].split(",").map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith("type "));
}

/** The file catalog.ts loads for a command word (its literal `import()`); none when catalog.ts holds it. */
function commandModuleFile(word: string): string | undefined {
  const text = Deno.readTextFileSync(join(ROOT, "src", "cli", "catalog.ts"));
  for (const entry of text.split(/\n {2}(?:\/\/[^\n]*\n {2})?\{/).slice(1)) {
    const words = /words: \[([^\]]*)\]/.exec(entry)?.[1] ?? "";
    if (!words.split(",").map((w) => w.trim().replace(/"/g, "")).includes(word)) continue;
    const file = /import\("\.\/([^"]+)"\)/.exec(entry)?.[1];
    return file === undefined ? undefined : join("src", "cli", file);
  }
  throw new Error(`no command module for ${word}`);
}

const SERVICE = "src/core/service.ts";

/** What `bd WORD` evaluates. */
function evaluatedBy(word: string, opensWorkspace: boolean) {
  const file = commandModuleFile(word);
  return staticClosure(["main.ts", ...(file ? [file] : []), ...(opensWorkspace ? [SERVICE] : [])]);
}

/**
 * Budgets, in modules. Raise one only for a module the command really needs; a module that only
 * some commands need belongs behind an import() on their path.
 */
const BUDGETS: [string, boolean, number][] = [
  // main.ts, the CLI's core (main, args, parse_flags, output, builtin, catalog), errors, version.
  ["version", false, 10],
  // The above, the command's own module with its formatting, and the service with the storage
  // layer and sync.
  ["show", true, 72],
  ["ready", true, 72],
];

for (const [word, opensWorkspace, budget] of BUDGETS) {
  Deno.test(`bd ${word} evaluates at most ${budget} modules, and no npm package`, () => {
    const { modules, packages } = evaluatedBy(word, opensWorkspace);
    const list = [...modules].map((m) => relative(ROOT, m)).sort();
    assert.ok(modules.size <= budget, `bd ${word} evaluates ${modules.size} modules:\n  ${list.join("\n  ")}`);
    assert.deepEqual([...packages].filter((p) => !p.startsWith("node:")), [], "packages load only when used");
    // What only other commands use stays out.
    const lazyOnes = [
      "graphql/",
      "mcp/",
      "web/",
      "remote/",
      "cli/help.ts",
      "cli/completion.ts",
      "cli/remote_policy.ts",
      "core/doctor.ts",
      "core/sync/jsonl_merge.ts",
      "core/sync/git_sync.ts",
    ];
    for (const lazy of lazyOnes) {
      assert.ok(!list.some((m) => m.includes(lazy)), `bd ${word} evaluates ${lazy}`);
    }
  });
}

Deno.test("bd version evaluates neither the service nor SQLite, and imports no node:fs or node:path", () => {
  const { modules, packages } = evaluatedBy("version", false);
  assert.ok(![...modules].some((m) => m.endsWith(SERVICE)));
  // node:fs costs ~1 ms of the binary's start-up to load, node:path ~0.3 ms (cli/builtin.ts).
  assert.deepEqual([...packages].sort(), ["node:process"]);
});

Deno.test("catalog.ts names every command's first word with the module that defines it, and no other", async () => {
  for (const m of COMMAND_MODULES) {
    const defined = new Set((await m.load()).flatMap((c) => [c.path[0], ...(c.aliases ?? []).map((a) => a[0])]));
    assert.deepEqual([...defined].sort(), [...m.words].sort());
  }
});

Deno.test("the service is loaded ahead (beside the command's module) for every command but those that never open a workspace", async () => {
  const never = new Set<string>(["help"]);
  for (const m of COMMAND_MODULES) for (const c of await m.load()) if (c.workspace === false) never.add(c.path[0]);
  assert.deepEqual([...WORKSPACE_FREE_WORDS].sort(), [...never].sort());
});

Deno.test("the count above is real: a module's static imports are followed, type-only ones are not", () => {
  const { modules } = staticClosure(["src/cli/catalog.ts"]);
  assert.deepEqual(
    [...modules].map((m) => relative(ROOT, m)).sort(),
    ["src/cli/catalog.ts", "src/cli/commands/version.ts", "src/version.ts"],
    "catalog.ts holds version itself, and every other command module behind import()",
  );
  assert.ok(staticClosure([SERVICE]).modules.size > 20);
});
