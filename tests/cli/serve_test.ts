/** `bd serve` end to end: a real server process on 127.0.0.1 and a real HTTP client. */
import assert from "node:assert/strict";
import { bd, bdOk, createIssue, startServer, waitFor, workspace } from "../helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("serve answers queries on 127.0.0.1; ready over GraphQL equals bd ready --json", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "first", "-p", "1");
  const b = await createIssue(dir, "second", "-l", "x");
  await createIssue(dir, "blocked", "--deps", a);
  const s = await startServer(dir);
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const health = await fetch(new URL("/healthz", s.url));
    assert.deepEqual(await health.json(), { status: "ok" });
    const r = await post(s.url, `{ ready(limit: 50) { id title priority status labels createdAt updatedAt } }`);
    assert.equal(r.status, 200);
    const cli = (await bdOk(dir, ["ready", "--json", "--limit", "50"])).json();
    assert.deepEqual(
      r.body.data.ready.map((
        i: Record<string, unknown>,
      ) => [i.id, i.title, i.priority, i.status, i.createdAt, i.updatedAt]),
      cli.map((i: Record<string, unknown>) => [i.id, i.title, i.priority, i.status, i.created_at, i.updated_at]),
    );
    assert.deepEqual(r.body.data.ready.map((i: { id: string }) => i.id), [a, b]);
    const gi = await fetch(s.url, { headers: { accept: "text/html" } });
    assert.equal(gi.status, 200);
    assert.match(await gi.text(), /graphiql/i);
  } finally {
    await s.stop();
  }
});

Deno.test("mutations over HTTP write the same events and JSONL as the CLI; errors carry CLI codes", async () => {
  const dir = await workspace();
  const s = await startServer(dir);
  try {
    const r = await post(
      s.url,
      `mutation { createIssue(input: { title: "via graphql", labels: ["g"] }) { issue { id } } }`,
      {},
      { "X-BD-Actor": "gql-agent" },
    );
    const id = r.body.data.createIssue.issue.id;
    const [shown] = (await bdOk(dir, ["show", id, "--json"])).json();
    assert.equal(shown.created_by, "gql-agent");
    assert.deepEqual(shown.labels, ["g"]);
    assert.match(Deno.readTextFileSync(`${dir}/.beads/issues.jsonl`), new RegExp(`"id":"${id}"`));
    const missing = await post(s.url, `mutation { closeIssue(input: { id: "nope" }) { issue { id } } }`);
    assert.equal(missing.body.errors[0].extensions.code, "NOT_FOUND");
    const syntax = await post(s.url, `{ ready { `);
    assert.ok(syntax.body.errors[0].message.includes("Syntax Error"));
  } finally {
    await s.stop();
  }
});

Deno.test("20 parallel claimNextReady requests claim each ready issue exactly once", async () => {
  const dir = await workspace();
  for (let i = 0; i < 12; i++) await bdOk(dir, ["create", `work ${i}`, "-q", "--sandbox"]);
  await bdOk(dir, ["export", "-o", ".beads/issues.jsonl"]);
  const s = await startServer(dir);
  try {
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => post(s.url, `mutation { claimNextReady { id assignee } }`, {}, { "x-bd-actor": `agent-${i}` }),
      ),
    );
    const claimed = results.map((r) => r.body.data.claimNextReady).filter(Boolean);
    assert.equal(claimed.length, 12);
    assert.equal(new Set(claimed.map((c: { id: string }) => c.id)).size, 12);
    assert.equal(results.filter((r) => r.body.data.claimNextReady === null).length, 8);
  } finally {
    await s.stop();
  }
});

