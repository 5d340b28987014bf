/** config get|set|list|unset. */
import { BdError, notFound } from "../../model/errors.ts";
import { ISSUE_TYPE_HELP, ISSUE_TYPES } from "../../model/types.ts";
import type { Command } from "../command.ts";

const SECTION = "Setup & Configuration";

export const configCommands: Command[] = [
  {
    path: ["config", "get"],
    section: SECTION,
    summary: "Print a config value",
    args: "KEY",
    minArgs: 1,
    maxArgs: 1,
    run(ctx, [key]) {
      const value = ctx.beads().configGet(key);
      if (value === undefined && !ctx.globals.json) return ctx.out.line(`${key} (not set)`);
      if (value === undefined) throw notFound(`config key "${key}" is not set`);
      if (ctx.globals.json) return ctx.out.data({ key, value });
      ctx.out.line(value);
    },
  },
  {
    path: ["config", "set"],
    writesFiles: true,
    section: SECTION,
    summary: "Set a config value (e.g. issue_prefix)",
    args: "KEY VALUE",
    minArgs: 2,
    maxArgs: 2,
    run(ctx, [key, value]) {
      ctx.beads().configSet(key, value);
      if (ctx.globals.json) return ctx.out.data({ key, value });
      ctx.out.line(`Set ${key} = ${value}`);
    },
  },
  {
    path: ["config", "list"],
    section: SECTION,
    summary: "List all config values",
    maxArgs: 0,
    description: "Memories (bd remember) live in the same table under kv.memory.*; --all lists them too.",
    flags: { all: { type: "boolean", help: "include kv.* entries (memories)" } },
    run(ctx, _args, flags) {
      const all = ctx.beads().configList(flags.all === true);
      if (ctx.globals.json) return ctx.out.data(all);
      const entries = Object.entries(all);
      if (entries.length === 0) return ctx.out.line("No configuration set");
      ctx.out.line("\nConfiguration:");
      for (const [k, v] of entries) ctx.out.line(`  ${k} = ${v}`);
    },
  },
  {
    path: ["config", "unset"],
    writesFiles: true,
    section: SECTION,
    summary: "Remove a config value",
    args: "KEY",
    minArgs: 1,
    maxArgs: 1,
    run(ctx, [key]) {
      if (!ctx.beads().configUnset(key)) throw notFound(`config key "${key}" is not set`);
      if (ctx.globals.json) return ctx.out.data({ key, status: "unset" });
      ctx.out.line(`Unset ${key}`);
    },
  },
  {
    path: ["types"],
    section: SECTION,
    summary: "List the issue types create --type accepts (built-in and custom)",
    maxArgs: 0,
    description: `Built-in: bug, feature, task, epic, chore, decision; feat and enhancement stand for feature,
dec and adr for decision. More with: bd config set types.custom "spike,incident".`,
    run(ctx) {
      let custom: string[] = [];
      try {
        custom = ctx.beads().customTypes();
      } catch (e) {
        if (!(e instanceof BdError) || e.code !== "NOT_FOUND") throw e; // outside a workspace: the built-in ones
      }
      const types = [
        ...ISSUE_TYPES.map((name) => ({ name, description: ISSUE_TYPE_HELP[name], custom: false })),
        ...custom.map((name) => ({ name, description: "custom (types.custom)", custom: true })),
      ];
      if (ctx.globals.json) return ctx.out.data(types);
      for (const t of types) ctx.out.line(`  ${t.name.padEnd(10)} ${t.description}`);
    },
  },
];
