/** Setting up and learning bd: init, version, quickstart, prime. */
import type { Command } from "../command.ts";
import { BdError } from "../../model/errors.ts";
import { primer, primerText, REMOTE_PRIMER_LINE } from "../../core/primer.ts";
import { str } from "./util.ts";

const SECTION = "Setup & Configuration";

const init: Command = {
  path: ["init"],
  writesFiles: true,
  section: SECTION,
  summary: "Create a workspace (.beads/) in this directory",
  maxArgs: 0,
  description: `Creates .beads/<prefix>.db (beads.db without --prefix; the prefix then comes from the
directory name), .beads/issues.jsonl and .beads/.gitignore. If issues.jsonl already exists (a
cloned repository), the database is rebuilt from it. Inside a git repository it also makes bd
git's merge driver for issues.jsonl (a line in .gitattributes, merge.beads.* in .git/config), so
that plain 'git pull' and 'git merge' merge issues instead of leaving conflict markers.

In a linked git worktree ('git worktree add') no second database is made: every worktree uses
the main worktree's .beads/ (so a claim is atomic across them); init says which, or sets that
one up when the main worktree has none yet.

It installs bd's git hooks (as 'bd hooks install'; --skip-hooks leaves them out): pre-commit
writes issues.jsonl from the database and stages it, post-merge and post-checkout import it. A
hook another tool put there is kept and runs first; a hooks directory set by core.hooksPath
(husky, lefthook) is left alone ('bd hooks install' adds bd's there). They run this bd by its
path, so they work with bd off PATH.

It also writes the bd workflow section into AGENTS.md (and CLAUDE.md when there is one), as
'bd setup' does; --skip-agents leaves them alone. --stealth keeps bd out of git entirely: .beads/
goes into .git/info/exclude (this clone only), and no AGENTS.md, .gitattributes, merge driver or
git hook is written.`,
  flags: {
    prefix: { type: "string", short: "p", value: "PREFIX", help: "issue ID prefix (and database name)" },
    sequential: { type: "boolean", help: "number issues prefix-1, prefix-2, ... instead of hash IDs" },
    "skip-merge-driver": { type: "boolean", help: "do not configure bd as git's merge driver for issues.jsonl" },
    force: { type: "boolean", help: "adopt a database that is already there (nothing is deleted)" },
    "skip-agents": { type: "boolean", help: "do not write the bd section into AGENTS.md" },
    "skip-hooks": { type: "boolean", help: "do not install bd's git hooks (pre-commit, post-merge, post-checkout)" },
    stealth: {
      type: "boolean",
      help: "track nothing bd adds: .beads/ in .git/info/exclude; no AGENTS.md, .gitattributes, merge driver or hooks",
    },
  },
  async run(ctx, _args, flags) {
    // Loaded when used: init's helpers (hooks, agent files, the merge driver) stay off every other command's start-up.
    const { initWorkspace } = await import("../../core/init.ts");
    const result = initWorkspace({
      cwd: ctx.cwd,
      env: ctx.env,
      db: ctx.globals.db,
      prefix: str(flags, "prefix"),
      sequential: flags.sequential === true,
      actor: ctx.globals.actor,
      autoFlush: !ctx.globals.noAutoFlush,
      mergeDriver: flags["skip-merge-driver"] !== true,
      force: flags.force === true,
      agents: flags["skip-agents"] !== true,
      hooks: flags["skip-hooks"] !== true,
      stealth: flags.stealth === true,
    });
    result.beads.close();
    if (result.shared) {
      const main = result.paths.worktree!.main;
      if (ctx.globals.json) {
        return ctx.out.data({
          database: result.paths.dbPath,
          jsonl: result.paths.jsonlPath,
          prefix: result.prefix,
          shared_with_worktree: main,
          created: false,
        });
      }
      ctx.out.line(
        `This is a linked worktree of ${main}: it uses the shared database ${result.paths.dbPath}, as every worktree of the repository does. Nothing was created.`,
      );
      return;
    }
    for (const r of result.imported?.rejected ?? []) {
      ctx.out.note(`Warning: issues.jsonl line ${r.line} kept out of the database (${r.reason}); bd doctor lists it`);
    }
    if (ctx.globals.json) {
      return ctx.out.data({
        database: result.paths.dbPath,
        jsonl: result.paths.jsonlPath,
        prefix: result.prefix,
        imported: result.imported ?? null,
        merge_driver: result.mergeDriver ?? null,
        agents: result.agents ?? null,
        excluded_in: result.excluded ?? null,
        hooks: result.hooks?.map((h) => h.name) ?? null,
        ...(result.hooksSkipped ? { hooks_skipped: result.hooksSkipped } : {}),
      });
    }
    if (ctx.globals.quiet) return; // bd init -q prints nothing on success
    ctx.out.line(`\n${ctx.out.paint("green", "✓")} bd initialized successfully!\n`);
    ctx.out.line(`  Backend: sqlite`);
    ctx.out.line(`  Database: ${result.paths.dbPath}`);
    ctx.out.line(`  Issue prefix: ${result.prefix}`);
    ctx.out.line(`  Issues will be named: ${result.prefix}-<hash> (e.g., ${result.prefix}-a3f2dd)`);
    if (result.imported) ctx.out.line(`  Rebuilt from issues.jsonl: ${result.imported.created} issues`);
    if (result.mergeDriver?.length) {
      ctx.out.line(
        `  Merge driver: configured (${result.mergeDriver.join(", ")}); git merges issues.jsonl issue by issue`,
      );
    }
    if (result.hooks) {
      const chained = result.hooks.filter((h) => h.chained).map((h) => h.name);
      ctx.out.line(
        `  Git hooks: ${result.hooks.map((h) => h.name).join(", ")}${
          chained.length ? ` (chaining the ${chained.join(", ")} already there)` : ""
        }; 'bd hooks uninstall' removes them`,
      );
    }
    if (result.hooksSkipped) ctx.out.line(`  Git hooks: not installed: ${result.hooksSkipped}`);
    for (const a of result.agents ?? []) {
      if (a.action !== "unchanged") ctx.out.line(`  Agent instructions: ${a.file} (${a.action}; bd setup --help)`);
    }
    if (result.excluded) {
      ctx.out.line(`  Stealth: .beads/ is excluded in ${result.excluded}; git tracks nothing bd adds`);
    }
    ctx.out.line(`\nRun bd quickstart to get started.\n`);
  },
};

