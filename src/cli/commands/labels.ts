/** Label and comment commands. */
import type { Command } from "../command.ts";
import { minute } from "../format.ts";
import { emitResults, forEachId, str, textOrFile } from "./util.ts";
import { BdError } from "../../model/errors.ts";

const SECTION = "Working With Issues";

function labelChange(action: "add" | "remove"): Command {
  return {
    path: ["label", action],
    section: SECTION,
    summary: action === "add" ? "Add a label to issues" : "Remove a label from issues",
    args: "ID [ID...] LABEL",
    minArgs: 2,
    run(ctx, args) {
      const label = args[args.length - 1];
      const beads = ctx.beads();
      const [results, code] = forEachId(
        ctx,
        args.slice(0, -1),
        (id) => action === "add" ? beads.addLabel(id, label) : beads.removeLabel(id, label),
      );
      if (ctx.globals.json) emitResults(ctx, results, code);
      else {
        for (const r of results) {
          // bd prints the same line whether or not the label was there already.
          ctx.out.line(
            action === "add"
              ? `${ctx.out.paint("green", "✓")} Added label '${r.label}' to ${r.issue_id}`
              : `${ctx.out.paint("green", "✓")} Removed label '${r.label}' from ${r.issue_id}`,
          );
        }
      }
      return code;
    },
  };
}

const labelList: Command = {
  path: ["label", "list"],
  section: SECTION,
  summary: "List an issue's labels",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  run(ctx, [id]) {
    const beads = ctx.beads();
    const labels = beads.labels(id);
    if (ctx.globals.json) return ctx.out.data(labels);
    const full = beads.resolveId(id);
    if (labels.length === 0) return ctx.out.line(`\n${full} has no labels`);
    ctx.out.line(`\n🏷 Labels for ${full}:`);
    for (const l of labels) ctx.out.line(`  - ${l}`);
  },
};

const labelListAll: Command = {
  path: ["label", "list-all"],
  section: SECTION,
  summary: "List every label in use with its issue count",
  maxArgs: 0,
  run(ctx) {
    const labels = ctx.beads().allLabels();
    if (ctx.globals.json) return ctx.out.data(labels);
    if (labels.length === 0) return ctx.out.line("\nNo labels found in database");
    ctx.out.line(`\n🏷 All labels (${labels.length} unique):`);
    const width = Math.max(...labels.map((l) => l.label.length));
    for (const l of labels) ctx.out.line(`  ${l.label.padEnd(width)}  (${l.count} issues)`);
  },
};

const comments: Command = {
  path: ["comments"],
  section: SECTION,
  summary: "Show an issue's comments",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  run(ctx, [id]) {
    const beads = ctx.beads();
    const list = beads.comments(id);
    if (ctx.globals.json) return ctx.out.data(list);
    const full = beads.resolveId(id);
    if (list.length === 0) return ctx.out.line(`No comments on ${full}`);
    ctx.out.line(`\nComments on ${full}:\n`);
    for (const c of list) {
      ctx.out.line(`[${c.author}] at ${minute(c.created_at)}`);
      for (const l of c.text.split("\n")) ctx.out.line(`  ${l}`);
      ctx.out.line("");
    }
  },
};

const commentAdd: Command = {
  path: ["comments", "add"],
  aliases: [["comment"]],
  section: SECTION,
  summary: "Add a comment to an issue",
  args: "ID [TEXT]",
  minArgs: 1,
  maxArgs: 2,
  description: `The comment's author is the actor (--actor, BD_ACTOR, git's user.name) unless --author names
another, e.g. the person whose words an agent records. The event log keeps the actor either way.`,
  flags: {
    file: { type: "string", short: "f", value: "PATH", help: "read the text from a file (- = stdin)", readsFile: true },
    author: { type: "string", short: "a", value: "NAME", help: "the comment's author (default: the actor)" },
  },
  run(ctx, [id, text], flags) {
    const body = textOrFile(ctx, flags, "__none__", "file") ?? text;
    if (body === undefined) throw new BdError("USAGE", 'comment text is required: bd comments add ID "TEXT"');
    const comment = ctx.beads().addComment(id, body, str(flags, "author"));
    if (ctx.globals.json) return ctx.out.data(comment);
    ctx.out.line(`Comment added to ${comment.issue_id}`);
  },
};

export const labelCommands: Command[] = [
  labelChange("add"),
  labelChange("remove"),
  labelList,
  labelListAll,
  comments,
  commentAdd,
];
