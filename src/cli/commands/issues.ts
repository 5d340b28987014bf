/** Commands on single issues: create, show, list, update, close, reopen, delete. */
import { BdError, validation } from "../../model/errors.ts";
import { parseUserTime } from "../../model/time_input.ts";
import type { ListSort } from "../../model/types.ts";
import type { CreateInput, IssueDetails, UpdateInput } from "../../core/service.ts";
import { currentIssue, lastTouched, rememberTouched } from "../../core/last_touched.ts";
import { parseDepSpec } from "../../core/dependencies.ts";
import { claimLease } from "../../core/leases.ts";
import type { Command, Context, Values } from "../command.ts";
import { issueDetailsText, listLine, SEPARATOR, treeLines } from "../format.ts";
import {
  eachIssue,
  emitResults,
  FILTER_FLAGS,
  filterFrom,
  forEachId,
  int,
  list,
  RANGE_FLAGS,
  str,
  textOrFile,
} from "./util.ts";

const SECTION = "Working With Issues";

/** Flags that set fields, shared by create and update. */
const FIELD_FLAGS = {
  title: { type: "string", value: "TEXT", help: "title (1-500 characters)" },
  description: { type: "string", short: "d", value: "TEXT", help: "description" },
  body: { type: "string", value: "TEXT", help: "alias of --description" },
  message: { type: "string", short: "m", value: "TEXT", help: "alias of --description" },
  "body-file": {
    type: "string",
    value: "PATH",
    help: "read the description from a file (- = stdin)",
    readsFile: true,
  },
  "description-file": { type: "string", value: "PATH", help: "alias of --body-file", readsFile: true },
  stdin: { type: "boolean", help: "read the description from standard input", readsStdin: true },
  design: { type: "string", value: "TEXT", help: "design notes" },
  "design-file": {
    type: "string",
    value: "PATH",
    help: "read the design notes from a file (- = stdin)",
    readsFile: true,
  },
  acceptance: { type: "string", value: "TEXT", help: "acceptance criteria" },
  "acceptance-criteria": { type: "string", value: "TEXT", help: "alias of --acceptance" },
  notes: { type: "string", value: "TEXT", help: "notes (replaces them)" },
  "append-notes": { type: "string", value: "TEXT", help: "add TEXT to the end of the notes, on a new line" },
  priority: { type: "string", short: "p", value: "P", help: "priority 0-4 or P0-P4 (0 highest; default 2)" },
  type: {
    type: "string",
    short: "t",
    value: "TYPE",
    help: "bug, feature, task (default), epic, chore, decision, or a custom type (bd types)",
  },
  assignee: { type: "string", short: "a", value: "NAME", help: "assignee" },
  owner: { type: "string", value: "NAME", help: "owner" },
  estimate: { type: "string", short: "e", value: "MIN", help: "estimated minutes" },
  "external-ref": { type: "string", value: "REF", help: "external reference (e.g. gh-123)" },
  due: {
    type: "string",
    value: "WHEN",
    help: "due time: +6h, +2w, 3m (months), 1y, tomorrow, next monday, 2025-01-15",
  },
  defer: { type: "string", value: "WHEN", help: "hide from ready until (same forms as --due)" },
} as const;

/** The description from whichever one of its spellings was given (upstream's words: --body, -m, ...). */
function oneDescription(ctx: Context, flags: Values): string | undefined {
  const given = ["description", "body", "message", "body-file", "description-file", "stdin"].filter((f) =>
    flags[f] !== undefined && flags[f] !== false
  );
  if (given.length > 1) {
    throw new BdError("USAGE", `give the description once (got ${given.map((f) => `--${f}`).join(" and ")})`);
  }
  if (flags.stdin === true) return ctx.readStdin();
  const file = str(flags, "body-file") ?? str(flags, "description-file");
  if (file !== undefined) return textOrFile(ctx, { "body-file": file }, "description", "body-file");
  return str(flags, "description") ?? str(flags, "body") ?? str(flags, "message");
}

