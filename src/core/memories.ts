/**
 * Persistent memories (`bd remember`): short insights agents keep across sessions, shown by
 * `bd prime`. Stored as bd stores them (config `kv.memory.<key>`), exported as
 * `{"_type":"memory","key","value"}` lines after the issues in `issues.jsonl`.
 */
import { validation } from "../model/errors.ts";
import * as meta from "../store/meta.ts";
import { memorySortKey } from "./sync/jsonl.ts";
import type { BeadsContext } from "./context.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "db" | "mutate">;

export interface Memory {
  key: string;
  value: string;
}

/** Returns bd's key for a memory's text: its first eight words, lower-case, joined by '-' (≤ 60). */
export function memoryKeyFor(text: string): string {
  let slug = text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  slug = slug.split("-").slice(0, 8).join("-");
  if (slug.length > 60) slug = slug.slice(0, 60).replace(/-+$/, "");
  return slug;
}

function checkKey(key: string): string {
  const k = key.trim();
  if (!k) throw validation("a memory key cannot be empty");
  // deno-lint-ignore no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f]/.test(k)) {
    throw validation(`invalid memory key ${JSON.stringify(key)}: no spaces or control characters`);
  }
  return k;
}

/** Stores (or replaces) a memory; returns it with what happened. */
export function remember(
  beads: Ctx,
  text: string,
  key?: string,
): Memory & { action: "remembered" | "updated" | "unchanged" } {
  if (!text.trim()) throw validation("memory content cannot be empty");
  const k = checkKey(key ?? memoryKeyFor(text) ?? "");
  if (!k) throw validation("could not derive a key from the text; give one with --key");
  return beads.mutate(() => {
    const before = meta.getMemory(beads.db, k);
    if (before === text) return { key: k, value: text, action: "unchanged" as const };
    meta.setMemory(beads.db, k, text);
    meta.markDirty(beads.db, [memorySortKey(k)], new Date().toISOString());
    return { key: k, value: text, action: before === undefined ? "remembered" as const : "updated" as const };
  });
}

/** Returns the memories (whose key or text contains `search`, case-insensitive), sorted by key. */
export function memories(beads: Ctx, search?: string): Memory[] {
  const all = meta.allMemories(beads.db);
  if (!search) return all;
  const q = search.toLowerCase();
  return all.filter((m) => m.key.toLowerCase().includes(q) || m.value.toLowerCase().includes(q));
}

/** Returns one memory's text, or undefined. */
export function recall(beads: Ctx, key: string): string | undefined {
  return meta.getMemory(beads.db, key.trim());
}

/** Removes a memory; returns its former text, or undefined when there was none. */
export function forget(beads: Ctx, key: string): string | undefined {
  const k = key.trim();
  return beads.mutate(() => {
    const before = meta.getMemory(beads.db, k);
    if (before === undefined) return undefined;
    meta.deleteMemory(beads.db, k);
    meta.markDirty(beads.db, [memorySortKey(k)], new Date().toISOString());
    return before;
  });
}
