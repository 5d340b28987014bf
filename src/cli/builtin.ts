/**
 * Node's built-in modules, fetched when first used rather than imported: in the Bun binary,
 * importing node:fs costs ~1 ms of start-up and node:path ~0.3 ms, which `bd version` and help
 * never need (issue 31). process.getBuiltinModule is synchronous, in Deno and in Bun alike.
 */
import process from "node:process";

interface Builtins {
  "node:fs": typeof import("node:fs");
  "node:path": typeof import("node:path");
}

export function builtin<K extends keyof Builtins>(id: K): Builtins[K] {
  return (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule(id) as Builtins[K];
}
