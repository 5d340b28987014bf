/** Looking after a workspace: info, where, lint, orphans, doctor, graph, setup/onboard, hooks. */
import { dirname } from "node:path";
import { BdError } from "../../model/errors.ts";
import type { Command, Context, Values } from "../command.ts";
import { listLine } from "../format.ts";
import { int, str } from "./util.ts";

const REPORTS = "Views & Reports";
const SETUP = "Setup & Configuration";
const MAINT = "Maintenance";

const info: Command = {
  path: ["info"],
  section: SETUP,
  summary: "Show which database, JSONL and prefix this workspace uses, with counts",
  maxArgs: 0,
  run(ctx) {
    const i = ctx.beads().info();
    if (ctx.globals.json) return ctx.out.data(i);
    ctx.out.line("\nbd workspace\n");
    for (const [k, v] of Object.entries(i)) {
      if (v !== null) ctx.out.line(`  ${`${k.replaceAll("_", " ")}:`.padEnd(16)} ${v}`);
    }
  },
};

const where: Command = {
  path: ["where"],
  section: SETUP,
  summary: "Print where the workspace's .beads directory is",
  maxArgs: 0,
  run(ctx) {
    const p = ctx.beads().paths;
    if (ctx.globals.json) {
      return ctx.out.data({
        beads_dir: p.beadsDir,
        database: p.dbPath,
        jsonl: p.jsonlPath,
        worktree: p.worktree?.main ?? null,
        linked_worktree: p.worktree?.linked ?? null,
      });
    }
    ctx.out.line(p.beadsDir);
    if (p.worktree) {
      ctx.out.note(
        `(the main worktree's, ${p.worktree.main}: shared by every worktree, including ${p.worktree.linked})`,
      );
    }
  },
};

const lint: Command = {
  path: ["lint"],
  section: REPORTS,
  summary: "Report issues missing the sections their type's template asks for",
  args: "[ID...]",
  description: `bug: Steps to Reproduce, Acceptance Criteria; task and feature: Acceptance Criteria; epic:
Success Criteria. A section counts as a heading ('## Steps to Reproduce') or a label line
('Acceptance Criteria:'); the acceptance field also counts. Exit 1 when anything is missing.`,
  async run(ctx, ids) {
    const { lintIssues } = await import("../../core/lint.ts");
    const r = lintIssues(ctx.beads(), ids);
    const count = r.warnings.reduce((n, w) => n + w.missing.length, 0);
    if (ctx.globals.json) {
      ctx.out.data(
        r.warnings.map((w) => ({
          id: w.issue.id,
          issue_type: w.issue.issue_type,
          title: w.issue.title,
          missing: w.missing,
        })),
      );
      return r.warnings.length ? 1 : 0;
    }
    if (r.warnings.length === 0) {
      ctx.out.line(`✓ No template warnings found (${r.checked} issues checked)`);
      return 0;
    }
    ctx.out.line(`Template warnings (${r.warnings.length} issues, ${count} warnings):\n`);
    for (const w of r.warnings) {
      ctx.out.line(`${w.issue.id} [${w.issue.issue_type}]: ${w.issue.title}`);
      for (const m of w.missing) ctx.out.line(`  ⚠ Missing: ${m}`);
    }
    return 1;
  },
};

const orphans: Command = {
  path: ["orphans"],
  section: "Additional Commands",
  summary: "Open issues whose IDs appear in git commit messages (done but never closed?)",
  maxArgs: 0,
  async run(ctx) {
    const { orphanedIssues } = await import("../../core/orphans.ts");
    const found = orphanedIssues(ctx.beads());
    if (ctx.globals.json) return ctx.out.data(found);
    if (found.length === 0) return ctx.out.line("✓ No orphaned issues found");
    ctx.out.line(`\n⚠ Found ${found.length} orphaned issue(s):\n`);
    found.forEach((i, n) => {
      ctx.out.line(`${n + 1}. ${i.id}: ${i.title}`);
      ctx.out.line(`   Status: ${i.status}`);
    });
  },
};

const doctorCmd: Command = {
  path: ["doctor"],
  section: MAINT,
  summary: "Check the workspace's health (and --fix what can be fixed)",
  maxArgs: 0,
  description: `Checks: schema version, PRAGMA integrity_check, issues.jsonl against the database,
dependencies on unknown issues, cycles, git's merge driver for issues.jsonl, files left by killed
writers. --fix rewrites a drifted JSONL, configures the merge driver and removes stale temp files,
and says what it did. Exit 1 when an error remains.`,
  flags: { fix: { type: "boolean", help: "repair what can be repaired safely" } },
  async run(ctx, _args, flags) {
    const { doctor } = await import("../../core/doctor.ts");
    const { VERSION } = await import("../../version.ts");
    const checks = doctor(ctx.beads(), flags.fix === true);
    const errors = checks.filter((c) => c.status === "error" && !c.fixed).length;
    if (ctx.globals.json) {
      ctx.out.data({ ok: errors === 0, checks });
      return errors ? 1 : 0;
    }
    const n = (s: string) => checks.filter((c) => c.status === s).length;
    ctx.out.line(
      `\nbd doctor v${VERSION}  ${"─".repeat(20)}  ✓ ${n("ok")} passed  ⚠ ${n("warning")} warnings  ✖ ${
        n("error")
      } errors\n`,
    );
    for (const c of checks) {
      const icon = c.status === "ok" ? "✓" : c.status === "warning" ? "⚠" : "✖";
      ctx.out.line(`${icon} ${c.name}: ${c.message}`);
      if (c.fixed) ctx.out.line(`  → fixed: ${c.fixed}`);
    }
    if (n("warning") + n("error") === 0) ctx.out.line("\n✓ All checks passed");
    return errors ? 1 : 0;
  },
};

