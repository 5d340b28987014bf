/**
 * `bd human`: questions for a person. Agents file them as issues labelled `human` (upstream's
 * prime tells them to); a person lists them, responds (a comment, then closed "Responded") or
 * dismisses them (closed "Dismissed"). Plain `bd human` is the short menu of everyday commands.
 */
import { BdError } from "../../model/errors.ts";
import { dismiss, HUMAN_LABEL, questions, questionStats, respond } from "../../core/human_questions.ts";
import type { Command } from "../command.ts";
import { listLine } from "../format.ts";
import { str } from "./util.ts";

const SECTION = "Working With Issues";

const MENU = `bd: the commands people use most (bd --help lists them all)

  bd ready                      what can be worked on now
  bd list                       open issues (--all for every one)
  bd show ID                    one issue with its dependencies and comments
  bd create "TITLE" -p 1        a new issue (-t bug|feature|task|epic|chore|decision)
  bd update ID --claim          take it: assignee = you, status = in_progress
  bd close ID --reason "..."    done
  bd dep add ISSUE BLOCKER      ISSUE waits for BLOCKER
  bd comments add ID "..."      a comment
  bd triage                     what to do to unblock the most
  bd human list                 questions agents left for a person
  bd human respond ID -r "..."  answer one (a comment, then closed)
  bd sync                       share .beads/issues.jsonl through git
  bd serve                      the web UI at http://127.0.0.1:4000/
  bd doctor                     check the workspace`;

const human: Command = {
  path: ["human"],
  section: SECTION,
  summary: "The everyday commands; human list/respond/dismiss/stats for questions agents left",
  maxArgs: 0,
  run(ctx) {
    if (ctx.globals.json) return ctx.out.data({ text: MENU });
    ctx.out.line(MENU);
  },
};

const humanList: Command = {
  path: ["human", "list"],
  section: SECTION,
  summary: `List the questions for a person (issues labelled '${HUMAN_LABEL}')`,
  maxArgs: 0,
  description: `Examples:
  bd human list
  bd human list --status closed --json`,
  flags: { status: { type: "string", short: "s", value: "S", help: "only this status (default: not closed)" } },
  run(ctx, _args, flags) {
    const beads = ctx.beads();
    const rows = beads.decorate(questions(beads, str(flags, "status")));
    if (ctx.globals.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No questions for a person.");
    for (const i of rows) ctx.out.line(listLine(ctx.out, i));
  },
};

const humanRespond: Command = {
  path: ["human", "respond"],
  section: SECTION,
  summary: "Answer a question: the response as a comment, then closed 'Responded'",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  description: `Examples:
  bd human respond bd-123 --response "Use OAuth2 for authentication"
  bd human respond bd-123 -r "Approved, proceed"`,
  flags: { response: { type: "string", short: "r", value: "TEXT", help: "the answer (required)" } },
  run(ctx, [id], flags) {
    const response = str(flags, "response")?.trim();
    if (!response) throw new BdError("USAGE", "give the answer with --response TEXT (-r)");
    const issue = respond(ctx.beads(), id, response);
    if (ctx.globals.json) return ctx.out.data(issue);
    ctx.out.line(`${ctx.out.paint("green", "✓")} Responded to ${issue.id}: ${issue.title}`);
  },
};

const humanDismiss: Command = {
  path: ["human", "dismiss"],
  section: SECTION,
  summary: "Dismiss a question without an answer (closed 'Dismissed')",
  args: "ID",
  minArgs: 1,
  maxArgs: 1,
  flags: { reason: { type: "string", value: "TEXT", help: "why (kept as a comment)" } },
  run(ctx, [id], flags) {
    const issue = dismiss(ctx.beads(), id, str(flags, "reason")?.trim() || undefined);
    if (ctx.globals.json) return ctx.out.data(issue);
    ctx.out.line(`${ctx.out.paint("green", "✓")} Dismissed ${issue.id}: ${issue.title}`);
  },
};

const humanStats: Command = {
  path: ["human", "stats"],
  section: SECTION,
  summary: "Count the questions: total, pending, responded, dismissed",
  maxArgs: 0,
  run(ctx) {
    const stats = questionStats(ctx.beads());
    if (ctx.globals.json) return ctx.out.data(stats);
    for (const [k, v] of Object.entries(stats)) ctx.out.line(`  ${`${k}:`.padEnd(11)} ${v}`);
  },
};

export const humanCommands: Command[] = [human, humanList, humanRespond, humanDismiss, humanStats];
