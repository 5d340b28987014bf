/** bd create: a new issue (its own module: start-up loads only the command that runs, issue 31). */
import { BdError } from "../../model/errors.ts";
import type { CreateInput } from "../../core/service.ts";
import { rememberTouched } from "../../core/last_touched.ts";
import type { Command } from "../command.ts";
import { list, str } from "./util.ts";

import { depsFrom, FIELD_FLAGS, fieldsFrom } from "./issue_fields.ts";

const SECTION = "Working With Issues";

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

export const createCommands: Command[] = [create];
