/** The CLI: parse argv, run the command, map errors to exit codes (0 ok, 1 failure, 2 usage). */
import process from "node:process";
import { BdError, readOnly } from "../model/errors.ts";
import type { Beads } from "../core/service.ts";
import { VERSION } from "../version.ts";
import { firstWord, parseCommandLine } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { FD_SINK, Output, type Sink } from "./output.ts";
import { commandsFor, WORKSPACE_FREE_WORDS } from "./catalog.ts";
import { builtin } from "./builtin.ts";

/**
 * A server running a client's command (remote/route.ts): its open workspace, and the stdin and
 * file texts the client sent. The command sees nothing of the server's own files or environment.
 */
export interface CommandHost {
  /** The server's workspace, acting as the request's actor (read-only for --readonly). */
  workspace(opts: { readonly: boolean }): Beads;
  readStdin(): string;
  readFile(path: string): string;
}

/** Runs bd with these arguments; returns the exit code. */
export async function run(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  sink: Sink = FD_SINK,
  host?: CommandHost,
): Promise<number> {
  const jsonWanted = argv.includes("--json");
  let out = new Output(jsonWanted, argv.includes("-q") || argv.includes("--quiet"), env, sink);
  let beads: Beads | undefined;
  let hosted = false;
  try {
    // Only the module that defines the command is loaded (see catalog.ts); help loads them all.
    const word = firstWord(argv);
    const versionFlag = word === undefined && (argv.includes("--version") || argv.includes("-V"));
    const service = preloadService(word, argv, env, host);
    const { commands: COMMANDS } = await commandsFor(versionFlag ? "version" : word === "help" ? undefined : word);
    const VERSION_COMMAND = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === "version");
    const GROUPS = new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0]));
    const parsed = parseCommandLine(argv, COMMANDS);
    out = new Output(parsed.globals.json, parsed.globals.quiet, env, sink);
    if (parsed.globals.directory !== undefined) cwd = await enterDirectory(cwd, parsed.globals.directory);
    // --version / -V alone is the version command (one wording for both).
    const command = parsed.globals.version && !parsed.command ? VERSION_COMMAND : parsed.command;
    if (!command) {
      if (parsed.words.length === 0 || parsed.words[0] === "help") {
        const target = parsed.words.length > 1 ? parseCommandLine(parsed.words.slice(1), COMMANDS).command : undefined;
        const { commandHelp, mainHelp } = await import("./help.ts");
        out.line(target ? commandHelp(target) : mainHelp(COMMANDS, VERSION));
        if (!parsed.help && parsed.words.length === 0) {
          await out.flush();
          return 2;
        }
        return finish(out, 0);
      }
      if (GROUPS.has(parsed.words[0])) {
        if (parsed.help) {
          const { groupHelp } = await import("./help.ts");
          out.line(groupHelp(parsed.words[0], COMMANDS));
          return finish(out, 0);
        }
        const subs = COMMANDS.filter((c) => c.path[0] === parsed.words[0] && c.path.length > 1)
          .map((c) => c.path.slice(1).join(" "));
        const unknown = parsed.words[1] ? `unknown command "${parsed.words[1]}" for "bd ${parsed.words[0]}"; ` : "";
        throw new BdError(
          "USAGE",
          `${unknown}'bd ${parsed.words[0]}' needs a subcommand: ${subs.join(", ")}\nRun 'bd ${
            parsed.words[0]
          } --help' for usage.`,
        );
      }
      throw new BdError("USAGE", `unknown command "${parsed.words[0]}" for "bd"\nRun 'bd --help' for usage.`);
    }
    if (parsed.help) {
      const { commandHelp } = await import("./help.ts");
      out.line(commandHelp(command));
      return finish(out, 0);
    }
    checkArgCount(command, parsed.args.length);
    const g = parsed.globals;
    if (host) await checkServedCommand(command, parsed);
    else {
      const server = g.server ?? (env.BD_SERVER || undefined);
      // The policy table loads only in remote mode.
      const mode = server === undefined
        ? "client"
        : (await import("./remote_policy.ts")).remoteMode(command.path, parsed.flags, parsed.args);
      if (typeof mode === "object") {
        throw new BdError(
          "USAGE",
          `bd ${command.path.join(" ")} does not run against a server (--server / BD_SERVER): ${mode.refuse}`,
        );
      }
      if (mode === "server") {
        const { runRemote } = await import("../remote/client.ts"); // loaded only in remote mode
        const reply = await runRemote({ url: server!, argv, parsed, env, cwd, terminal: out.terminal });
        sink.stdout(reply.stdout);
        sink.stderr(reply.stderr);
        return reply.code;
      }
    }
    const { writesFiles } = command;
    // The service (and with it the database layer) loads only for a command that opens a workspace.
    const workspace = command.workspace === false || host ? undefined : await (service ?? loadService());
    if (g.readonly && (typeof writesFiles === "function" ? writesFiles(parsed.flags) : writesFiles)) throw readOnly();
    const ctx: Context = {
      globals: g,
      out,
      cwd,
      env,
      beads() {
        if (beads) return beads;
        if (host) {
          beads = host.workspace({ readonly: g.readonly });
          hosted = true;
        } else {
          if (!workspace) throw new Error(`bd ${command.path.join(" ")} is declared workspace: false`);
          beads = workspace.Beads.open({
            db: g.db,
            cwd,
            env,
            actor: g.actor,
            autoFlush: !g.noAutoFlush,
            autoImport: !g.noAutoImport,
            readonly: g.readonly,
          });
        }
        // Said once, when the workspace opens (commands ask for it again and again).
        const opened = beads;
        if (opened.paths.warning) out.note(`Warning: ${opened.paths.warning}`);
        let custom: Map<string, string> | undefined;
        out.customCategory = (s) =>
          (custom ??= new Map(opened.customStatuses().map((c) => [c.name, c.category]))).get(s);
        for (const note of opened.importNotes) out.note(`Note: ${note}`);
        for (const warning of opened.importWarnings) out.note(`Warning: ${warning}`);
        return opened;
      },
      remote: host !== undefined,
      readStdin: () => host ? host.readStdin() : builtin("node:fs").readFileSync(0, "utf8"),
      readFile: (path) =>
        host ? host.readFile(path) : builtin("node:fs").readFileSync(builtin("node:path").resolve(cwd, path), "utf8"),
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
    if (!hosted) beads?.close();
  }
}

