/**
 * Which commands run where with --server (contract §10), in one table: the security review of
 * remote mode starts here. A command not named runs on the server. The server checks the same
 * table again before it runs anything, so a client cannot talk it into a refused command.
 */
import type { Values } from "./command.ts";

/** Where a command runs: on the server, here (it needs no tracker), or nowhere (why it needs a checkout). */
export type RemoteMode = "server" | "client" | { refuse: string };

const CHECKOUT = (what: string): RemoteMode => ({ refuse: `${what}; run it where the workspace is` });

const POLICY: Record<string, RemoteMode | ((flags: Values, args: string[]) => RemoteMode)> = {
  version: "client",
  quickstart: "client",
  completion: "client",
  init: CHECKOUT("bd init creates a workspace in a checkout"),
  sync: CHECKOUT("bd sync commits and pushes a checkout's issues.jsonl with git"),
  merge: CHECKOUT("bd merge merges files in a checkout (git's merge driver)"),
  "resolve-conflicts": CHECKOUT("bd resolve-conflicts mends a checkout's issues.jsonl"),
  "hooks install": CHECKOUT("bd hooks installs git hooks in a checkout"),
  "hooks uninstall": CHECKOUT("bd hooks changes git hooks in a checkout"),
  "hooks list": CHECKOUT("bd hooks reads git hooks in a checkout"),
  setup: CHECKOUT("bd setup writes agent files in a checkout"),
  onboard: CHECKOUT("bd onboard writes AGENTS.md in a checkout"),
  serve: CHECKOUT("bd serve serves a local workspace"),
  mcp: CHECKOUT("bd mcp serves a local workspace (point the agent at the server's /mcp instead)"),
  doctor: CHECKOUT("bd doctor checks a checkout (git config, hooks, files) and runs git there"),
  orphans: CHECKOUT("bd orphans reads a checkout's git history"),
  edit: { refuse: "bd edit opens an editor on the workspace's machine; use bd update --description-file FILE" },
  "config set": CHECKOUT("configuration is changed where the workspace is"),
  "config unset": CHECKOUT("configuration is changed where the workspace is"),
  "token add": CHECKOUT("tokens are managed where the workspace is"),
  "token list": CHECKOUT("tokens are managed where the workspace is"),
  "token revoke": CHECKOUT("tokens are managed where the workspace is"),
  schema: CHECKOUT("bd schema reads the workspace's extension config (ask the server's /graphql instead)"),
  "ext init": CHECKOUT("bd ext writes the workspace's extension config"),
  "ext check": CHECKOUT("bd ext reads the workspace's extension config"),
  where: CHECKOUT("bd where names local paths"),
  export: (flags) => flags.output !== undefined ? CHECKOUT("bd export -o writes a file in a checkout") : "server",
  import: (flags, args) =>
    flags.input === undefined && args.length === 0
      ? CHECKOUT("bd import with no file re-reads the workspace's own issues.jsonl (name a file to send one)")
      : "server",
};

/** Where `path` (the command's words) runs with --server. */
export function remoteMode(path: readonly string[], flags: Values, args: string[]): RemoteMode {
  const entry = POLICY[path.join(" ")];
  if (entry === undefined) return "server";
  return typeof entry === "function" ? entry(flags, args) : entry;
}

/** The positional arguments of a command that name files the client reads and sends (import FILE). */
export function fileArgs(path: readonly string[]): number[] {
  return path.join(" ") === "import" ? [0] : [];
}
