/** `bd mcp`: the MCP server in the single binary. Its module (and the SDK) load only when it runs. */
import type { Command } from "../command.ts";

export const mcpCommand: Command = {
  path: ["mcp"],
  section: "Integrations & Advanced",
  summary: "Serve bd to MCP clients over stdio (the tools of beads-mcp)",
  maxArgs: 0,
  description: `An MCP (Model Context Protocol) server on stdin/stdout for agents without a shell. It works in
the workspace found from its working directory (--db and BEADS_DIR work as for every command).
Tools, with beads-mcp's names and parameters: ready, list, show, create, claim, update, close,
reopen, dep, stats, blocked, context (the primer). Results are compact issue records, as JSON
text and structuredContent; failures are tool errors carrying bd's code. The same server is at
/mcp on 'bd serve' (Streamable HTTP). 'bd setup mcp' prints the config that registers it.

Examples:
  bd mcp                     # what an MCP client runs
  bd mcp --readonly          # only the tools that read`,
  flags: {
    readonly: { type: "boolean", help: "offer only the reading tools (ready, list, show, stats, blocked, context)" },
  },
  async run(ctx, _args, flags) {
    const { runStdio } = await import("../../mcp/stdio.ts");
    const beads = ctx.beads();
    await ctx.out.flush();
    return await runStdio(beads, { readonly: flags.readonly === true });
  },
};
