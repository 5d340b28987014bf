/**
 * `/mcp` on `bd serve`: the MCP server over Streamable HTTP, stateless (a server per request, JSON
 * answers), behind the same Host, Origin, body-type and token checks as every route (serve.ts
 * runs them first). Writes carry the request's actor (X-BD-Actor), as GraphQL's do.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Beads } from "../core/service.ts";
import { createMcpServer } from "./server.ts";

/** Answers one MCP request whose JSON body the caller has read and parsed. */
export async function handleMcpRequest(
  beads: Beads,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const actor = String(req.headers["x-bd-actor"] ?? "").trim();
  const server = createMcpServer(beads, { viewFor: (b) => (actor ? b.as(actor) : b) });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => {
    transport.close().catch(() => {});
    server.close().catch(() => {});
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
