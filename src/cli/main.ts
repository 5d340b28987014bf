/** The CLI: parse argv, run the command, map errors to exit codes (0 ok, 1 failure, 2 usage). */
import { readFileSync } from "node:fs";
import process from "node:process";
import { BdError } from "../model/errors.ts";
import { Beads } from "../core/service.ts";
import { VERSION } from "../version.ts";
import { commandHelp, mainHelp, parseCommandLine } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { FD_SINK, Output, type Sink } from "./output.ts";
import { issueCommands } from "./commands/issues.ts";
import { workCommands } from "./commands/work.ts";
import { depCommands } from "./commands/deps.ts";
import { labelCommands } from "./commands/labels.ts";
import { configCommands } from "./commands/config.ts";
import { dataCommands } from "./commands/data.ts";
import { setupCommands } from "./commands/setup.ts";
import { serverCommands } from "./commands/server.ts";
import { memoryCommands } from "./commands/memories.ts";

/** Every command, in `bd --help` order. */
export const COMMANDS: Command[] = [
  ...issueCommands,
  ...workCommands,
  ...depCommands,
  ...labelCommands,
  ...dataCommands,
  ...configCommands,
  ...memoryCommands,
  ...serverCommands,
  ...setupCommands,
];

const GROUPS = new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0]));

/** Runs bd with these arguments; returns the exit code. */
export async function run(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  sink: Sink = FD_SINK,
): Promise<number> {
  const jsonWanted = argv.includes("--json");
  let out = new Output(jsonWanted, argv.includes("-q") || argv.includes("--quiet"), env, sink);
  let beads: Beads | undefined;
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    out = new Output(parsed.globals.json, parsed.globals.quiet, env, sink);
    const { command } = parsed;
    if (!command) {
      if (parsed.words.length === 0 || parsed.words[0] === "help") {
        const target = parsed.words.length > 1 ? parseCommandLine(parsed.words.slice(1), COMMANDS).command : undefined;
        out.line(target ? commandHelp(target) : mainHelp(COMMANDS, VERSION));
        if (!parsed.help && parsed.words.length === 0) {
          await out.flush();
          return 2;
        }
        return finish(out, 0);
      }
      if (GROUPS.has(parsed.words[0])) {
        const subs = COMMANDS.filter((c) => c.path[0] === parsed.words[0]).map((c) => c.path.slice(1).join(" "));
        if (parsed.help) {
          out.line(`bd ${parsed.words[0]} <${subs.join("|")}> — see 'bd ${parsed.words[0]} <subcommand> --help'`);
          return finish(out, 0);
        }
        throw new BdError(
          "USAGE",
          `'bd ${parsed.words[0]}' needs a subcommand: ${subs.join(", ")}`,
        );
      }
      throw new BdError("USAGE", `unknown command "${parsed.words[0]}"; run 'bd --help' for the list`);
    }
    if (parsed.help) {
      out.line(commandHelp(command));
      return finish(out, 0);
    }
    const name = `bd ${command.path.join(" ")}`;
    if (command.minArgs !== undefined && parsed.args.length < command.minArgs) {
      throw new BdError("USAGE", `${name} needs ${command.args ?? "arguments"}; see '${name} --help'`);
    }
    if (command.maxArgs !== undefined && parsed.args.length > command.maxArgs) {
      throw new BdError(
        "USAGE",
        `${name} takes ${command.maxArgs === 0 ? "no arguments" : `at most ${command.maxArgs}`}, got: ${
          parsed.args.slice(command.maxArgs).map((a) => JSON.stringify(a)).join(" ")
        }; see '${name} --help'`,
      );
    }
    const g = parsed.globals;
    const ctx: Context = {
      globals: g,
      out,
      cwd,
      env,
      beads() {
        beads ??= Beads.open({
          db: g.db,
          cwd,
          env,
          actor: g.actor,
          autoFlush: !g.noAutoFlush,
          autoImport: !g.noAutoImport,
        });
        if (beads.paths.warning) out.note(`Warning: ${beads.paths.warning}`);
        return beads;
      },
      readStdin: () => readFileSync(0, "utf8"),
    };
    const code = (await command.run(ctx, parsed.args, parsed.flags)) ?? 0;
    if (beads?.importProblem) out.note(`Warning: ${beads.importProblem.message}`);
    return finish(out, code);
  } catch (e) {
    const err = e instanceof BdError ? e : internalError(e, env);
    out.discardStdout();
    out.error(err);
    return finish(out, err.code === "USAGE" ? 2 : 1);
  } finally {
    beads?.close();
  }
}

async function finish(out: Output, code: number): Promise<number> {
  await out.flush();
  return code;
}

function internalError(e: unknown, env: Record<string, string | undefined>): BdError {
  if (env.BD_DEBUG && e instanceof Error) console.error(e.stack);
  const message = e instanceof Error ? e.message : String(e);
  return new BdError("INTERNAL", `${message} (this is a bug in bd; set BD_DEBUG=1 for details)`);
}