async function fieldsFrom(ctx: Context, flags: Values): Promise<UpdateInput> {
  const input: UpdateInput = {};
  const title = str(flags, "title");
  if (title !== undefined) input.title = title;
  const description = oneDescription(ctx, flags);
  if (description !== undefined) input.description = description;
  const design = textOrFile(ctx, flags, "design", "design-file");
  if (design !== undefined) input.design = design;
  if (str(flags, "append-notes") !== undefined) input.append_notes = str(flags, "append-notes");
  const ac = str(flags, "acceptance") ?? str(flags, "acceptance-criteria");
  if (ac !== undefined) input.acceptance_criteria = ac;
  if (str(flags, "notes") !== undefined) input.notes = str(flags, "notes");
  if (str(flags, "priority") !== undefined) input.priority = str(flags, "priority");
  if (str(flags, "type") !== undefined) input.issue_type = str(flags, "type");
  if (str(flags, "assignee") !== undefined) input.assignee = str(flags, "assignee");
  if (str(flags, "owner") !== undefined) input.owner = str(flags, "owner");
  if (str(flags, "estimate") !== undefined) input.estimated_minutes = str(flags, "estimate");
  if (str(flags, "external-ref") !== undefined) input.external_ref = str(flags, "external-ref");
  const when = (name: string) => {
    const v = str(flags, name)!;
    return v === "" ? "" : parseUserTime(v, `--${name}`);
  };
  if (str(flags, "due") !== undefined) input.due_at = await when("due");
  if (str(flags, "defer") !== undefined) input.defer_until = await when("defer");
  return input;
}

/** Parses `--deps type:id,id2` (a bare ID means `blocks`). */
function depsFrom(flags: Values): { id: string; type: string }[] {
  return (list(flags, "deps") ?? []).map(parseDepSpec);
}

const create: Command = {
  path: ["create"],
  aliases: [["new"]],
  section: SECTION,
  summary: "Create an issue",
  args: "[TITLE]",
  maxArgs: 1,
  description: `The title is the argument or --title. Prints the new issue (with --json, one object).
--validate refuses an issue whose description lacks its type's sections (bug: Steps to Reproduce
and Acceptance Criteria; task, feature: Acceptance Criteria; epic: Success Criteria), as bd lint
checks them; 'bd config set validation.on-create error' does so for every create (also over
GraphQL and MCP), 'warn' only warns.
Examples:
  bd create "Fix login" -p 1 -t bug -l auth,backend
  bd create "Write docs" --parent bd-a3f --deps blocks:bd-9c2
  bd create "Spike" --silent          # prints only the new ID`,
  flags: {
    ...FIELD_FLAGS,
    labels: { type: "string", short: "l", value: "L[,L]", help: "labels", multiple: true },
    id: { type: "string", value: "ID", help: "use this ID (must start with the workspace prefix)" },
    parent: { type: "string", value: "ID", help: "create as child P.N of this issue (parent-child edge)" },
    deps: {
      type: "string",
      value: "[TYPE:]ID,...",
      help: "dependencies, e.g. blocks:bd-1,discovered-from:bd-2",
      multiple: true,
    },
    silent: { type: "boolean", help: "print only the new issue's ID" },
    validate: {
      type: "boolean",
      help: "refuse it if the description lacks its type's sections (as bd lint; config validation.on-create)",
    },
  },
  async run(ctx, args, flags) {
    const fields = await fieldsFrom(ctx, flags);
    const titleArg = args[0];
    if (titleArg !== undefined && fields.title !== undefined && titleArg !== fields.title) {
      throw new BdError("USAGE", "give the title once: as the argument or with --title, not both");
    }
    const title = titleArg ?? fields.title;
    if (title === undefined) {
      throw new BdError("USAGE", 'title required (give it as the argument or with --title: bd create "TITLE")');
    }
    const input: CreateInput = {
      ...fields,
      title,
      labels: list(flags, "labels"),
      id: str(flags, "id"),
      parent: str(flags, "parent"),
      deps: depsFrom(flags),
      validate: flags.validate === true,
    };
    const beads = ctx.beads();
    const issue = beads.create(input);
    rememberTouched(beads, issue.id);
    const missing = beads.createWarnings(issue);
    if (missing.length) ctx.out.note(`Warning: ${issue.id} lacks ${missing.join(", ")} (bd lint ${issue.id})`);
    if (ctx.globals.json) ctx.out.data(issue);
    else if (flags.silent) ctx.out.line(issue.id);
    else {
      ctx.out.line(`${ctx.out.paint("green", "✓")} Created issue: ${issue.id}`);
      ctx.out.line(`  Title: ${issue.title}`);
      ctx.out.line(`  Priority: P${issue.priority}`);
      ctx.out.line(`  Status: ${issue.status}`);
    }
  },
};

