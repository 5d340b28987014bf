/** Named tokens for bd serve: token add, list, revoke. */
import type { Command } from "../command.ts";

const SECTION = "Integrations & Advanced";

const DESCRIPTION = `A named token lets one agent or person reach 'bd serve' (GraphQL, MCP, the web UI and
'bd --server'): every write made with it is recorded as NAME, and a different --actor is refused.
bd stores only a hash of each token, in the database: tokens are never exported, synced or shown by
'bd config list'. Once a workspace has a named token, bd serve requires a valid token on every
route that carries data; a running server sees new and revoked tokens at once.

Examples:
  bd token add ci-runner          # prints the token once: put it in the agent's BD_TOKEN
  bd token list
  bd token revoke ci-runner`;

const add: Command = {
  path: ["token", "add"],
  section: SECTION,
  summary: "Mint a named token for bd serve (printed once; only its hash is kept)",
  args: "NAME",
  minArgs: 1,
  maxArgs: 1,
  description: DESCRIPTION,
  async run(ctx, [name]) {
    const { addToken } = await import("../../core/tokens.ts");
    const minted = addToken(ctx.beads(), name);
    if (ctx.globals.json) return ctx.out.data(minted);
    ctx.out.line(minted.token);
    ctx.out.note(`Token for ${minted.name}: shown this once; bd keeps only its hash (bd token revoke ${name} ends it)`);
  },
};

const list: Command = {
  path: ["token", "list"],
  section: SECTION,
  summary: "List the named tokens (names and creation times, never the tokens)",
  maxArgs: 0,
  description: DESCRIPTION,
  async run(ctx) {
    const { listTokens } = await import("../../core/tokens.ts");
    const rows = listTokens(ctx.beads());
    if (ctx.globals.json) return ctx.out.data(rows);
    if (!rows.length) return ctx.out.line("No tokens. bd token add NAME mints one.");
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) ctx.out.line(`${r.name.padEnd(width)}  created ${r.created_at} by ${r.created_by || "?"}`);
  },
};

const revoke: Command = {
  path: ["token", "revoke"],
  section: SECTION,
  summary: "Revoke a named token (refused from the next request on)",
  args: "NAME",
  minArgs: 1,
  maxArgs: 1,
  description: DESCRIPTION,
  async run(ctx, [name]) {
    const { revokeToken } = await import("../../core/tokens.ts");
    const r = revokeToken(ctx.beads(), name);
    if (ctx.globals.json) return ctx.out.data(r);
    ctx.out.line(`✓ Revoked token ${r.name}`);
  },
};

export const tokenCommands: Command[] = [add, list, revoke];
