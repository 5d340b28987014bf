/** JSONL and git: export, import, sync. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BdError, validation } from "../../model/errors.ts";
import {
  countLines,
  exportText,
  jsonlHasContent,
  replaceJsonl,
  workspaceText,
  writeFileAtomic,
} from "../../core/sync/jsonl_io.ts";
import { importText, importWorkspaceText } from "../../core/sync/jsonl_import.ts";
import { mergeJsonl } from "../../core/sync/jsonl_merge.ts";
import type { Command } from "../command.ts";
import { list, str } from "./util.ts";

const SECTION = "Sync & Data";

const exportCmd: Command = {
  path: ["export"],
  writesFiles: (flags) => flags.output !== undefined,
  section: SECTION,
  summary: "Write issues as JSONL (stdout, or -o FILE)",
  maxArgs: 0,
  description: `One compact issue per line, sorted by ID, with labels, dependencies and comments, plus
tombstone lines for deleted issues. The file is written to a temp file and renamed.`,
  flags: {
    output: { type: "string", short: "o", value: "FILE", help: "write to FILE (atomically) instead of stdout" },
    status: { type: "string", short: "s", value: "S[,S]", help: "only these statuses", multiple: true },
    force: { type: "boolean", help: "allow replacing a non-empty file with an empty export" },
  },
  run(ctx, _args, flags) {
    const beads = ctx.beads();
    const statuses = list(flags, "status");
    const output = str(flags, "output");
    if (output === undefined) {
      const text = exportText(beads, statuses ? { status: statuses } : undefined);
      ctx.out.raw(text);
      return;
    }
    const path = resolve(ctx.cwd, output);
    const refuseEmpty = (text: string) => {
      if (!text && jsonlHasContent(path) && !flags.force) {
        throw new BdError("CONFLICT", `refusing to replace non-empty ${output} with an empty export (use --force)`);
      }
    };
    let n: number;
    if (path === beads.paths.jsonlPath && !statuses) {
      // The workspace's own file: written under the write lock and recorded as current.
      n = beads.db.write(() => {
        const text = workspaceText(beads);
        refuseEmpty(text);
        replaceJsonl(beads, text);
        return countLines(text);
      });
    } else {
      const text = exportText(beads, statuses ? { status: statuses } : undefined);
      refuseEmpty(text);
      writeFileAtomic(path, text);
      n = countLines(text);
    }
    ctx.out.note(`Exported ${n} issues to ${output}`);
    if (ctx.globals.json) ctx.out.data({ path, issues: n });
  },
};

const importCmd: Command = {
  path: ["import"],
  section: SECTION,
  summary: "Import issues from JSONL (upsert by ID, newer updated_at wins)",
  args: "[FILE]",
  maxArgs: 1,
  description: `Upsert by ID (the newer updated_at wins); tombstones delete; the whole import is one
transaction.

Bad lines: a line no command could use (not JSON, an ID without a prefix or with control
characters, priority outside 0-4, a title over 5000 characters, a bad timestamp, status or type
name, a self-dependency) is not imported; it is reported with its line number and reason (under
--json in "rejected"), and the good lines still go in. --strict refuses the whole file instead.
Several lines of one issue: the latest updated_at stands, and they are reported ("duplicates").
Lines bd keeps out of the workspace's own file stay in it, untouched, for a person to mend;
'bd doctor' lists them.

Labels, dependencies and comments:
  - the workspace's own file (the default): for each issue whose line changed since bd last
    flushed or imported it, the file's sets are the truth, removals included; changes made here
    and never flushed are merged three-way, so they are kept too. Memories gone from the file
    are forgotten here.
  - another file (bd import FILE, or -i FILE): added to what the database has, never removed,
    unless --replace.

Examples:
  bd import                          # re-read .beads/issues.jsonl (bd does this by itself after git pull)
  bd import other.jsonl --dry-run    # what another file would change
  bd export | bd import -            # - reads stdin
  bd import -i snapshot.jsonl --replace`,
  flags: {
    input: {
      type: "string",
      short: "i",
      value: "FILE",
      help: "read FILE (- = stdin; default .beads/issues.jsonl)",
      readsFile: true,
    },
    "skip-existing": { type: "boolean", help: "leave issues that already exist untouched" },
    replace: {
      type: "boolean",
      help: "the file's labels, dependencies and comments replace those of the issues it has",
    },
    "dry-run": { type: "boolean", help: "report what would change, change nothing" },
    strict: { type: "boolean", help: "refuse the whole file if any line cannot be imported" },
  },
  run(ctx, [file], flags) {
    if (file !== undefined && str(flags, "input") !== undefined && file !== str(flags, "input")) {
      throw new BdError("USAGE", "give the file once: as the argument or with -i, not both");
    }
    const beads = ctx.beads();
    const input = file ?? str(flags, "input");
    let text: string;
    const path = input === undefined ? beads.paths.jsonlPath : input === "-" ? undefined : resolve(ctx.cwd, input);
    if (path === undefined) text = ctx.readStdin();
    else {
      try {
        text = input === undefined ? readFileSync(path, "utf8") : ctx.readFile(input);
      } catch (e) {
        if (e instanceof BdError) throw e;
        throw validation(`cannot read ${input ?? path}: ${(e as Error).message}`);
      }
    }
    const opts = { skipExisting: flags["skip-existing"] === true, dryRun: flags["dry-run"] === true };
    const ownFile = path === beads.paths.jsonlPath && flags.replace !== true;
    if (ownFile && flags.strict === true) {
      throw new BdError(
        "USAGE",
        "--strict is for another file: the workspace's own file keeps its bad lines for mending",
      );
    }
    const summary = ownFile
      ? importWorkspaceText(beads, text, opts)
      : importText(beads, text, { ...opts, replace: flags.replace === true, strict: flags.strict === true });
    const line = `${
      summary.dry_run ? "Dry run: would import " : "Imported: "
    }${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.deleted} deleted${
      summary.skipped ? `, ${summary.skipped} skipped` : ""
    }${summary.memories ? `, ${summary.memories} memories` : ""}${
      summary.other_records ? `, ${summary.other_records} other records kept` : ""
    }${summary.rejected ? `, ${summary.rejected.length} lines not imported` : ""}`;
    if (ctx.globals.json) ctx.out.data(summary);
    else ctx.out.note(line);
    for (const note of summary.notes ?? []) ctx.out.note(`Note: ${note}`);
  },
};

const sync: Command = {
  path: ["sync"],
  writesFiles: true,
  section: SECTION,
  summary: "Flush, commit the JSONL, fetch and rebase (merging issue by issue), import, push",
  maxArgs: 0,
  description: `Uses the git repository that holds the workspace. On a conflict in issues.jsonl both
sides are merged issue by issue with the rule of 'bd merge', then the rebase continues. Conflict
markers left in the file by a merge outside bd are resolved first.

All or nothing: if a step fails (a hook, the fetch, a conflict outside issues.jsonl), the
repository is put back as it was and the database is unchanged; a failed push leaves the merged
result committed locally for the next 'bd sync'.

Many clones at once: when the remote rejects the push because another clone pushed first (not a
fast-forward, or its ref lock was held), sync fetches, merges, imports and pushes again with
jittered back-off, up to 12 tries or 90 seconds; the JSON report counts them (push_retries).

Branches: it pushes to the branch's configured upstream whatever the local branch is called
(master tracking origin/main pushes to main). With no upstream it follows git's push.default if
you set one, else pushes to the branch of the same name and makes it the upstream. A detached
HEAD is refused. From a linked worktree it syncs the shared issues.jsonl of the main worktree
(committing there, on the main worktree's branch), and says so.`,
  flags: {
    "no-push": { type: "boolean", help: "do not push" },
    "no-pull": { type: "boolean", help: "do not pull" },
    "dry-run": { type: "boolean", help: "say what would happen, change nothing" },
    message: { type: "string", short: "m", value: "MSG", help: "commit message" },
  },
  async run(ctx, _args, flags) {
    const { gitSync } = await import("../../core/sync/git_sync.ts"); // spawns git: loaded only here
    const report = gitSync(ctx.beads(), {
      push: flags["no-push"] !== true,
      pull: flags["no-pull"] !== true,
      dryRun: flags["dry-run"] === true,
      message: str(flags, "message"),
    });
    if (ctx.globals.json) return ctx.out.data(report);
    for (const step of report.steps) ctx.out.line(`${ctx.out.paint("green", "✓")} ${step}`);
  },
};

const merge: Command = {
  path: ["merge"],
  writesFiles: true,
  section: SECTION,
  summary: "Git merge driver: three-way merge of issues.jsonl, issue by issue",
  args: "OUTPUT BASE LEFT RIGHT",
  minArgs: 4,
  maxArgs: 4,
  description: `Merges LEFT and RIGHT (two versions of issues.jsonl) against BASE, their common ancestor,
and writes the result to OUTPUT: issues matched by ID, fields changed on one side kept, a field
changed on both sides taken from the later updated_at, labels/dependencies/comments merged as
sets, a deletion beating an older edit. Never writes conflict markers. Exit 0 when merged, 1 when
an input is malformed (OUTPUT is then left as it was).

bd init configures git to call it (disable with --skip-merge-driver):
  .gitattributes:  .beads/issues.jsonl merge=beads
  git config:      merge.beads.driver "/path/to/bd merge %A %O %A %B"
The recorded command names this bd by its absolute path (plain 'bd' only when the bd on PATH is
this program), so git finds it from any shell; 'bd doctor' checks that it runs, '--fix' rewrites it.

Example:
  bd merge merged.jsonl base.jsonl ours.jsonl theirs.jsonl`,
  run(ctx, args) {
    const [output, ...inputs] = args.map((a) => resolve(ctx.cwd, a));
    const [base, left, right] = inputs.map((path, i) => {
      try {
        return readFileSync(path, "utf8");
      } catch (e) {
        throw validation(`cannot read ${["BASE", "LEFT", "RIGHT"][i]} ${args[i + 1]}: ${(e as Error).message}`);
      }
    });
    const result = mergeJsonl(base, left, right);
    writeFileAtomic(output, result.text);
    for (const u of result.unusable) {
      ctx.out.note(`Warning: merged line ${u.line} cannot be imported (${u.reason}); it is kept for mending`);
    }
    if (ctx.globals.json) {
      ctx.out.data({ output, merged: result.merged, records: countLines(result.text), unusable: result.unusable });
    }
  },
};

const resolveConflicts: Command = {
  path: ["resolve-conflicts"],
  writesFiles: true,
  section: "Maintenance",
  summary: "Resolve git conflict markers in issues.jsonl by the merge rule",
  maxArgs: 0,
  description: `When a merge made outside bd (plain git without the merge driver, or an older bd) leaves
conflict markers in .beads/issues.jsonl, bd reads but refuses to write until they are resolved.
While git still holds the merge, this takes git's three versions (base, ours, theirs) and merges
them issue by issue with the rule of 'bd merge'; otherwise it parses both sides of every
conflict (and the base, with merge.conflictStyle diff3). It writes the clean file and imports
it; a marker line is never imported as data. Then: git add .beads/issues.jsonl && git commit.

Example:
  bd resolve-conflicts --dry-run`,
  flags: {
    "dry-run": { type: "boolean", help: "say what would be resolved, change nothing" },
  },
  async run(ctx, _args, flags) {
    const beads = ctx.beads();
    const dryRun = flags["dry-run"] === true;
    const { resolveJsonlConflicts } = await import("../../core/sync/conflicts.ts"); // spawns git: loaded only here
    const result = resolveJsonlConflicts(beads, { dryRun });
    if (ctx.globals.json) {
      return ctx.out.data({ path: beads.paths.jsonlPath, dry_run: dryRun, conflicts: 0, merged: 0, ...result });
    }
    if (!result) return ctx.out.line(`No conflict markers in ${beads.paths.jsonlPath}`);
    const verb = dryRun ? "Would resolve" : "Resolved";
    ctx.out.line(
      `${
        ctx.out.paint("green", "✓")
      } ${verb} ${result.conflicts} conflict(s) in ${beads.paths.jsonlPath} (${result.merged} record(s) merged field by field, ${result.records} records, from ${
        result.source === "git-index" ? "git's three versions" : "the conflict markers"
      })`,
    );
    if (!dryRun) ctx.out.line("Next: git add .beads/issues.jsonl && git commit");
  },
};

export const dataCommands: Command[] = [exportCmd, importCmd, sync, merge, resolveConflicts];