const FORMATS = ["text", "dot", "mermaid"];

const graph: Command = {
  path: ["graph"],
  section: "Dependencies & Structure",
  summary: "Show the dependency graph (of an issue, or of every open issue) as text, dot or mermaid",
  args: "[ID]",
  maxArgs: 1,
  description: `With ID: what it depends on and what depends on it; without: every issue that is not
closed. --format dot (Graphviz) or mermaid prints a drawing people can render; nodes are coloured
ready / blocked / in progress / closed.

Examples:
  bd graph bd-a3f
  bd graph --format dot | dot -Tsvg > graph.svg`,
  flags: {
    format: { type: "string", value: "FMT", help: "text (default), dot or mermaid" },
    limit: { type: "string", short: "n", value: "N", help: "at most N issues without ID (default 500)" },
  },
  async run(ctx, [id], flags) {
    const format = str(flags, "format") ?? "text";
    if (!FORMATS.includes(format)) throw new BdError("USAGE", `invalid --format "${format}": use text, dot or mermaid`);
    const beads = ctx.beads();
    const { collectGraph, renderGraph, GRAPH_NODE_CAP } = await import("../../core/graph_render.ts");
    const limit = Math.min(int(flags, "limit", 500)! || GRAPH_NODE_CAP, GRAPH_NODE_CAP);
    const open = id ? undefined : beads.list({}, { sort: "priority", limit }).issues;
    const g = collectGraph(beads, { id, issues: open });
    if (ctx.globals.json) return ctx.out.data({ nodes: g.nodes, edges: g.edges });
    if (format !== "text") return ctx.out.line(renderGraph(g, format as "dot" | "mermaid"));
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    for (const n of g.nodes) {
      ctx.out.line(listLine(ctx.out, n));
      for (const e of g.edges.filter((e) => e.issue_id === n.id)) {
        ctx.out.line(
          `    └→ ${e.depends_on_id} (${e.type})${byId.get(e.depends_on_id)?.status === "closed" ? " ✓" : ""}`,
        );
      }
    }
  },
};

function setupCommand(word: "setup" | "onboard"): Command {
  return {
    path: [word],
    section: SETUP,
    summary: word === "setup"
      ? "Write the bd workflow section into AGENTS.md (and CLAUDE.md when present)"
      : "= bd setup: give agents in this project the bd workflow",
    args: "[mcp]",
    maxArgs: 1,
    description: `The section sits between <!-- BEGIN BD --> and <!-- END BD --> markers; running again
replaces only that text. --check reports drift (exit 1) and writes nothing.

Recipes (--list lists them):
  agents  the bd section in AGENTS.md (and CLAUDE.md when present); the default
  claude  a SessionStart hook in .claude/settings.json (--global: ~/.claude/settings.json) that
          runs 'bd prime --hook-json', keeping every other setting and hook; --print shows it,
          --check reports whether it is there and runs (exit 1 if not), --remove takes it out
  mcp     prints the config that registers 'bd mcp' with an MCP client (the "mcpServers" entry
          of Claude Desktop, Cursor, Windsurf and others), with BEADS_DIR set to this workspace
The commands they write name this bd by its absolute path (plain 'bd' only when the bd on PATH
is this program), so they run from any install; running a recipe again changes nothing.`,
    flags: {
      check: { type: "boolean", help: "report whether it is set up and current; write nothing" },
      list: { type: "boolean", help: "list the recipes" },
      print: { type: "boolean", help: "print what the recipe would write; write nothing" },
      remove: { type: "boolean", help: "take out what the recipe wrote" },
      global: { type: "boolean", help: "the user's settings instead of the project's (claude)" },
    },
    async run(ctx, args, flags) {
      if (flags.list === true) {
        const recipes = [
          { name: "agents", summary: "the bd section in AGENTS.md (and CLAUDE.md when present); the default" },
          { name: "claude", summary: "Claude Code: a SessionStart hook running bd prime --hook-json" },
          { name: "mcp", summary: "the mcpServers entry for MCP clients (bd mcp)" },
        ];
        if (ctx.globals.json) return ctx.out.data(recipes);
        for (const r of recipes) ctx.out.line(`  ${r.name.padEnd(8)} ${r.summary}`);
        return;
      }
      if (args[0] === "claude") return await claudeRecipe(ctx, flags);
      if (args[0] !== undefined && args[0] !== "agents") {
        if (args[0] !== "mcp") {
          throw new BdError("USAGE", `unknown recipe "${args[0]}": use agents, claude or mcp (bd setup --list)`);
        }
        const { mcpClientConfig } = await import("../../mcp/client_config.ts");
        const config = mcpClientConfig(ctx.beads().paths.beadsDir, ctx.env);
        if (ctx.globals.json) return ctx.out.data(config);
        ctx.out.line(JSON.stringify(config, null, 2));
        ctx.out.note('Add this to your MCP client\'s configuration (merge the "beads" entry into its mcpServers).');
        return;
      }
      const { syncAgentFiles } = await import("../../core/agents_md.ts");
      const beads = ctx.beads();
      const root = dirname(beads.paths.beadsDir);
      const results = syncAgentFiles(root, beads.prefix, flags.check === true);
      const drift = results.some((r) => r.action === "drift" || r.action === "missing");
      if (ctx.globals.json) ctx.out.data(results);
      else {for (const r of results) {
          ctx.out.line(
            `${r.action === "current" || r.action === "unchanged" ? "✓" : drift ? "⚠" : "✓"} ${r.file}: ${r.action}`,
          );
        }}
      return flags.check === true && drift ? 1 : 0;
    },
  };
}