/** The walkthrough. Lines indented by five spaces are shell commands, run as written by a test. */
export const QUICKSTART = `
bd - Dependency-Aware Issue Tracker

A five-minute walkthrough: the indented lines run as written in a shell.

bd tracks issues and the dependencies between them, so that you (or an agent) can always ask
"what can I work on now?". Data lives in .beads/: a SQLite database (a local cache) and
issues.jsonl (commit this one to git).

1. Create a workspace in a project directory (a git repository, to share it later):
     mkdir bd-demo && cd bd-demo && git init -q
     bd init --prefix demo

2. Create issues (IDs are short hashes like demo-a3f; --silent prints just the ID):
     DB=$(bd create "Set up the database" -p 1 -t task --silent)
     API=$(bd create "Write the API" -p 1 -t feature --silent)
     BUG=$(bd create "Fix the login bug" -p 0 -t bug -l auth --silent)

3. Say what blocks what ("the API depends on the database"):
     bd dep add $API $DB
     bd dep tree $API

4. Ask for ready work — open, not blocked, not deferred:
     bd ready
     bd blocked

5. Work on something and finish it:
     bd update $DB --claim
     bd close $DB --reason "Done"
     bd ready

6. Everything prints JSON for scripts and agents:
     bd ready --json --limit 1
     bd show $API --json

7. Share through git: bd sync commits .beads/issues.jsonl (and pulls and pushes when there is
   a remote):
     bd sync --no-push

More: bd --help, bd <command> --help, bd prime (the agent primer).

Ready to start!`;

const quickstart: Command = {
  path: ["quickstart"],
  section: SECTION,
  summary: "A short walkthrough of bd",
  maxArgs: 0,
  workspace: false,
  run(ctx) {
    if (ctx.globals.json) return ctx.out.data({ text: QUICKSTART });
    ctx.out.line(QUICKSTART);
  },
};

const prime: Command = {
  path: ["prime"],
  section: SECTION,
  summary: "Print the concise workflow primer for agents",
  maxArgs: 0,
  description: `Prints the workflow an agent needs, then the workspace's memories (bd remember), if any.
It stays short (under 2 KB); --full adds quality tools, lifecycle and hygiene, structured work
(epics, children, triage) and conventions.
--hook-json wraps it in the SessionStart hook envelope that Claude Code, Gemini CLI and Codex read
({"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":...}}); 'bd setup claude'
registers that hook.`,
  flags: {
    full: {
      type: "boolean",
      help: "the long primer: quality tools, lifecycle and hygiene, epics and triage, conventions",
    },
    "hook-json": { type: "boolean", help: "print the SessionStart hook JSON envelope (for agent hooks)" },
  },
  run(ctx, _args, flags) {
    let beads;
    try {
      beads = ctx.beads();
    } catch (e) {
      if (!(e instanceof BdError) || e.code !== "NOT_FOUND") throw e; // outside a workspace: the primer alone
    }
    const p = primer(beads, flags.full === true);
    if (ctx.remote || ctx.env.BD_SERVER) {
      p.text = p.text.replace(/\n- Before ending a session/, `\n${REMOTE_PRIMER_LINE}$&`);
    }
    if (flags["hook-json"] === true) {
      // The hook host reads stdout as JSON: nothing else may be printed there.
      return ctx.out.raw(
        JSON.stringify({ hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: primerText(p) } }) +
          "\n",
      );
    }
    if (ctx.globals.json) return ctx.out.data({ text: p.text, memories: p.memories });
    ctx.out.line(primerText(p));
  },
};

export const setupCommands: Command[] = [init, quickstart, prime];
