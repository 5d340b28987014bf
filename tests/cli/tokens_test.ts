/**
 * Named tokens (contract §10): minted once and kept as a hash, never exported or shown; a running
 * server takes new and revoked ones at once; through a named token the actor is the token's name
 * over the CLI (--server), GraphQL and MCP, and another name is refused.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { bd, bdOk, startServer, workspace } from "../helpers.ts";

type Obj = Record<string, unknown>;

Deno.test("token add prints the token alone, once; only its hash is stored; list names, never tokens; revoke ends it", async () => {
  const dir = await workspace("tk");
  const added = await bdOk(dir, ["token", "add", "ci-runner"]);
  const token = added.stdout.trim();
  assert.match(token, /^bd_[A-Za-z0-9_-]{43}$/);
  assert.equal(added.stdout, `${token}\n`, "the token alone on stdout");
  const json = (await bdOk(dir, ["token", "add", "agent-2", "--json"])).json();
  assert.deepEqual(Object.keys(json), ["name", "token"]);
  const listed = (await bdOk(dir, ["token", "list", "--json"])).json() as Obj[];
  assert.deepEqual(listed.map((t) => t.name), ["agent-2", "ci-runner"]);
  assert.ok(!JSON.stringify(listed).includes(token) && !JSON.stringify(listed).includes("hash"));
  const db = new DatabaseSync(join(dir, ".beads", "tk.db"));
  const dump = JSON.stringify(db.prepare("SELECT * FROM api_tokens").all());
  db.close();
  assert.ok(!dump.includes(token), "the database holds no token");
  // Never exported, synced or shown as config.
  for (const args of [["export"], ["config", "list", "--json"]]) {
    assert.doesNotMatch((await bdOk(dir, args)).stdout, /ci-runner|bd_/);
  }
  assert.doesNotMatch(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")), /ci-runner/);
  assert.equal((await bd(dir, ["token", "add", "ci-runner", "--json"])).code, 1, "a name is minted once");
  assert.equal(JSON.parse((await bd(dir, ["token", "add", "two words", "--json"])).stderr).code, "VALIDATION");
  await bdOk(dir, ["token", "revoke", "ci-runner"]);
  assert.equal(JSON.parse((await bd(dir, ["token", "revoke", "ci-runner", "--json"])).stderr).code, "NOT_FOUND");
  assert.deepEqual((await bdOk(dir, ["token", "list", "--json"])).json().map((t: Obj) => t.name), ["agent-2"]);
});

Deno.test("a running server takes new and revoked named tokens at once; the actor is the token's name everywhere", async () => {
  const dir = await workspace("nt");
  const client = await Deno.makeTempDir();
  const server = await startServer(dir);
  const base = server.url.replace(/graphql$/, "");
  const gql = (query: string, headers: Record<string, string> = {}) =>
    fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    });
  try {
    // No tokens yet: open, as today.
    assert.equal((await gql("{ stats { totalIssues } }")).status, 200);
    const token = (await bdOk(dir, ["token", "add", "alice"])).stdout.trim();
    // From now on every data route wants a token; the page shell and a bare /healthz stay open.
    for (const path of ["graphql", "mcp", "cli"]) {
      const r = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(r.status, 401, path);
    }
    assert.equal((await fetch(base + "healthz")).status, 200);
    assert.equal((await fetch(base)).status, 200);
    const events = await fetch(server.url + "?query=subscription%7BissueEvents%7Bid%7D%7D", {
      headers: { accept: "text/event-stream" },
    });
    assert.equal(events.status, 401, "the event stream too");
    await events.body?.cancel();

    const env = { BD_SERVER: server.url, BD_TOKEN: token };
    const created = (await bdOk(client, ["create", "by alice", "--json"], { env })).json();
    assert.equal(created.created_by, "alice", "BD_ACTOR says tester, the token says alice");
    const refused = await bd(client, ["create", "as bob", "--actor", "bob", "--json"], { env });
    assert.equal(refused.code, 2);
    assert.match(JSON.parse(refused.stderr).error, /acts as alice/);
    await bdOk(client, ["update", created.id, "--claim"], { env });
    const auth = { authorization: `Bearer ${token}` };
    const claimed = await (await gql(`{ issue(id: "${created.id}") { assignee events { actor eventType } } }`, auth))
      .json();
    assert.equal(claimed.data.issue.assignee, "alice");
    assert.ok(claimed.data.issue.events.every((e: Obj) => e.actor === "alice"), "recorded as alice in the events");
    const asOther = await gql("{ stats { totalIssues } }", { ...auth, "x-bd-actor": "mallory" });
    assert.equal(asOther.status, 403);
    assert.equal((await asOther.json()).errors[0].extensions.code, "USAGE");
    const viaGql =
      await (await gql(`mutation { createIssue(input: { title: "via graphql" }) { issue { createdBy } } }`, auth))
        .json();
    assert.equal(viaGql.data.createIssue.issue.createdBy, "alice");

    const mcp = new Client({ name: "t", version: "1" });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(base + "mcp"), { requestInit: { headers: auth } }));
    const viaMcp = (await mcp.callTool({ name: "create", arguments: { title: "via mcp" } })) as {
      structuredContent: { issue: { id: string } };
    };
    await mcp.close();
    const shown = (await bdOk(dir, ["show", viaMcp.structuredContent.issue.id, "--json"])).json()[0];
    assert.equal(shown.created_by, "alice");

    // Revoked: refused from the next request on, on every route; an unknown token likewise.
    await bdOk(dir, ["token", "revoke", "alice"]);
    const after = await bd(client, ["list", "--json"], { env });
    assert.equal(after.code, 1);
    assert.equal(JSON.parse(after.stderr).code, "UNAUTHENTICATED");
    assert.equal((await gql("{ stats { totalIssues } }", auth)).status, 401);
    assert.equal((await gql("{ stats { totalIssues } }", { authorization: "Bearer bd_unknown" })).status, 401);
  } finally {
    await server.stop();
  }
});

Deno.test("api_tokens can never be surfaced as an extension table", async () => {
  const dir = await workspace("ex");
  await bdOk(dir, ["token", "add", "x"]);
  const r = await bd(dir, ["ext", "init", "api_", "--json"]);
  assert.equal(JSON.parse(r.stderr).code, "NOT_FOUND", "bd's own table is no extension");
  // Named outright in a hand-written config, it is refused too.
  Deno.writeTextFileSync(
    join(dir, ".beads", "graphql.json"),
    JSON.stringify({ extensions: [{ name: "leak", include: ["api_tokens"] }] }),
  );
  const check = await bd(dir, ["ext", "check"]);
  assert.notEqual(check.code, 0);
  assert.match(check.stdout + check.stderr, /api_tokens.*one of bd's own tables/);
  assert.doesNotMatch((await bdOk(dir, ["schema"])).stdout, /token_hash|ApiToken/);
});