/** `bd setup claude`: install, print, check or remove Claude Code's SessionStart hook. */
async function claudeRecipe(ctx: Context, flags: Values): Promise<number> {
  const hooks = await import("../../core/agent_hooks.ts");
  const root = dirname(ctx.beads().paths.beadsDir);
  const path = hooks.claudeSettingsPath(root, flags.global === true, ctx.env);
  if (flags.check === true) {
    const registered = hooks.registeredPrime(path);
    const ok = registered !== undefined && hooks.hookProgramExists(registered);
    const result = { path, installed: registered !== undefined, command: registered ?? null, runs: ok };
    if (ctx.globals.json) ctx.out.data(result);
    else {
      ctx.out.line(
        ok
          ? `✓ ${path}: SessionStart runs ${registered}`
          : registered
          ? `⚠ ${path}: the hook's bd is not there any more (${registered}); run 'bd setup claude' again`
          : `⚠ ${path}: no bd SessionStart hook; run 'bd setup claude'`,
      );
    }
    return ok ? 0 : 1;
  }
  const r = hooks.setupClaude(path, ctx.env, { remove: flags.remove === true, dryRun: flags.print === true });
  if (flags.print === true) {
    const snippet = { hooks: { SessionStart: [{ matcher: "", hooks: [{ type: "command", command: r.command }] }] } };
    if (ctx.globals.json) ctx.out.data(snippet);
    else ctx.out.line(JSON.stringify(snippet, null, 2));
    return 0;
  }
  if (ctx.globals.json) ctx.out.data(r);
  else ctx.out.line(`✓ ${r.path}: ${r.action}${r.action === "installed" ? ` (SessionStart runs ${r.command})` : ""}`);
  return 0;
}

function hooksCommand(action: "install" | "uninstall" | "list"): Command {
  return {
    path: ["hooks", action],
    section: SETUP,
    summary: action === "install"
      ? "Install bd's git hooks (pre-commit flush, post-merge/post-checkout import)"
      : action === "uninstall"
      ? "Remove bd's git hooks (restoring hooks they chained)"
      : "Show which of bd's git hooks are installed",
    maxArgs: 0,
    description: action === "install"
      ? `Never installed unless asked. pre-commit writes .beads/issues.jsonl from the database and
stages that file (nothing else); post-merge and post-checkout import it. A hook already there is
kept and runs first.`
      : undefined,
    async run(ctx) {
      const hooks = await import("../../core/sync/hooks.ts");
      const beads = ctx.beads();
      const states = action === "install"
        ? hooks.installHooks(beads.paths.beadsDir, beads.paths.jsonlPath)
        : action === "uninstall"
        ? hooks.uninstallHooks(beads.paths.beadsDir)
        : hooks.listHooks(beads.paths.beadsDir);
      if (ctx.globals.json) return ctx.out.data(states);
      for (const h of states) {
        const mark = h.state === "installed" ? "✓" : h.state === "other" ? "•" : "○";
        ctx.out.line(
          `${mark} ${h.name}: ${h.state === "other" ? "another tool's hook" : h.state}${
            h.chained ? " (runs the previous hook first)" : ""
          }`,
        );
      }
    },
  };
}

export const maintenanceCommands: Command[] = [
  info,
  where,
  lint,
  orphans,
  doctorCmd,
  graph,
  setupCommand("setup"),
  setupCommand("onboard"),
  hooksCommand("install"),
  hooksCommand("uninstall"),
  hooksCommand("list"),
];