Deno.test("SSE subscription delivers a change made by a CLI process", async () => {
  const dir = await workspace();
  const s = await startServer(dir);
  const controller = new AbortController();
  const { DatabaseSync } = await import("node:sqlite");
  const conn = new DatabaseSync(`${dir}/.beads/test.db`);
  const lastEvent = Number(conn.prepare("SELECT coalesce(max(id), 0) AS n FROM events").get()!.n);
  conn.close();
  try {
    const res = await fetch(s.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      // Subscribe from the newest event so that a change racing the subscription is not missed.
      body: JSON.stringify({ query: `subscription { issueEvents(since: ${lastEvent}) { eventType issueId actor } }` }),
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const created = await createIssue(dir, "made by the CLI");
    await waitFor(
      async () => {
        const { value } = await reader.read();
        text += value ?? "";
        return text.includes(created);
      },
      5_000,
      "the SSE event",
    );
    const frame = text.split("\n").find((l) => l.startsWith("data:") && l.includes(created))!;
    const payload = JSON.parse(frame.slice(5));
    assert.deepEqual(payload.data.issueEvents, { eventType: "created", issueId: created, actor: "tester" });
    reader.cancel();
  } finally {
    controller.abort();
    await s.stop();
  }
});

Deno.test("binding beyond loopback needs a token; a token is then required on every request", async () => {
  const dir = await workspace();
  const refused = await bd(dir, ["serve", "--host", "0.0.0.0", "--port", "0"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /token/);
  const s = await startServer(dir, ["--token", "s3cret"]);
  try {
    const none = await post(s.url, "{ stats { totalIssues } }");
    assert.equal(none.status, 401);
    assert.equal(none.body.errors[0].extensions.code, "UNAUTHENTICATED");
    const wrong = await post(s.url, "{ stats { totalIssues } }", {}, { authorization: "Bearer nope" });
    assert.equal(wrong.status, 401);
    const ok = await post(s.url, "{ stats { totalIssues } }", {}, { authorization: "Bearer s3cret" });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.data.stats.totalIssues, 0);
  } finally {
    await s.stop();
  }
  const env = await startServer(dir, [], { BD_SERVE_TOKEN: "from-env" });
  try {
    assert.equal((await post(env.url, "{ stats { totalIssues } }")).status, 401);
    assert.equal(
      (await post(env.url, "{ stats { totalIssues } }", {}, { authorization: "Bearer from-env" })).status,
      200,
    );
  } finally {
    await env.stop();
  }
});

Deno.test("limits: body size, request timeout, no CORS unless configured", async () => {
  const dir = await workspace();
  for (let i = 0; i < 30; i++) await bdOk(dir, ["create", `n${i}`, "-q", "--sandbox"]);
  const s = await startServer(dir, [], { BD_SERVE_MAX_BODY: "2000", BD_SERVE_TIMEOUT_MS: "300" });
  try {
    const big = await post(s.url, `{ stats { totalIssues } } # ${"x".repeat(3000)}`);
    assert.equal(big.status, 413);
    assert.equal(big.body.errors[0].extensions.code, "PAYLOAD_TOO_LARGE");
    // A client that announces a body and never sends it is cut off at the deadline, on every route.
    const port = Number(new URL(s.url).port);
    for (const route of ["/graphql", "/mcp", "/cli"]) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const started = Date.now();
      await conn.write(new TextEncoder().encode(
        `POST ${route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{`,
      ));
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf);
      conn.close();
      const reply = new TextDecoder().decode(buf.subarray(0, n ?? 0));
      assert.match(reply, /^HTTP\/1\.1 503/, route);
      assert.match(reply, /"code":"TIMEOUT"/, route);
      assert.ok(Date.now() - started < 5000, `${route}: answered at the deadline`);
    }
    const pre = await fetch(s.url, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    await pre.body?.cancel();
    assert.equal(pre.headers.get("access-control-allow-origin"), null);
  } finally {
    await s.stop();
  }
  const c = await startServer(dir, ["--cors-origin", "http://app.local"]);
  try {
    const pre = await fetch(c.url, {
      method: "OPTIONS",
      headers: { origin: "http://app.local", "access-control-request-method": "POST" },
    });
    await pre.body?.cancel();
    assert.equal(pre.headers.get("access-control-allow-origin"), "http://app.local");
  } finally {
    await c.stop();
  }
});

Deno.test("SIGTERM shuts down gracefully: exit 0 after in-flight requests finish", async () => {
  const dir = await workspace();
  const s = await startServer(dir);
  const inflight = post(s.url, "{ stats { totalIssues } }").catch(() => undefined);
  const status = await s.stop("SIGTERM");
  const r = await inflight;
  if (r) assert.equal(r.status, 200);
  assert.equal(status.code, 0, s.stderr());
});

Deno.test("bd schema prints the SDL; bd ext init/check write and validate the extension config", async () => {
  const dir = await workspace("myapp");
  const sdl = await bdOk(dir, ["schema"]);
  assert.match(sdl.stdout, /type Issue \{/);
  assert.match(sdl.stdout, /claimNextReady/);
  const noTables = await bd(dir, ["ext", "init", "myapp_", "--json"]);
  assert.equal(JSON.parse(noTables.stderr).code, "NOT_FOUND");
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(`${dir}/.beads/myapp.db`);
  db.exec(Deno.readTextFileSync(new URL("../fixtures/extending/02_integration_schema.sql", import.meta.url)));
  db.close();
  const init = (await bdOk(dir, ["ext", "init", "myapp_", "--json"])).json();
  assert.deepEqual(init.tables, ["myapp_checkpoints", "myapp_executions"]);
  assert.deepEqual(init.extension.tables, { myapp_checkpoints: { json: ["step_data"] } });
  const check = (await bdOk(dir, ["ext", "check", "--json"])).json();
  assert.equal(check.ok, true);
  assert.deepEqual(check.reverse.sort(), ["Issue.myappExecutions", "MyappExecution.checkpoints"]);
  const stitched = await bdOk(dir, ["schema"]);
  assert.match(stitched.stdout, /myappExecutions: \[MyappExecution!\]!/);
  const cfg = JSON.parse(Deno.readTextFileSync(`${dir}/.beads/graphql.json`));
  cfg.extensions.push({ name: "ghost", include: ["ghost_table"] });
  Deno.writeTextFileSync(`${dir}/.beads/graphql.json`, JSON.stringify(cfg));
  const bad = await bd(dir, ["ext", "check"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /unknown table "ghost_table"/);
});
