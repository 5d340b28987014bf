/** What create and update share: the flags that set an issue's fields, and reading them. */
import { BdError } from "../../model/errors.ts";
import { parseUserTime } from "../../model/time_input.ts";
import type { UpdateInput } from "../../core/service.ts";
import { parseDepSpec } from "../../core/dependencies.ts";
import type { Context, Values } from "../command.ts";
import { list, str, textOrFile } from "./util.ts";

/** Flags that set fields, shared by create and update. */
export const FIELD_FLAGS = {
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

export async function fieldsFrom(ctx: Context, flags: Values): Promise<UpdateInput> {
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
export function depsFrom(flags: Values): { id: string; type: string }[] {
  return (list(flags, "deps") ?? []).map(parseDepSpec);
}
