/** Everyday commands around an issue's life: defer, undefer, q, edit, children, duplicate, supersede, relate. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { BdError } from "../../model/errors.ts";
import type { UpdateInput } from "../../core/service.ts";
import {
  closeEligibleEpics,
  closeInFavourOf,
  deferIssue,
  relate,
  undeferIssue,
  unrelate,
} from "../../core/lifecycle.ts";
import type { Command } from "../command.ts";
import { listLine } from "../format.ts";
import { eachIssue, edgeResult, str } from "./util.ts";
import { parseUserTime } from "../../model/time_input.ts";

const ISSUES = "Working With Issues";
const STRUCTURE = "Dependencies & Structure";
const MORE = "Additional Commands";

const defer: Command = {
  path: ["defer"],
  section: MORE,
  summary: "Park issues: status deferred, hidden from ready work (until a time, with --until)",
  args: "ID [ID...]",
  minArgs: 1,
  description: `A deferred issue is not ready work. With --until it comes back (status open) once the
time has passed; without, it stays parked until 'bd undefer'.

Examples:
  bd defer bd-a3f --until +2w
  bd defer bd-a3f bd-9c2 --until 2027-01-15`,
  flags: {
    until: {
      type: "string",
      value: "WHEN",
      help: "come back then: +1h, +2w, 3m (months), tomorrow, next monday, 2025-01-15",
    },
  },
  async run(ctx, args, flags) {
    const until = str(flags, "until") === undefined ? undefined : await parseUserTime(str(flags, "until")!, "--until");
    const beads = ctx.beads();
    return eachIssue(
      ctx,
      args,
      (id) => deferIssue(beads, id, until),
      (i) => `* Deferred ${i.id}${i.defer_until ? ` until ${i.defer_until}` : ""}`,
    );
  },
};

const undefer: Command = {
  path: ["undefer"],
  section: MORE,
  summary: "Bring deferred issues back (status open)",
  args: "ID [ID...]",
  minArgs: 1,
  run(ctx, args) {
    const beads = ctx.beads();
    return eachIssue(ctx, args, (id) => undeferIssue(beads, id), (i) => `* Undeferred ${i.id} (now open)`);
  },
};

const quick: Command = {
  path: ["q"],
  section: ISSUES,
  summary: "Quick capture: create an issue and print only its ID",
  args: "TITLE",
  minArgs: 1,
  missingArgs: "title required",
  description: `Takes the same -p and -t as create. The words of TITLE may be given unquoted.

Examples:
  bd q Flaky login test -p 1 -t bug`,
  flags: {
    priority: { type: "string", short: "p", value: "P", help: "priority 0-4 or P0-P4 (default 2)" },
    type: {
      type: "string",
      short: "t",
      value: "TYPE",
      help: "bug, feature, task (default), epic, chore, decision, or a custom type (bd types)",
    },
  },
  run(ctx, args, flags) {
    const issue = ctx.beads().create({
      title: args.join(" "),
      priority: str(flags, "priority"),
      issue_type: str(flags, "type"),
    });
    if (ctx.globals.json) return ctx.out.data({ id: issue.id });
    ctx.out.line(issue.id);
  },
};

const EDIT_FIELDS = {
  title: "title",
  description: "description",
  design: "design",
  notes: "notes",
  acceptance: "acceptance_criteria",
} as const;

const edit: Command = {
  path: ["edit"],
  section: ISSUES,
  summary: "Edit one field of an issue in $VISUAL or $EDITOR (description by default)",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  description: `Opens the field in your editor; saves only when the text changed.

Examples:
  bd edit bd-a3f
  EDITOR=nano bd edit bd-a3f --notes`,
  flags: Object.fromEntries(
    Object.keys(EDIT_FIELDS).map((f) => [f, { type: "boolean" as const, help: `edit the ${f}` }]),
  ),
  run(ctx, [id], flags) {
    const chosen = (Object.keys(EDIT_FIELDS) as (keyof typeof EDIT_FIELDS)[]).filter((f) => flags[f] === true);
    if (chosen.length > 1) {
      throw new BdError("USAGE", "choose one field: --title, --description, --design, --notes or --acceptance");
    }
    const field = EDIT_FIELDS[chosen[0] ?? "description"];
    const editor = ctx.env.VISUAL || ctx.env.EDITOR;
    if (!editor) throw new BdError("USAGE", "set $VISUAL or $EDITOR to the editor to use (e.g. EDITOR=nano)");
    const beads = ctx.beads();
    const issue = beads.issue(id);
    const before = String(issue[field] ?? "");
    // Loaded here only: node:os and node:child_process cost every other command start-up time.
    const os = process.getBuiltinModule("node:os") as typeof import("node:os");
    const cp = process.getBuiltinModule("node:child_process") as typeof import("node:child_process");
    const dir = mkdtempSync(join(os.tmpdir(), "bd-edit-"));
    const file = join(dir, `${issue.id}-${field}.md`);
    try {
      writeFileSync(file, before);
      // Through the shell, so that EDITOR may carry arguments ("code --wait").
      const r = cp.spawnSync("sh", ["-c", `${editor} "$1"`, "sh", file], { stdio: "inherit", env: ctx.env });
      if (r.error || r.status !== 0) {
        throw new BdError(
          "VALIDATION",
          `the editor (${editor}) failed${
            r.error ? `: ${r.error.message}` : ` with exit ${r.status}`
          }; nothing was changed`,
        );
      }
      const after = readFileSync(file, "utf8").replace(/\n$/, before.endsWith("\n") ? "\n" : "");
      if (after === before) {
        if (ctx.globals.json) return ctx.out.data({ id: issue.id, field, changed: false });
        return ctx.out.line("No changes made");
      }
      const updated = beads.update(issue.id, { [field]: after } as UpdateInput);
      if (ctx.globals.json) return ctx.out.data({ id: updated.id, field, changed: true });
      ctx.out.line(`✓ Updated ${field} for issue: ${updated.id}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const children: Command = {
  path: ["children"],
  section: ISSUES,
  summary: "List an issue's children (= bd list --parent ID --all)",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  run(ctx, [id]) {
    const beads = ctx.beads();
    const parent = beads.resolveId(id);
    const { issues } = beads.list({ parent, includeClosed: true }, { sort: "id", limit: 0 });
    const rows = beads.decorate(issues);
    if (ctx.globals.json) return ctx.out.data(rows);
    for (const i of rows) ctx.out.line(listLine(ctx.out, i));
  },
};

function closeInFavour(how: "duplicates" | "supersedes"): Command {
  const dup = how === "duplicates";
  return {
    path: [dup ? "duplicate" : "supersede"],
    section: STRUCTURE,
    summary: dup ? "Close an issue as a duplicate of another" : "Close an issue as superseded by a newer one",
    args: "ID",
    minArgs: 1,
    maxArgs: 1,
    description: dup
      ? `Adds a 'duplicates' edge from ID to the canonical issue and closes ID.

Examples:
  bd duplicate bd-9c2 --of bd-a3f`
      : `Adds a 'supersedes' edge from ID to the issue that replaces it and closes ID.

Examples:
  bd supersede bd-9c2 --with bd-b71`,
    flags: dup
      ? { of: { type: "string", value: "CANONICAL", help: "the issue it duplicates (required)" } }
      : { with: { type: "string", value: "NEW", help: "the issue that replaces it (required)" } },
    run(ctx, [id], flags) {
      const other = str(flags, dup ? "of" : "with");
      if (!other) throw new BdError("USAGE", `required flag(s) "${dup ? "of" : "with"}" not set`);
      const r = closeInFavourOf(ctx.beads(), id, other, how);
      if (ctx.globals.json) return ctx.out.data(r.issue);
      ctx.out.line(
        dup
          ? `✓ Marked ${r.issue.id} as duplicate of ${r.other.id} (closed)`
          : `✓ Marked ${r.issue.id} as superseded by ${r.other.id} (closed)`,
      );
    },
  };
}

/** `dep relate` / `dep unrelate`: a `related` edge, which never blocks. */
function relationCommand(action: "relate" | "unrelate"): Command {
  const adding = action === "relate";
  return {
    path: ["dep", action],
    section: STRUCTURE,
    summary: adding ? "Link two issues as related (never blocks)" : "Remove the related link between two issues",
    args: "A B",
    minArgs: 2,
    maxArgs: 2,
    run(ctx, [a, b]) {
      const dep = adding ? relate(ctx.beads(), a, b) : unrelate(ctx.beads(), a, b);
      if (ctx.globals.json) return ctx.out.data(edgeResult(adding ? "added" : "removed", dep));
      ctx.out.line(`✓ ${adding ? "Related" : "Unrelated"} ${dep.issue_id} ↔ ${dep.depends_on_id}`);
    },
  };
}

const epicCloseEligible: Command = {
  path: ["epic", "close-eligible"],
  section: STRUCTURE,
  summary: "Close open epics whose children are all closed",
  maxArgs: 0,
  flags: { "dry-run": { type: "boolean", help: "list them, close nothing" } },
  run(ctx, _args, flags) {
    const dryRun = flags["dry-run"] === true;
    const epics = closeEligibleEpics(ctx.beads(), dryRun);
    if (ctx.globals.json) return ctx.out.data(epics);
    if (epics.length === 0) return ctx.out.line("No epics eligible for closure");
    for (const e of epics) {
      ctx.out.line(dryRun ? `Would close ${e.id}: ${e.title}` : `✓ Closed ${e.id}: all children closed`);
    }
  },
};

export const lifecycleCommands: Command[] = [
  defer,
  undefer,
  quick,
  edit,
  children,
  closeInFavour("duplicates"),
  closeInFavour("supersedes"),
  relationCommand("relate"),
  relationCommand("unrelate"),
  epicCloseEligible,
];
