/** GraphQL front end commands: serve, schema, ext. Their modules load only when they run. */
import type { Command } from "../command.ts";
import { mcpCommand } from "./mcp.ts";
import { BdError } from "../../model/errors.ts";
import { int, str } from "./util.ts";

const SECTION = "Integrations & Advanced";

const serve: Command = {
  path: ["serve"],
  section: SECTION,
  summary: "Serve the GraphQL API (127.0.0.1:4000 by default)",
  maxArgs: 0,
  description: `The web UI at / (ready work, board, list, issues, epics, graph, extension tables; it follows
changes live), GraphiQL on GET /graphql, health on /healthz — all offline. Extension tables are
exposed through .beads/graphql.json (or --extensions FILE); see 'bd ext --help'.

What it refuses, on every route, so that no web page you visit can use it:
  - a Host header that is not an address it listens on (127.0.0.1, localhost, [::1], --host;
    a DNS-rebinding page sends its own name): 403. --allow-host NAME adds one (a proxy, a tunnel);
  - an Origin other than its own pages' (another site's page): 403. --cors-origin URL grants one
    origin CORS access; tools that send no Origin (curl, scripts) are not affected;
  - a POST body that is not application/json (HTML forms, text, multipart): 415.
Binding to an address other than loopback requires a bearer token (--token or $BD_SERVE_TOKEN),
sent as 'Authorization: Bearer T' (never in a URL), or named tokens (bd token add NAME): once a
workspace has one, every data route needs a token, and a named token's requests act as its name.

A team server: agents anywhere run 'bd --server URL' (BD_SERVER, token in BD_TOKEN) at one request
per command; --sync-every 1m keeps the checkout's git remote current (pull, merge, push, as
'bd sync'), reported on /healthz (with a token) and in the web UI's footer.

Examples:
  bd serve                 # then open http://127.0.0.1:4000/
  bd serve --demo          # a throwaway demo project, to see everything at once
  bd serve --host 0.0.0.0 --token "$TOKEN"
  bd token add agent-1 && bd serve --host 0.0.0.0 --sync-every 1m   # behind a TLS proxy
  bd serve --allow-host bd.example.test --cors-origin https://dash.example.test`,
  flags: {
    host: { type: "string", value: "ADDR", help: "address to bind (default 127.0.0.1)" },
    port: { type: "string", value: "N", help: "port (default 4000; 0 = any free port)" },
    token: { type: "string", value: "T", help: "require 'Authorization: Bearer T' (else $BD_SERVE_TOKEN)" },
    extensions: { type: "string", value: "FILE", help: "extension-table config (default .beads/graphql.json)" },
    "allow-host": {
      type: "string",
      value: "NAME",
      help: "also accept requests for this Host (NAME or NAME:PORT; a proxy or tunnel)",
      multiple: true,
    },
    "cors-origin": { type: "string", value: "URL", help: "grant this one origin cross-origin access (CORS)" },
    demo: { type: "boolean", help: "serve a throwaway demo workspace (an epic, blockers, extension rows)" },
    "sync-every": {
      type: "string",
      value: "D",
      help: "run bd sync every D (30s, 5m) and a few seconds after writes go quiet; status on /healthz",
    },
  },
  async run(ctx, _args, flags) {
    const { runServer } = await import("../../graphql/serve.ts");
    const syncEvery = str(flags, "sync-every");
    if (syncEvery !== undefined) {
      const { parseInterval } = await import("../../graphql/sync_schedule.ts");
      try {
        parseInterval(syncEvery);
      } catch (e) {
        throw new BdError("USAGE", `--sync-every: ${(e as Error).message}`);
      }
    }
    const beads = flags.demo === true ? (await import("../../core/demo.ts")).createDemoWorkspace(ctx.env) : ctx.beads();
    if (flags.demo === true) ctx.out.note(`bd serve: demo workspace in ${beads.paths.beadsDir}`);
    await ctx.out.flush();
    return await runServer({
      beads,
      env: ctx.env,
      json: ctx.globals.json,
      host: str(flags, "host") ?? "127.0.0.1",
      port: int(flags, "port", 4000)!,
      token: str(flags, "token") ?? ctx.env.BD_SERVE_TOKEN,
      extensions: str(flags, "extensions"),
      allowHosts: (flags["allow-host"] as string[] | undefined) ?? [],
      corsOrigin: corsOrigin(str(flags, "cors-origin")),
      syncEvery,
    });
  },
};

/** Checks that --cors-origin names exactly one origin (scheme, host, port; no path). */
function corsOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch { /* said below */ }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== value.replace(/\/$/, "")) {
    throw new BdError(
      "USAGE",
      `--cors-origin takes one origin such as https://dash.example.test (scheme, host and port, no path); got ${
        JSON.stringify(value)
      }`,
    );
  }
  return url.origin;
}

const schema: Command = {
  path: ["schema"],
  section: SECTION,
  summary: "Print the effective GraphQL schema (SDL, with extension tables)",
  maxArgs: 0,
  flags: { extensions: serve.flags!.extensions },
  async run(ctx, _args, flags) {
    const { effectiveSchema } = await import("../../graphql/serve.ts");
    const { sdl, problems } = effectiveSchema(ctx.beads(), str(flags, "extensions"));
    if (ctx.globals.json) ctx.out.data({ sdl });
    else ctx.out.line(sdl);
    for (const p of problems) ctx.out.note(`${p.level}: ${p.message}`);
  },
};

const extInit: Command = {
  path: ["ext", "init"],
  writesFiles: true,
  section: SECTION,
  summary: "Write a starter extension config for tables starting with PREFIX",
  args: "PREFIX",
  minArgs: 1,
  maxArgs: 1,
  flags: {
    extensions: serve.flags!.extensions,
    force: { type: "boolean", help: "replace an existing config entry for this prefix" },
  },
  async run(ctx, [prefix], flags) {
    const { extInitCommand } = await import("./ext.ts");
    return extInitCommand(ctx, prefix, str(flags, "extensions"), flags.force === true);
  },
};

const extCheck: Command = {
  path: ["ext", "check"],
  section: SECTION,
  summary: "Validate the extension config against the live database",
  maxArgs: 0,
  flags: { extensions: serve.flags!.extensions },
  async run(ctx, _args, flags) {
    const { extCheckCommand } = await import("./ext.ts");
    return extCheckCommand(ctx, str(flags, "extensions"));
  },
};

export const serverCommands: Command[] = [serve, schema, extInit, extCheck, mcpCommand];
