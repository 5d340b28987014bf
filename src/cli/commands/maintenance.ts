/** Looking after a workspace: info, where, lint, orphans, doctor, graph, setup/onboard, hooks. */
import { dirname } from "node:path";
import { BdError } from "../../model/errors.ts";
import type { Command, Context } from "../command.ts";
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
  writesFiles: (flags) => flags.fix === true,
  section: MAINT,
  summary: "Check the workspace's health (and --fix what can be fixed)",
  maxArgs: 0,
  description: `Checks: schema version, PRAGMA integrity_check, issues.jsonl against the database,
dependencies on unknown issues, cycles, git's merge driver for issues.jsonl, files left by killed
writers. --fix rewrites a drifted JSONL, configures the merge driver and removes stale temp files,
and says what it did. Exit 1 when an error remains.

A damaged database (SQLite: malformed, not a database, or a failed integrity check) is named;
--fix moves it aside as <db>.damaged-<time> (kept, never deleted), rebuilds the database from
issues.jsonl, and carries over what SQLite can still read of the old file: the config and the
applications' own tables. It says what was recovered.`,
  flags: { fix: { type: "boolean", help: "repair what can be repaired safely" } },
  async run(ctx, _args, flags) {
    const { doctor } = await import("../../core/doctor.ts");
    const { VERSION } = await import("../../version.ts");
    let opened;
    try {
      opened = ctx.beads();
    } catch (e) {
      if (!(e instanceof BdError) || e.code !== "CORRUPT") throw e;
      return await damaged(ctx, e, flags.fix === true);
    }
    let checks;
    try {
      checks = doctor(opened, flags.fix === true);
    } catch (e) {
      if (!(e instanceof BdError) || e.code !== "CORRUPT") throw e;
      opened.close();
      return await damaged(ctx, e, flags.fix === true);
    }
    const broken = checks.find((c) => c.name === "integrity" && c.status === "error");
    if (broken && flags.fix === true) {
      opened.close();
      return await damaged(ctx, new BdError("CORRUPT", broken.message), true);
    }
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

/** bd doctor on a damaged database: name the damage; with --fix, rebuild it and say what came back. */
async function damaged(ctx: Context, e: BdError, fix: boolean): Promise<number> {
  const { locateWorkspace } = await import("../../core/workspace.ts");
  const paths = locateWorkspace({ db: ctx.globals.db, cwd: ctx.cwd, env: ctx.env });
  const why = /\(([^)]*)\)/.exec(e.message)?.[1] ?? e.message;
  const damage = { name: "database", status: "error", message: `${paths.dbPath} is damaged (${why})` };
  if (!fix) {
    if (ctx.globals.json) ctx.out.data({ ok: false, checks: [damage] });
    else {ctx.out.line(
        `✖ database: ${damage.message}\n  → bd doctor --fix moves it aside and rebuilds it from issues.jsonl`,
      );}
    return 1;
  }
  const { rebuildDatabase } = await import("../../core/repair.ts");
  const report = rebuildDatabase(paths, ctx.env);
  const kept = report.extension_tables.filter((t) => t.rows !== undefined);
  const lost = report.extension_tables.filter((t) => t.error !== undefined);
  const fixed =
    `moved the damaged file to ${report.moved_to} (kept); rebuilt ${paths.dbPath} from issues.jsonl: ${report.issues} issues, ${report.memories} memories, ${report.config} config entries${
      kept.length ? `; ${kept.map((t) => `${t.table} (${t.rows} rows)`).join(", ")} carried over` : ""
    }${lost.length ? `; unreadable: ${lost.map((t) => `${t.table} (${t.error})`).join(", ")}` : ""}`;
  if (ctx.globals.json) ctx.out.data({ ok: true, checks: [{ ...damage, fixed }], recovered: report });
  else ctx.out.line(`✖ database: ${paths.dbPath} was damaged\n  → fixed: ${fixed}`);
  return 0;
}

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
    writesFiles: (flags) => !flags.check && !flags.list && !flags.print,
    section: SETUP,
    summary: word === "setup"
      ? "Give coding agents the bd workflow: AGENTS.md, or a recipe (claude, gemini, codex, cursor, ...)"
      : "= bd setup: give agents in this project the bd workflow",
    args: "[RECIPE]",
    maxArgs: 1,
    description: `Without a recipe: the bd section in AGENTS.md (and CLAUDE.md when present). Sections sit between
<!-- BEGIN BD --> and <!-- END BD --> markers; running again replaces only that text.

Recipes (bd setup --list):
  agents   the bd section in AGENTS.md (and CLAUDE.md when present); the default
  claude   a SessionStart hook running 'bd prime --hook-json' in .claude/settings.json
  gemini   the same hook in .gemini/settings.json
  codex    the bd section in AGENTS.md (Codex reads it)
  factory  the bd section in AGENTS.md (Factory's droids read it)
  cursor   an always-applied rule, .cursor/rules/beads.mdc
  copilot  the bd section in .github/copilot-instructions.md
  aider    .aider/BEADS.md, read through .aider.conf.yml
  mcp      prints the "mcpServers" entry that starts 'bd mcp' (Claude Desktop, Cursor, ...), with
           BEADS_DIR set to this workspace
Every recipe keeps what is yours (other settings and hooks, text outside the markers), and a
second run changes nothing. --check reports whether it is in place and current (exit 1 if not),
--print shows what it would write, --remove takes it out, --global writes the user's settings
(claude, gemini). Hook commands name this bd by its absolute path (plain 'bd' only when the bd on
PATH is this program), so they run from any install; 'bd doctor' checks the Claude hook.

Examples:
  bd setup claude
  bd setup cursor --check
  bd setup mcp --json`,
    flags: {
      check: { type: "boolean", help: "report whether it is in place and current (exit 1 if not); write nothing" },
      list: { type: "boolean", help: "list the recipes" },
      print: { type: "boolean", help: "show what the recipe would write; write nothing" },
      remove: { type: "boolean", help: "take out what the recipe wrote" },
      global: { type: "boolean", help: "the user's settings instead of the project's (claude, gemini)" },
    },
    async run(ctx, args, flags) {
      const { RECIPES, runRecipe } = await import("../../core/agent_recipes.ts");
      if (flags.list === true) {
        const recipes = Object.entries(RECIPES).map(([name, summary]) => ({ name, summary }));
        if (ctx.globals.json) return ctx.out.data(recipes);
        for (const r of recipes) ctx.out.line(`  ${r.name.padEnd(8)} ${r.summary}`);
        return;
      }
      const recipe = args[0] ?? "agents";
      if (!(recipe in RECIPES)) {
        throw new BdError(
          "USAGE",
          `unknown recipe "${recipe}": use ${Object.keys(RECIPES).join(", ")} (bd ${word} --list)`,
        );
      }
      const beads = ctx.beads();
      if (recipe === "mcp") {
        const { mcpClientConfig } = await import("../../mcp/client_config.ts");
        const config = mcpClientConfig(beads.paths.beadsDir, ctx.env);
        if (ctx.globals.json) return ctx.out.data(config);
        ctx.out.line(JSON.stringify(config, null, 2));
        ctx.out.note('Add this to your MCP client\'s configuration (merge the "beads" entry into its mcpServers).');
        return;
      }
      const r = runRecipe(recipe as Exclude<keyof typeof RECIPES, "mcp">, dirname(beads.paths.beadsDir), beads.prefix, {
        check: flags.check === true,
        remove: flags.remove === true,
        print: flags.print === true,
        global: flags.global === true,
        env: ctx.env,
      });
      // Plain 'bd setup --json' keeps its array of files (as before recipes).
      if (ctx.globals.json) ctx.out.data(args[0] === undefined ? r.files : r);
      else {
        for (const f of r.files) {
          const bad = f.action === "drift" || f.action === "missing";
          ctx.out.line(`${bad ? "⚠" : "✓"} ${f.file}: ${f.action}${f.command ? ` (${f.command})` : ""}`);
        }
        if (flags.print === true) ctx.out.note("(--print: nothing was written)");
      }
      return flags.check === true && !r.ok ? 1 : 0;
    },
  };
}

function hooksCommand(action: "install" | "uninstall" | "list"): Command {
  return {
    path: ["hooks", action],
    writesFiles: action !== "list",
    section: SETUP,
    summary: action === "install"
      ? "Install bd's git hooks (pre-commit flush, post-merge/post-checkout import)"
      : action === "uninstall"
      ? "Remove bd's git hooks (restoring hooks they chained)"
      : "Show which of bd's git hooks are installed",
    maxArgs: 0,
    description: action === "install"
      ? `bd init installs them too (unless --skip-hooks). pre-commit writes .beads/issues.jsonl from
the database and stages that file (nothing else); post-merge and post-checkout import it. A hook
already there is kept and runs first. They stand aside while bd itself runs git (bd sync) and in
the middle of a rebase; the next bd command imports the finished file. Installing again rewrites
them for this bd (bd doctor --fix does too).`
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
