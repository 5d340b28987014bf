/** Persistent memories: remember, memories, recall, forget. */
import { notFound } from "../../model/errors.ts";
import { forget, memories, recall, remember } from "../../core/memories.ts";
import type { Command } from "../command.ts";
import { str } from "./util.ts";

const SECTION = "Setup & Configuration";

/** One line for display: newlines folded, cut at `max` characters. */
function truncate(text: string, max: number): string {
  const flat = text.replaceAll("\n", " ");
  return flat.length <= max ? flat : flat.slice(0, max - 3) + "...";
}

const rememberCmd: Command = {
  path: ["remember"],
  section: SECTION,
  summary: "Store a persistent memory (shown by bd prime in every session)",
  args: '"INSIGHT"',
  minArgs: 1,
  maxArgs: 1,
  description: `Memories are short insights that persist across sessions: bd prime prints them, and
they travel with issues.jsonl through git. The key is derived from the text (its first words)
unless --key gives one; remembering under an existing key replaces it.

Examples:
  bd remember "always run tests with -race"
  bd remember "auth uses JWT, not sessions" --key auth-jwt`,
  flags: { key: { type: "string", value: "KEY", help: "the memory's key (default: derived from the text)" } },
  run(ctx, [text], flags) {
    const m = remember(ctx.beads(), text, str(flags, "key"));
    if (ctx.globals.json) return ctx.out.data(m);
    const verb = m.action === "remembered" ? "Remembered" : m.action === "updated" ? "Updated" : "Unchanged";
    ctx.out.line(`${verb} [${m.key}]: ${truncate(m.value, 80)}`);
  },
};

const memoriesCmd: Command = {
  path: ["memories"],
  section: SECTION,
  summary: "List memories, or those whose key or text contains SEARCH",
  args: "[SEARCH]",
  maxArgs: 1,
  description: `With --json, an object of key → text (as bd prints it).

Examples:
  bd memories
  bd memories auth`,
  run(ctx, [search]) {
    const list = memories(ctx.beads(), search);
    if (ctx.globals.json) return ctx.out.data(Object.fromEntries(list.map((m) => [m.key, m.value])));
    if (list.length === 0) {
      return ctx.out.line(
        search ? `No memories matching "${search}"` : `No memories stored. Use 'bd remember "insight"' to add one.`,
      );
    }
    ctx.out.line(search ? `Memories matching "${search}":\n` : `Memories (${list.length}):\n`);
    for (const m of list) ctx.out.line(`  ${m.key}\n    ${truncate(m.value, 120)}\n`);
  },
};

const recallCmd: Command = {
  path: ["recall"],
  section: SECTION,
  summary: "Print one memory in full",
  args: "KEY",
  minArgs: 1,
  maxArgs: 1,
  run(ctx, [key]) {
    const value = recall(ctx.beads(), key);
    if (value === undefined) throw notFound(`no memory with key "${key}" (see bd memories)`);
    if (ctx.globals.json) return ctx.out.data({ key, value, found: true });
    ctx.out.line(value);
  },
};

const forgetCmd: Command = {
  path: ["forget"],
  section: SECTION,
  summary: "Remove a memory",
  args: "KEY",
  minArgs: 1,
  maxArgs: 1,
  run(ctx, [key]) {
    const before = forget(ctx.beads(), key);
    if (before === undefined) throw notFound(`no memory with key "${key}" (see bd memories)`);
    if (ctx.globals.json) return ctx.out.data({ key, deleted: true });
    ctx.out.line(`Forgot [${key}]: ${truncate(before, 80)}`);
  },
};

export const memoryCommands: Command[] = [rememberCmd, memoriesCmd, recallCmd, forgetCmd];
