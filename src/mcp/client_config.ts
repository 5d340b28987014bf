/**
 * The config that registers `bd mcp` with MCP clients that take an `mcpServers` entry. Clients
 * start the server from their own directory and without the user's shell, so the command is this
 * bd by its absolute path (self_command.ts) and BEADS_DIR names the workspace.
 */
import { selfArgv, selfCommand } from "../core/sync/self_command.ts";

export function mcpClientConfig(beadsDir: string, env: Record<string, string | undefined>) {
  const argv = selfCommand(env) === "bd" ? ["bd"] : selfArgv(env);
  return {
    mcpServers: {
      beads: { command: argv[0], args: [...argv.slice(1), "mcp"], env: { BEADS_DIR: beadsDir } },
    },
  };
}