const show: Command = {
  path: ["show"],
  aliases: [["view"]],
  section: SECTION,
  summary: "Show issues with their dependencies, labels and comments",
  args: "[ID...] [--id ID...] [--current]",
  description: `IDs may be partial (the hash without prefix, or a unique part). --json prints an array.
--id names an ID that looks like a flag (--id=gt--xyz). --current shows the issue you have in
progress, else the last-touched one (the most recent create, update, show or close here).`,
  flags: {
    id: { type: "string", value: "ID", help: "an issue ID (repeatable; for IDs that look like flags)", multiple: true },
    current: { type: "boolean", help: "the issue in progress for you (else the last-touched one)" },
    short: { type: "boolean", help: "one line per issue" },
    long: { type: "boolean", help: "every field, also the ones bd keeps from imports (extra)" },
    refs: { type: "boolean", help: "the issues that refer to it (its dependents, of every type)" },
    children: { type: "boolean", help: "only its children" },
  },
  run(ctx, given, flags) {
    const named = [...given, ...(list(flags, "id") ?? [])];
    if (flags.current === true && named.length) {
      throw new BdError("USAGE", "--current cannot be combined with explicit issue IDs");
    }
    if (flags.current !== true && named.length === 0) {
      throw new BdError("USAGE", "at least one issue ID is required (use positional args, --id flag, or --current)");
    }
    const beads = ctx.beads();
    const args = named.length ? named : [currentIssue(beads)];
    const found: IssueDetails[] = [];
    let failed = 0;
    for (const id of args) {
      try {
        found.push(beads.details([id])[0]);
      } catch (e) {
        if (!(e instanceof BdError)) throw e;
        failed++;
        ctx.out.error(e);
      }
    }
    if (found.length) rememberTouched(beads, found[found.length - 1].id);
    if (flags.refs === true || flags.children === true) {
      showRelated(ctx, found, flags.children === true);
    } else if (ctx.globals.json) emitResults(ctx, found, failed ? 1 : 0);
    else if (flags.short === true) {
      for (const d of found) {
        ctx.out.line(
          listLine(ctx.out, {
            ...d,
            dependency_count: d.dependencies.filter((x) => x.dependency_type === "blocks").length,
            dependent_count: d.dependents.filter((x) => x.dependency_type === "blocks").length,
          }),
        );
      }
    } else {
      const started = beads.startedAt(found.map((d) => d.id));
      found.forEach((d, i) => {
        if (i) ctx.out.line(`\n${SEPARATOR}\n`);
        for (const l of issueDetailsText(ctx.out, d, started.get(d.id))) ctx.out.line(l);
        if (flags.long === true) { for (const l of longFields(d)) ctx.out.line(l); }
      });
    }
    return failed ? 1 : 0;
  },
};

/** `show --refs` / `--children`: the issues that refer to each shown issue, or its children only. */
function showRelated(ctx: Context, details: IssueDetails[], childrenOnly: boolean): void {
  const children = childrenOnly ? ctx.beads().childrenOf(details.map((d) => d.id)) : undefined;
  const rows = children
    ? details.flatMap((d) =>
      ctx.beads().issuesById(children.get(d.id) ?? []).map((i) => ({ ...i, dependency_type: "parent-child", of: d.id }))
    )
    : details.flatMap((d) => d.dependents.map((x) => ({ ...x, of: d.id })));
  if (ctx.globals.json) return ctx.out.data(rows);
  if (details.length && rows.length === 0) ctx.out.line(childrenOnly ? "No children." : "Nothing refers to it.");
  for (const r of rows) {
    ctx.out.line(`${r.id}: ${r.title} [${r.status}] (${r.dependency_type} → ${r.of})`);
  }
}

