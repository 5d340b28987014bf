/** Label and comment commands. */
import type { Command } from "../command.ts";
import { table } from "../output.ts";
import { emitResults, forEachId, textOrFile } from "./util.ts";
import { BdError } from "../../model/errors.ts";

const SECTION = "Labels and comments";

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
          const verb = r.status === "added"
            ? "Added"
            : r.status === "removed"
            ? "Removed"
            : r.status === "exists"
            ? "Already had"
            : "Did not have";
          ctx.out.line(
            `${ctx.out.paint("green", "✓")} ${verb} label '${r.label}' ${action === "add" ? "on" : "on"} ${r.issue_id}`,
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
    const labels = ctx.beads().labels(id);
    if (ctx.globals.json) return ctx.out.data(labels);
    if (labels.length === 0) return ctx.out.line("No labels.");
    for (const l of labels) ctx.out.line(l);
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
    if (labels.length === 0) return ctx.out.line("No labels.");
    table(labels.map((l) => [l.label, String(l.count)])).forEach((l) => ctx.out.line(l));
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
    const list = ctx.beads().comments(id);
    if (ctx.globals.json) return ctx.out.data(list);
    if (list.length === 0) return ctx.out.line("No comments.");
    for (const c of list) {
      ctx.out.line(`[${c.author}] ${c.created_at}`);
      for (const l of c.text.split("\n")) ctx.out.line(`  ${l}`);
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
  flags: { file: { type: "string", short: "f", value: "PATH", help: "read the text from a file (- = stdin)" } },
  run(ctx, [id, text], flags) {
    const body = textOrFile(ctx, flags, "__none__", "file") ?? text;
    if (body === undefined) throw new BdError("USAGE", 'comment text is required: bd comments add ID "TEXT"');
    const comment = ctx.beads().addComment(id, body);
    if (ctx.globals.json) return ctx.out.data(comment);
    ctx.out.line(`${ctx.out.paint("green", "✓")} Added comment to ${comment.issue_id}`);
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
