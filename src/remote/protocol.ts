/**
 * The remote-command route (contract §10): `POST /cli` on `bd serve` runs one bd command from a
 * client (`bd --server URL ...`) through the same command table and service layer as a local run,
 * and answers with the bytes the command printed and its exit code. One request per command.
 */

/** The route's path on the server. */
export const CLI_ROUTE = "/cli";

/** Bumped when a request or reply changes shape; a server answers another version with 409. */
export const PROTOCOL = 1;

/** What the client sends. */
export interface CliRequest {
  protocol: number;
  /** The client's bd version (for messages). */
  version: string;
  /** The command line, without --server and --token. */
  argv: string[];
  /** Who acts: the client's --actor, $BD_ACTOR, git user.name, ... (a named token overrides it). */
  actor: string;
  /** True when the actor was given with --actor (refused when a named token says otherwise). */
  actorGiven: boolean;
  /** Standard input, when the command reads it (`--stdin`, `-i -`, `--body-file -`). */
  stdin?: string;
  /** The texts of the files the command reads, by the path as given; the server opens no path. */
  files: Record<string, string>;
  /** Files the client could not read, with the reason (the command reports it as it would locally). */
  fileErrors: Record<string, string>;
  /** The few environment settings a command reads: NO_COLOR, TERM, BD_CLAIM_LEASE. */
  env: Record<string, string>;
  /** Whether the client's stdout is a terminal (colours, as locally). */
  terminal: boolean;
}

/** What the server answers (HTTP 200) when it ran the command, whatever the command's outcome. */
export interface CliReply {
  stdout: string;
  stderr: string;
  code: number;
}

/** The environment variables a client passes along; nothing else of its environment is sent. */
export const PASSED_ENV = ["NO_COLOR", "TERM", "BD_CLAIM_LEASE"] as const;

/** Limits a server applies to a request's parts (the body as a whole has serve's body limit). */
export const MAX_ARGS = 1000;
