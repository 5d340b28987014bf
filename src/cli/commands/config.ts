/** config get|set|list|unset. */
import { BdError, notFound } from "../../model/errors.ts";
import { ISSUE_TYPE_HELP, ISSUE_TYPES } from "../../model/types.ts";
import type { Command } from "../command.ts";

const SECTION = "Setup & Configuration";
/** Where upstream's help lists `types` and `statuses`. */
const REPORTS = "Views & Reports";

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
    section: REPORTS,
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
  {
    path: ["statuses"],
    section: REPORTS,
    summary: "List the statuses issues can have, with their categories",
    maxArgs: 0,
    description: `Built-in statuses (open, in_progress, blocked, deferred, closed) are always valid.
More with config status.custom, each with a category that gives it its meaning:

  bd config set status.custom "in_review:active,qa_testing:wip,shipped:done,on_hold:frozen"

  active  in 'bd ready' and in the default 'bd list' (like open)
  wip     in the default 'bd list', not in 'bd ready' (like in_progress)
  done    finished, like closed: it unblocks its dependents, and leaves both
  frozen  out of 'bd ready' and the default 'bd list'; it still blocks

A status without a category (upstream's older form, "a,b") is valid, listed by default, never
ready, and it blocks. Statuses that imported issues carry and nothing configures are named at the
end (and by bd doctor): give them a category to say what they mean.

Examples:
  bd statuses            # every status with its icon and category
  bd statuses --json     # {"built_in_statuses": [...], "custom_statuses": [...], ...}`,
    run(ctx) {
      const report = ctx.beads().statusReport();
      if (ctx.globals.json) return ctx.out.data(report);
      ctx.out.line("Built-in statuses:");
      for (const s of report.built_in_statuses) {
        ctx.out.line(`  ${s.icon} ${s.name.padEnd(14)} [${s.category.padEnd(6)}]  ${s.description}`);
      }
      if (report.custom_statuses.length) {
        ctx.out.line("\nCustom statuses:");
        for (const s of report.custom_statuses) ctx.out.line(`  ${s.icon} ${s.name.padEnd(14)} [${s.category}]`);
      } else {
        ctx.out.line("\nNo custom statuses configured.");
        ctx.out.line('Configure with: bd config set status.custom "name:category,..."');
        ctx.out.line("Categories: active, wip, done, frozen");
      }
      if (report.unconfigured_in_use.length) {
        ctx.out.line("\nIn use but not configured (listed by default, never ready, and they block):");
        for (const s of report.unconfigured_in_use) ctx.out.line(`  ◇ ${s.status.padEnd(14)} ${s.count} issue(s)`);
      }
    },
  },
];