/** `show --long`: the fields the details leave out. */
function longFields(d: IssueDetails): string[] {
  const shown = new Set([
    "id",
    "title",
    "status",
    "priority",
    "issue_type",
    "created_by",
    "assignee",
    "created_at",
    "updated_at",
    "estimated_minutes",
    "due_at",
    "defer_until",
    "close_reason",
    "external_ref",
    "description",
    "design",
    "notes",
    "acceptance_criteria",
    "labels",
    "dependencies",
    "dependents",
    "comments",
  ]);
  const rest = Object.entries(d).filter(([k, v]) => !shown.has(k) && v !== undefined && v !== "");
  return rest.length
    ? ["", "ALL OTHER FIELDS", ...rest.map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)]
    : [];
}

const SORTS: ListSort[] = ["priority", "created", "updated", "id", "title", "status"];

const listCmd: Command = {
  path: ["list"],
  aliases: [["ls"]],
  section: SECTION,
  summary: "List issues (not closed, unless --all or --status)",
  maxArgs: 0,
  description: `Ordered by priority then newest first; at most 50 rows unless --limit (0 = all).
--status all (or --all) includes closed issues; an unknown status or type is an error that names
the valid ones. --tree shows the listed issues under their parents, in list order. An issue's
parent is its parent-child edge; only an issue without one hangs under the parent its ID names
(P.3 under P), as upstream bd decides it. --parent ID lists the descendants by the same rule.

With --json each row carries dependency_count and dependent_count: its blocks edges out and in,
counted as upstream bd counts them (related, parent-child and other edges are not counted; bd show
lists every edge). Dates (--created-after, --due-before, ...) take +6h, -1d, +2w, 3m (months),
1y, tomorrow, next monday, or 2025-01-15.`,
  flags: {
    ...FILTER_FLAGS,
    ...RANGE_FLAGS,
    all: { type: "boolean", help: "include closed issues" },
    limit: { type: "string", short: "n", value: "N", help: "at most N rows (default 50; 0 = all)" },
    sort: { type: "string", value: "KEY", help: `order by ${SORTS.join(", ")} (default priority)` },
    reverse: { type: "boolean", short: "r", help: "reverse the order" },
    ready: { type: "boolean", help: "only ready issues (the rule of bd ready)" },
    "no-labels": { type: "boolean", help: "only issues with no labels" },
    "skip-labels": { type: "boolean", help: "do not read labels (faster; labels come out empty)" },
    overdue: { type: "boolean", help: "only issues whose due time has passed" },
    deferred: { type: "boolean", help: "only issues with a defer time set" },
    tree: { type: "boolean", help: "show the listed issues as a parent/child tree (text output)" },
    flat: { type: "boolean", help: "one line per issue, in order (the default)" },
    format: { type: "string", value: "FMT", help: "text (default), or dot / mermaid: the listed issues as a graph" },
  },
  async run(ctx, _args, flags) {
    const sort = (str(flags, "sort") ?? "priority") as ListSort;
    if (!SORTS.includes(sort)) throw validation(`invalid --sort "${sort}": use one of ${SORTS.join(", ")}`);
    const filter = await filterFrom(flags);
    if (flags.all === true) filter.includeClosed = true;
    const limit = int(flags, "limit", 50)!;
    const beads = ctx.beads();
    if (
      flags["skip-labels"] === true && (filter.labels || filter.labelsAny || filter.excludeLabels || filter.noLabels)
    ) {
      throw new BdError("USAGE", "--skip-labels cannot be combined with a label filter");
    }
    const { issues, truncated } = flags.ready === true
      ? { issues: beads.ready({ ...filter, sort: "priority", limit }), truncated: false }
      : beads.list(filter, { sort, reverse: flags.reverse === true, limit });
    if (truncated) ctx.out.note(`\nShowing ${limit} issues (use --limit 0 for all)`);
    const format = str(flags, "format") ?? "text";
    if (format === "dot" || format === "mermaid") {
      const { collectGraph, renderGraph } = await import("../../core/graph_render.ts");
      return ctx.out.line(renderGraph(collectGraph(beads, { issues }), format));
    }
    if (format !== "text") throw new BdError("USAGE", `invalid --format "${format}": use text, dot or mermaid`);
    // --skip-labels reads no labels or edge counts: the rows carry empty ones.
    const rows = flags["skip-labels"] === true
      ? issues.map((i) => ({ ...i, labels: [] as string[], dependency_count: 0, dependent_count: 0 }))
      : beads.decorate(issues);
    if (ctx.globals.json) return ctx.out.data(rows);
    // bd prints nothing at all for an empty list.
    if (flags.tree === true && flags.flat !== true) {
      for (const line of treeLines(rows, beads.parentsOf(rows.map((i) => i.id)), (i) => listLine(ctx.out, i))) {
        ctx.out.line(line);
      }
      return;
    }
    for (const i of rows) ctx.out.line(listLine(ctx.out, i));
  },
};

