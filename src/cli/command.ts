/** The declarative command table's types: each command states its flags, arguments and help. */
import type { Beads } from "../core/service.ts";
import type { Output } from "./output.ts";

export interface Flag {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Help text; `<VALUE>` names the argument in the usage line. */
  help: string;
  value?: string;
  /**
   * The value is a file this command reads (`-` = standard input). With --server the client reads
   * it and sends its text along; the server never opens a path it was given.
   */
  readsFile?: boolean;
  /** A boolean flag that makes the command read standard input (create --stdin). */
  readsStdin?: boolean;
}

export interface Globals {
  json: boolean;
  quiet: boolean;
  db?: string;
  actor?: string;
  noAutoFlush: boolean;
  noAutoImport: boolean;
  /** -C PATH: the directory bd acts as if started in. */
  directory?: string;
  /** --readonly: every write is refused. */
  readonly: boolean;
  /** --version / -V. */
  version: boolean;
  /** --server URL (else $BD_SERVER): run the command against a `bd serve` elsewhere. */
  server?: string;
  /** --token T (else $BD_TOKEN): the bearer token for --server. */
  token?: string;
}

export interface Context {
  globals: Globals;
  out: Output;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Opens the workspace on first use (commands that need none never pay for it). */
  beads(): Beads;
  /** Reads all of standard input (for `-i -`, `--body-file -`). */
  readStdin(): string;
  /** Set when a server runs this command for a `bd --server` client (remote/route.ts). */
  remote?: boolean;
  /**
   * Reads a file the command was given (relative to cwd). Under a server's remote-command route
   * it answers only from the texts the client sent, never from the server's disk.
   */
  readFile(path: string): string;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

/** Where a command runs with --server: on the server, here, or nowhere (the reason it needs a checkout). */
export type RemoteMode = "server" | "client" | { refuse: string };

export interface Command {
  /** Words that select it, e.g. `["dep", "add"]`. */
  path: string[];
  aliases?: string[][];
  summary: string;
  /** Argument part of the usage line, e.g. `ID [ID...]`. */
  args?: string;
  /** Longer help shown by `bd CMD --help`. */
  description?: string;
  flags?: Record<string, Flag>;
  minArgs?: number;
  maxArgs?: number;
  /** bd's own message when arguments are missing (else cobra's "requires at least N arg(s)"). */
  missingArgs?: string;
  /** Shown in `bd --help` under this heading. */
  section: string;
  /** False for a command that never opens a workspace: the service is then not even loaded. */
  workspace?: false;
  /**
   * Whether this run writes outside the service's transactions (files, git, config files); such a
   * run is refused up front under `--readonly`. Writes through the service are refused there.
   */
  writesFiles?: boolean | ((flags: Values) => boolean);
  /** Runs the command; returns the exit code (0 unless some items failed). */
  run(ctx: Context, args: string[], flags: Values): number | void | Promise<number | void>;
}
