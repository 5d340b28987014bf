/**
 * `bd mcp` end to end with the MCP SDK's own client: over stdio against the bd under test (dist/bd
 * or the sources), and over Streamable HTTP against `bd serve`'s /mcp.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { baseEnv, bd, bdCommand, bdOk, startServer, workspace } from "../helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function stdioClient(dir: string, args: string[] = [], actor = "agent"): Promise<Client> {
  const [command, ...pre] = bdCommand();
  const env = baseEnv({ BD_ACTOR: actor });
  if (!env.DENO_DIR) delete env.DENO_DIR;
  const client = new Client({ name: "bd-test", version: "1" });
  await client.connect(
    new StdioClientTransport({ command, args: [...pre, "mcp", ...args], cwd: dir, env, stderr: "pipe" }),
  );
  return client;
}

/** Calls a tool; returns its structured content, or throws with the tool error's text. */
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Json> {
  const r = (await client.callTool({ name, arguments: args })) as Json;
  if (r.isError) throw new Error(r.content[0].text);
  assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent, "the text and the structured content agree");
  return r.structuredContent;
}

async function toolError(client: Client, name: string, args: Record<string, unknown>): Promise<Json> {
  const r = (await client.callTool({ name, arguments: args })) as Json;
  assert.equal(r.isError, true, `${name} should fail`);
  return JSON.parse(r.content[0].text);
}

const ids = (r: Json) => r.issues.map((i: { id: string }) => i.id);

Deno.test("bd mcp over stdio: tools, create with a blocker, ready, claim, close, errors with bd's codes", async () => {
  const dir = await workspace("m");
  const client = await stdioClient(dir);
  try {
    const listed = await client.listTools();
    const names = listed.tools.map((t: { name: string }) => t.name).sort();
    assert.deepEqual(names, [
      "blocked",
      "claim",
      "close",
      "context",
      "create",
      "dep",
      "heartbeat",
      "list",
      "ready",
      "reopen",
      "show",
      "stats",
      "update",
    ]);
    const size = JSON.stringify(listed).length;
    assert.ok(size < 8000, `tools/list is ${size} bytes`);
    for (const t of listed.tools) assert.ok(t.outputSchema && !t.description!.includes("\n"), t.name);
    const a = (await call(client, "create", { title: "lay the foundation", priority: 1 })).issue.id;
    const b = (await call(client, "create", { title: "build the walls", deps: [a] })).issue.id;
    const c = (await call(client, "create", { title: "found while building", deps: [`discovered-from:${b}`] })).issue;
    assert.equal(c.status, "open");
    assert.deepEqual(
      (await call(client, "dep", { issue_id: c.id, depends_on_id: a })).dependency,
      { issue_id: c.id, depends_on_id: a, type: "blocks" },
    );
    assert.deepEqual(ids(await call(client, "ready")), [a]);
    const claimed = (await call(client, "claim", { issue_id: a })).issue;
    assert.deepEqual([claimed.status, claimed.assignee], ["in_progress", "agent"]);
    assert.equal((await call(client, "close", { issue_id: a, reason: "poured" })).issues[0].status, "closed");
    assert.deepEqual(ids(await call(client, "ready")).sort(), [b, c.id].sort());
    const shown = (await call(client, "show", { issue_id: b })).issue;
    assert.equal(shown.dependencies[0].id, a);
    assert.equal((await call(client, "stats")).stats.closed_issues, 1);
    assert.match((await call(client, "context")).primer, /bd workflow primer/);
    assert.equal((await call(client, "reopen", { issue_ids: [a] })).issues[0].status, "open");
    assert.deepEqual(ids(await call(client, "blocked")).sort(), [b, c.id].sort());
    assert.equal((await call(client, "update", { issue_id: b, priority: 0 })).issue.priority, 0);
    assert.deepEqual(await toolError(client, "show", { issue_id: "m-nope" }), {
      error: 'no issue found matching "m-nope"',
      code: "NOT_FOUND",
    });
    assert.equal((await toolError(client, "list", { status: "bogus" })).code, "VALIDATION");
    assert.equal((await toolError(client, "dep", { issue_id: a, depends_on_id: b })).code, "CYCLE");
    // beads-mcp's workspace_root: this workspace (or a folder in it) is fine; another one is an error.
    assert.deepEqual(ids(await call(client, "blocked", { workspace_root: dir })).sort(), [b, c.id].sort());
    const elsewhere = await workspace("z");
    const wrong = await toolError(client, "ready", { workspace_root: elsewhere });
    assert.equal(wrong.code, "VALIDATION");
    assert.match(wrong.error, /not the workspace this server serves/);
    // Every tool checks it, the writing ones too: nothing is closed here for another workspace.
    for (const [name, args] of [["close", { issue_id: b }], ["reopen", { issue_ids: [b] }]] as const) {
      assert.equal((await toolError(client, name, { ...args, workspace_root: elsewhere })).code, "VALIDATION", name);
    }
    assert.equal((await call(client, "show", { issue_id: b })).issue.status, "open");
    for (const t of listed.tools) assert.ok("workspace_root" in t.inputSchema.properties!, t.name);
    // The CLI sees what the MCP client did, and the server sees what the CLI does.
    assert.equal((await bdOk(dir, ["show", b, "--json"])).json()[0].priority, 0);
    await bdOk(dir, ["create", "from the shell", "--sandbox"]);
    assert.ok((await call(client, "list", { query: "shell" })).issues.length === 1);
  } finally {
    await client.close();
  }
});