const update: Command = {
  path: ["update"],
  section: SECTION,
  summary: "Change fields of issues (or --claim them)",
  args: "[ID...]",
  description: `With no ID: the last-touched issue (the most recent create, update, show or close here).

Examples:
  bd update bd-a3f --status in_progress --assignee alice
  bd update bd-a3f --claim               # atomically: assignee = you, status = in_progress
  bd update bd-a3f --add-label urgent --remove-label later
  bd update bd-a3f --parent bd-e12       # move it under another epic (its ID stays)`,
  flags: {
    ...FIELD_FLAGS,
    status: {
      type: "string",
      short: "s",
      value: "S",
      help: "open, in_progress, blocked, deferred, closed, or a custom one (bd statuses)",
    },
    claim: { type: "boolean", help: "claim atomically (fails with CONFLICT if someone else holds it)" },
    lease: {
      type: "string",
      value: "D",
      help:
        "with --claim: the claim lapses after D (90s, 30m, 4h, 1d) unless renewed by bd heartbeat; default config claim.lease, else $BD_CLAIM_LEASE, else never",
    },
    "add-label": { type: "string", value: "L", help: "add a label", multiple: true },
    "remove-label": { type: "string", value: "L", help: "remove a label", multiple: true },
    "set-labels": { type: "string", value: "L[,L]", help: "replace all labels" },
    reason: { type: "string", value: "TEXT", help: "close reason when --status closed" },
    parent: {
      type: "string",
      value: "ID",
      help: 'move it under this parent (its ID stays; the edge decides); "" removes the edge, and a P.N is P\'s again',
    },
  },
  async run(ctx, given, flags) {
    const fields = await fieldsFrom(ctx, flags);
    if (str(flags, "status") !== undefined) fields.status = str(flags, "status");
    if (str(flags, "reason") !== undefined) fields.close_reason = str(flags, "reason");
    const add = list(flags, "add-label") ?? [];
    const remove = list(flags, "remove-label") ?? [];
    const set = flags["set-labels"] !== undefined ? list(flags, "set-labels") ?? [] : undefined;
    const parent = str(flags, "parent");
    if (
      Object.keys(fields).length === 0 && !flags.claim && !add.length && !remove.length && set === undefined &&
      parent === undefined
    ) {
      throw new BdError("USAGE", "nothing to update: give at least one field flag (see 'bd update --help')");
    }
    if (str(flags, "lease") !== undefined && !flags.claim) throw new BdError("USAGE", "--lease goes with --claim");
    const beads = ctx.beads();
    const leaseSeconds = flags.claim ? claimLease(beads, str(flags, "lease"), ctx.env) : 0;
    const args = given.length ? given : [lastTouched(beads)];
    const [issues, code] = forEachId(ctx, args, (id) => {
      if (flags.claim) beads.claim(id, { leaseSeconds });
      if (Object.keys(fields).length) beads.update(id, fields);
      if (set !== undefined) beads.setLabels(id, set);
      for (const l of add) beads.addLabel(id, l);
      for (const l of remove) beads.removeLabel(id, l);
      if (parent !== undefined) beads.reparent(id, parent);
      return beads.issue(id);
    });
    if (issues.length) rememberTouched(beads, issues[issues.length - 1].id);
    if (ctx.globals.json) emitResults(ctx, issues, code);
    else for (const i of issues) ctx.out.line(`${ctx.out.paint("green", "✓")} Updated issue: ${i.id}`);
    return code;
  },
};