const loadService = () => import("../core/service.ts");

/**
 * Starts loading the service alongside the command's module when the command will open a
 * workspace: loaded one after the other, the two cost `show` and `ready` ~1 ms more (issue 31).
 * Not for the words that never open one, in remote mode (the server opens it), or on a server.
 */
function preloadService(
  word: string | undefined,
  argv: string[],
  env: Record<string, string | undefined>,
  host: CommandHost | undefined,
): ReturnType<typeof loadService> | undefined {
  if (host || word === undefined || WORKSPACE_FREE_WORDS.has(word)) return undefined;
  if (env.BD_SERVER || argv.some((a) => a === "--server" || a.startsWith("--server="))) return undefined;
  const loading = loadService();
  loading.catch(() => {}); // awaited (and any failure reported) only if the command opens the workspace
  return loading;
}

/**
 * On a server, before a client's command runs: the remote policy again (a client cannot talk the
 * server into a refused command), and no global flag that would point it at its own files.
 */
async function checkServedCommand(command: Command, parsed: ReturnType<typeof parseCommandLine>): Promise<void> {
  const { remoteMode } = await import("./remote_policy.ts");
  const mode = remoteMode(command.path, parsed.flags, parsed.args);
  if (mode !== "server") {
    throw new BdError("USAGE", `bd ${command.path.join(" ")} does not run on a server`);
  }
  for (const flag of ["db", "directory", "server", "no-auto-flush", "no-auto-import", "sandbox"]) {
    if (parsed.flags[flag] !== undefined) throw new BdError("USAGE", `--${flag} cannot be used with --server`);
  }
}

/** -C PATH: the directory to act in (it must be one). */
async function enterDirectory(cwd: string, dir: string): Promise<string> {
  const path = builtin("node:path").resolve(cwd, dir);
  const { isDir } = await import("../core/file_stat.ts");
  if (!isDir(path)) throw new BdError("USAGE", `-C ${dir}: not a directory (${path})`);
  return path;
}

/** bd's (cobra's) wording for a wrong number of arguments, with the usage line to follow. */
function checkArgCount(command: Command, n: number): void {
  const { minArgs: min, maxArgs: max } = command;
  const name = `bd ${command.path.join(" ")}`;
  const usage = `\nUsage: ${name}${command.args ? " " + command.args : ""} [flags]  (see '${name} --help')`;
  if (min !== undefined && n < min) {
    if (command.missingArgs) throw new BdError("USAGE", command.missingArgs + usage);
    throw new BdError(
      "USAGE",
      (min === max ? `accepts ${min} arg(s), received ${n}` : `requires at least ${min} arg(s), only received ${n}`) +
        usage,
    );
  }
  if (max !== undefined && n > max) {
    throw new BdError(
      "USAGE",
      (min === max ? `accepts ${max} arg(s), received ${n}` : `accepts at most ${max} arg(s), received ${n}`) + usage,
    );
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
