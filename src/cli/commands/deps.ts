/** Dependency commands: dep add|remove|list|tree|cycles. */
import { BdError } from "../../model/errors.ts";
import type { Command } from "../command.ts";
import { edgeResult, int, str } from "./util.ts";

const SECTION = "Dependencies & Structure";

const add: Command = {
  path: ["dep", "add"],
  section: SECTION,
  summary: "Make ISSUE depend on DEPENDS_ON (DEPENDS_ON blocks ISSUE)",
  args: "ISSUE DEPENDS_ON",
  minArgs: 2,
  maxArgs: 2,
  description: `Types: blocks (default), related, parent-child (ISSUE is the child), discovered-from.
Self-dependencies and cycles are refused. Two issues may be joined by several edges of different
types (e.g. blocks and supersedes); adding an edge that exists changes nothing.`,
  flags: { type: { type: "string", short: "t", value: "TYPE", help: "dependency type (default blocks)" } },
  run(ctx, [a, b], flags) {
    const dep = ctx.beads().addDependency(a, b, str(flags, "type") ?? "blocks");
    const out = edgeResult("added", dep);
    if (ctx.globals.json) return ctx.out.data(out);
    ctx.out.line(
      `${ctx.out.paint("green", "✓")} Added dependency: ${out.issue_id} depends on ${out.depends_on_id} (${out.type})`,
    );
  },
};

const remove: Command = {
  path: ["dep", "remove"],
  aliases: [["dep", "rm"]],
  section: SECTION,
  summary: "Remove the dependency of ISSUE on DEPENDS_ON",
  args: "ISSUE DEPENDS_ON",
  minArgs: 2,
  maxArgs: 2,
  description: `When several edges of different types join the two issues, --type says which to remove.`,
  flags: { type: { type: "string", short: "t", value: "TYPE", help: "the type of the edge to remove" } },
  run(ctx, [a, b], flags) {
    const dep = ctx.beads().removeDependency(a, b, str(flags, "type"));
    const out = edgeResult("removed", dep);
    if (ctx.globals.json) return ctx.out.data(out);
    ctx.out.line(
      `${ctx.out.paint("green", "✓")} Removed dependency: ${out.issue_id} no longer depends on ${out.depends_on_id}`,
    );
  },
};

const listDeps: Command = {
  path: ["dep", "list"],
  section: SECTION,
  summary: "List an issue's dependencies and dependents",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  flags: {
    direction: { type: "string", value: "DIR", help: "down (what it depends on, default), up (dependents) or both" },
  },
  run(ctx, [id], flags) {
    const dir = str(flags, "direction") ?? "down";
    if (!["up", "down", "both"].includes(dir)) throw new BdError("USAGE", "--direction must be up, down or both");
    const beads = ctx.beads();
    const { dependencies, dependents } = beads.dependencies(id);
    const edges = dir === "down" ? dependencies : dir === "up" ? dependents : [...dependencies, ...dependents];
    if (ctx.globals.json) return ctx.out.data(edges);
    const full = beads.resolveId(id);
    const print = (list: typeof edges, other: (e: (typeof edges)[number]) => string) => {
      const issues = new Map(beads.issuesById(list.map(other)).map((i) => [i.id, i]));
      for (const e of list) {
        const i = issues.get(other(e));
        ctx.out.line(
          `  ${other(e)}: ${i?.title ?? "(not in this database)"} [P${i?.priority ?? "?"}] (${
            i?.status ?? "missing"
          }) via ${e.type}`,
        );
      }
    };
    if (dir !== "up") {
      if (dependencies.length === 0) ctx.out.line(`\n${full} has no dependencies`);
      else {
        ctx.out.line(`\n📋 ${full} depends on:\n`);
        print(dependencies, (e) => e.depends_on_id);
      }
    }
    if (dir !== "down") {
      if (dependents.length === 0) ctx.out.line(`\nNo issues depend on ${full}`);
      else {
        ctx.out.line(`\n📋 Issues that depend on ${full}:\n`);
        print(dependents, (e) => e.issue_id);
      }
    }
  },
};

const tree: Command = {
  path: ["dep", "tree"],
  section: SECTION,
  summary: "Show the dependency tree of an issue",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  flags: {
    "max-depth": { type: "string", short: "d", value: "N", help: "stop at depth N (default 50)" },
    direction: { type: "string", value: "DIR", help: "down (what it depends on, default) or up (what depends on it)" },
    reverse: { type: "boolean", help: "= --direction up" },
  },
  run(ctx, [id], flags) {
    const direction = flags.reverse ? "up" : str(flags, "direction") ?? "down";
    if (direction !== "up" && direction !== "down") throw new BdError("USAGE", "--direction must be up or down");
    const nodes = ctx.beads().dependencyTree(id, { direction, maxDepth: int(flags, "max-depth", 50) });
    if (ctx.globals.json) return ctx.out.data(nodes);
    if (nodes.length) ctx.out.line(`\n🌲 Dependency tree for ${nodes[0].id}:\n`);
    const shown = new Set<string>();
    for (const n of nodes) {
      const indent = n.depth === 0 ? "" : "  ".repeat(n.depth - 1) + (direction === "down" ? "└→ " : "└← ");
      if (shown.has(n.id)) {
        ctx.out.line(`${indent}${n.id} (shown above)`);
        continue;
      }
      shown.add(n.id);
      const ready = n.depth === 0 && ctx.beads().readyAmong([n.id]).has(n.id) ? " [READY]" : "";
      const type = n.depth > 0 && n.dependency_type && n.dependency_type !== "blocks"
        ? ctx.out.paint("gray", ` via ${n.dependency_type}`)
        : "";
      const more = n.truncated ? ctx.out.paint("gray", " …(deeper levels cut)") : "";
      ctx.out.line(
        `${indent}${ctx.out.paint("cyan", n.id)}: ${n.title} [P${
          n.priority ?? "?"
        }] (${n.status})${ready}${type}${more}`,
      );
    }
  },
};

const cycles: Command = {
  path: ["dep", "cycles"],
  section: SECTION,
  summary: "Find dependency cycles",
  maxArgs: 0,
  run(ctx) {
    const found = ctx.beads().cycles();
    if (ctx.globals.json) return ctx.out.data(found);
    if (found.length === 0) return ctx.out.line(`\n${ctx.out.paint("green", "✓")} No dependency cycles detected\n`);
    ctx.out.line(`\n${ctx.out.paint("yellow", "⚠")} Found ${found.length} dependency cycles:\n`);
    found.forEach((c, n) => ctx.out.line(`${n + 1}. ${[...c.map((i) => i.id), c[0].id].join(" → ")}`));
    ctx.out.line("");
  },
};

export const depCommands: Command[] = [add, remove, listDeps, tree, cycles];