const close: Command = {
  path: ["close"],
  aliases: [["done"]],
  section: SECTION,
  summary: "Close issues",
  args: "[ID...]",
  description: `With no ID: the last-touched issue (the most recent create, update, show or close here).

With several IDs, give one --reason for all of them, or one --reason per ID: reasons map
by position (the first --reason to the first ID, and so on, wherever the flags stand). Any other
count is an error, and nothing is closed.

--suggest-next (one ID) lists the issues this close made ready; with --json the answer is then
{"closed": [...], "unblocked": [...]}. --claim-next then claims the next ready issue (by
priority) for you, atomically; with --json {"closed": [...], "claimed": issue or null}.

Examples:
  bd close bd-a3f --reason "Fixed in 4c2e1d"
  bd close bd-a3f bd-b71 -r "shipped" -r "duplicate of bd-a3f"
  bd done bd-a3f --suggest-next
  git log -1 --format=%B | bd close bd-a3f --reason-file -`,
  flags: {
    reason: {
      type: "string",
      short: "r",
      value: "TEXT",
      help: "why (default: Closed); repeat once per ID",
      multiple: true,
    },
    "reason-file": { type: "string", value: "FILE", help: "read the reason from FILE (- = stdin)", readsFile: true },
    "suggest-next": { type: "boolean", help: "show the issues this close made ready (one ID)" },
    "claim-next": { type: "boolean", help: "then claim the next ready issue (by priority)" },
  },
  run(ctx, given, flags) {
    const args = given.length ? given : [lastTouched(ctx.beads())];
    let reasons = (flags.reason as string[] | undefined) ?? [];
    const file = str(flags, "reason-file");
    if (file !== undefined) {
      if (reasons.length) throw new BdError("USAGE", "give --reason or --reason-file, not both");
      reasons = [textOrFile(ctx, { "reason-file": file }, "reason", "reason-file")!.replace(/\s+$/, "")];
    }
    if (reasons.length > 1 && reasons.length !== args.length) {
      throw validation(
        `${reasons.length} --reason values for ${args.length} issue(s): give one reason for all, or one per issue (they map by position); nothing was closed`,
      );
    }
    if (flags["suggest-next"] === true && args.length > 1) {
      throw new BdError("USAGE", "--suggest-next works when closing one issue");
    }
    const beads = ctx.beads();
    let at = 0;
    const reasonFor = () => (reasons.length > 1 ? reasons[at++] : reasons[0]);
    const closeAll = () => forEachId(ctx, args, (id) => beads.closeIssue(id, reasonFor()));
    const { result: [closed, code], ready } = flags["suggest-next"] === true
      ? beads.withNewlyReady(args, closeAll)
      : { result: closeAll(), ready: undefined };
    if (closed.length) rememberTouched(beads, closed[closed.length - 1].id);
    const claimed = flags["claim-next"] === true && closed.length
      ? beads.claimNextReady({ sort: "priority" })
      : undefined;
    if (ctx.globals.json) {
      if (ready === undefined && claimed === undefined) emitResults(ctx, closed, code);
      else if (closed.length) {
        ctx.out.data({
          closed,
          ...(ready !== undefined ? { unblocked: ready } : {}),
          ...(flags["claim-next"] === true ? { claimed: claimed ?? null } : {}),
        });
      }
      return code;
    }
    for (const i of closed) {
      ctx.out.line(`${ctx.out.paint("green", "✓")} Closed ${i.id}: ${i.close_reason || "Closed"}`);
    }
    if (ready?.length) {
      ctx.out.line("\nNewly unblocked:");
      for (const i of ready) ctx.out.line(`  • ${i.id}: ${i.title} (P${i.priority})`);
    } else if (ready) ctx.out.line("\nNo issue became ready.");
    if (claimed) {
      ctx.out.line(
        `${
          ctx.out.paint("green", "✓")
        } Auto-claimed next ready issue: ${claimed.id}: ${claimed.title} (P${claimed.priority})`,
      );
    } else if (flags["claim-next"] === true && closed.length) ctx.out.line("\n✨ No ready issues available to claim.");
    return code;
  },
};

