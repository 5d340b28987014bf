/** `bd mcp`: the MCP server over stdio, until the client closes the stream. */
import process from "node:process";
import { LineTransport } from "./line_transport.ts";
import type { Beads } from "../core/service.ts";
import { createMcpServer, type McpOptions } from "./server.ts";

/** Serves `beads` on stdin/stdout; resolves with the exit code when the client goes away. */
export async function runStdio(beads: Beads, opts: McpOptions = {}): Promise<number> {
  const server = createMcpServer(beads, opts);
  const transport = new LineTransport();
  const closed = new Promise<number>((resolve) => {
    transport.onclose = () => resolve(0);
    process.stdin.once("end", () => resolve(0));
    process.once("SIGTERM", () => resolve(0));
    process.once("SIGINT", () => resolve(0));
  });
  await server.connect(transport);
  const code = await closed;
  await server.close().catch(() => {});
  return code;
}