Deno.test("bd mcp: two clients claiming one issue at once, one wins; --readonly offers only the reading tools", async () => {
  const dir = await workspace("m");
  const id = (await bdOk(dir, ["create", "contested", "--json"])).json().id;
  const [x, y] = await Promise.all([stdioClient(dir, [], "agent-x"), stdioClient(dir, [], "agent-y")]);
  try {
    const results = await Promise.all([x, y].map((c) => c.callTool({ name: "claim", arguments: { issue_id: id } })));
    const won = results.filter((r: Json) => !r.isError);
    const lost = results.filter((r: Json) => r.isError);
    assert.equal(won.length, 1, "exactly one claim wins");
    assert.equal(JSON.parse((lost[0] as Json).content[0].text).code, "CONFLICT");
  } finally {
    await x.close();
    await y.close();
  }
  const ro = await stdioClient(dir, ["--readonly"]);
  try {
    const names = (await ro.listTools()).tools.map((t: { name: string }) => t.name).sort();
    assert.deepEqual(names, ["blocked", "context", "list", "ready", "show", "stats"]);
  } finally {
    await ro.close();
  }
});

Deno.test("/mcp on bd serve: the same tools over Streamable HTTP, with the actor; a foreign Origin is refused", async () => {
  const dir = await workspace("h");
  const s = await startServer(dir);
  const url = new URL(s.url.replace(/graphql$/, "mcp"));
  try {
    const client = new Client({ name: "bd-http-test", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: { "x-bd-actor": "web-agent" } } }),
    );
    assert.equal((await client.listTools()).tools.length, 13);
    const id = (await call(client, "create", { title: "over http" })).issue.id;
    assert.equal((await call(client, "claim", { issue_id: id })).issue.assignee, "web-agent");
    assert.equal((await toolError(client, "claim", { issue_id: "h-zzz" })).code, "NOT_FOUND");
    await client.close();
    const foreign = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        origin: "http://evil.example",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    const form = await fetch(url, { method: "POST", body: new URLSearchParams({ a: "b" }) });
    assert.equal(form.status, 415);
    await form.body?.cancel();
    assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].status, "in_progress");
  } finally {
    await s.stop();
  }
});

Deno.test("bd setup mcp prints a config whose command runs from another directory with bd off PATH", async () => {
  const dir = await workspace("c");
  const id = (await bdOk(dir, ["create", "seen through the config", "--json"])).json().id;
  const { mcpServers: { beads } } = (await bdOk(dir, ["setup", "mcp", "--json"])).json();
  assert.ok(beads.command.startsWith("/"), `an absolute path: ${beads.command}`);
  assert.deepEqual(beads.args.at(-1), "mcp");
  const env: Record<string, string> = { ...beads.env, PATH: "/usr/bin:/bin", HOME: Deno.env.get("HOME") ?? "/tmp" };
  if (Deno.env.get("DENO_DIR")) env.DENO_DIR = Deno.env.get("DENO_DIR")!;
  const client = new Client({ name: "configured", version: "1" });
  await client.connect(
    new StdioClientTransport({ command: beads.command, args: beads.args, env, cwd: "/", stderr: "pipe" }),
  );
  try {
    assert.equal((await call(client, "show", { issue_id: id })).issue.title, "seen through the config");
  } finally {
    await client.close();
  }
  const bad = await bd(dir, ["setup", "nonesuch"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown recipe "nonesuch"/);
});

Deno.test("bd mcp over stdio answers a 12 MB line and a line that is not JSON with JSON-RPC errors, and keeps serving", async () => {
  const dir = await workspace("big");
  const [command, ...pre] = bdCommand();
  const env = baseEnv();
  if (!env.DENO_DIR) delete env.DENO_DIR;
  const child = new Deno.Command(command, {
    args: [...pre, "mcp"],
    cwd: dir,
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  const send = (text: string) => w.write(new TextEncoder().encode(text));
  const lines: Json[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const next = async () => {
    while (!buf.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("bd mcp closed its output");
      buf += value;
    }
    const at = buf.indexOf("\n");
    const line = JSON.parse(buf.slice(0, at));
    buf = buf.slice(at + 1);
    lines.push(line);
    return line;
  };
  try {
    await send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }) + "\n",
    );
    assert.equal((await next()).id, 1);
    await send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
    // 12 MB in one line, in pieces, as a pipe delivers it.
    const piece = "x".repeat(1024 * 1024);
    await send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create","arguments":{"title":"`);
    for (let i = 0; i < 12; i++) await send(piece);
    await send(`"}}}\n`);
    const big = await next();
    assert.equal(big.error.code, -32600);
    assert.match(big.error.message, /larger than/);
    await send("this is not json\n");
    assert.equal((await next()).error.code, -32700);
    await send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }) + "\n");
    const listed = await next();
    assert.equal(listed.id, 3, "still serving");
    assert.ok(listed.result.tools.length > 10);
  } finally {
    await w.close().catch(() => {});
    await reader.cancel().catch(() => {});
    const status = await child.status;
    assert.equal(status.code, 0);
    await child.stderr.cancel().catch(() => {});
  }
});