const note: Command = {
  path: ["note"],
  section: SECTION,
  summary: "Add a line to an issue's notes (= update --append-notes)",
  args: "ID TEXT",
  minArgs: 2,
  maxArgs: 2,
  description: `Appends TEXT to the issue's notes on a new line, in one write (two agents' notes never
overwrite each other).

Examples:
  bd note bd-a3f "tried the cache: no gain"`,
  run(ctx, args) {
    const beads = ctx.beads();
    return eachIssue(
      ctx,
      [args[0]],
      (id) => beads.update(id, { append_notes: args[1] }),
      (i) => `${ctx.out.paint("green", "✓")} Added a note to ${i.id}`,
    );
  },
};

const reopen: Command = {
  path: ["reopen"],
  section: SECTION,
  summary: "Reopen closed issues",
  args: "ID [ID...]",
  minArgs: 1,
  flags: { reason: { type: "string", short: "r", value: "TEXT", help: "why (recorded in the event)" } },
  run(ctx, args, flags) {
    const beads = ctx.beads();
    const why = str(flags, "reason");
    return eachIssue(
      ctx,
      args,
      (id) => beads.reopenIssue(id, why),
      (i) => `↻ Reopened ${i.id}${why ? `: ${why}` : ""}`,
    );
  },
};

const del: Command = {
  path: ["delete"],
  section: SECTION,
  summary: "Delete issues for good (preview unless --force)",
  args: "ID [ID...]",
  minArgs: 1,
  missingArgs: "no issue IDs provided",
  description: `Without --force, shows what would be removed. With --force, removes the issues with their
labels, comments and edges (and rows of extension tables, through their foreign keys) and records
tombstones so other clones delete them on their next import.`,
  flags: {
    force: { type: "boolean", short: "f", help: "really delete" },
    reason: { type: "string", value: "TEXT", help: "recorded in the tombstone" },
  },
  run(ctx, args, flags) {
    const beads = ctx.beads();
    if (!flags.force) {
      const ids: string[] = [];
      let failed = 0;
      for (const a of args) {
        try {
          ids.push(beads.resolveId(a));
        } catch (e) {
          if (!(e instanceof BdError)) throw e;
          failed++;
          ctx.out.error(e);
        }
      }
      const preview = beads.deletePreview(ids);
      if (ctx.globals.json) {
        ctx.out.data({ preview: true, issues: preview.issues, dependents: preview.dependents });
      } else if (preview.issues.length) {
        const many = preview.issues.length > 1;
        ctx.out.line(`\n${ctx.out.paint("yellow", "⚠️  DELETE PREVIEW")}\n`);
        ctx.out.line(many ? `Issues to delete (${preview.issues.length}):` : "Issue to delete:");
        for (const i of preview.issues) ctx.out.line(`  ${i.id}: ${i.title}`);
        if (preview.dependents.length) {
          ctx.out.line(`\nDependency links to remove: ${preview.dependents.length}`);
          for (const d of preview.dependents) ctx.out.line(`  ${d.issue_id} → ${d.depends_on_id} (${d.type})`);
        }
        if (many) ctx.out.line(`\nWould delete: ${preview.issues.length} issues`);
        ctx.out.line("\nThis operation cannot be undone!");
        ctx.out.line(`To proceed, run: bd delete ${preview.issues.map((i) => i.id).join(" ")} --force`);
      }
      return failed ? 1 : 0;
    }
    const [deleted, code] = forEachId(ctx, args, (id) => beads.delete(id, str(flags, "reason") ?? "deleted"));
    if (ctx.globals.json) emitResults(ctx, deleted.map((i) => ({ id: i.id, status: "deleted" })), code);
    else if (deleted.length > 1) ctx.out.line(`${ctx.out.paint("green", "✓")} Deleted ${deleted.length} issue(s)`);
    else for (const i of deleted) ctx.out.line(`${ctx.out.paint("green", "✓")} Deleted ${i.id}`);
    return code;
  },
};

export const issueCommands: Command[] = [create, show, listCmd, update, close, note, reopen, del];
