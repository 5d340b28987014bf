/**
 * `bd serve` and the browser: what a page of another site, or a DNS-rebinding page, can send is
 * refused on every route, and what bd's own pages, curl and GraphQL tools send keeps working.
 * Requests go over raw sockets so that Host, Origin and Content-Type are exactly what a browser
 * (or an attacker's page) would send.
 */
import assert from "node:assert/strict";
import { bd, bdOk, type Server, startServer, workspace } from "../helpers.ts";
import { ROUTES } from "../../src/graphql/serve.ts";

interface Reply {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** One HTTP/1.1 request with exactly these headers (plus Content-Length and Connection: close). */
async function raw(
  server: Server,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<Reply> {
  const port = Number(new URL(server.url).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = new TextEncoder().encode(body);
  const lines = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (method !== "GET" && method !== "HEAD") lines.push(`Content-Length: ${bytes.length}`);
  lines.push("Connection: close", "", "");
  await conn.write(new TextEncoder().encode(lines.join("\r\n")));
  if (bytes.length) await conn.write(bytes);
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  conn.close();
  const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  const [head, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...headerLines] = head.split("\r\n");
  const map = new Map<string, string>();
  for (const l of headerLines) {
    const at = l.indexOf(":");
    map.set(l.slice(0, at).trim().toLowerCase(), l.slice(at + 1).trim());
  }
  let out = rest.join("\r\n\r\n");
  if (map.get("transfer-encoding") === "chunked") out = unchunk(out);
  return { status: Number(statusLine.split(" ")[1]), headers: map, body: out };
}

function unchunk(text: string): string {
  let out = "";
  for (let at = 0;;) {
    const eol = text.indexOf("\r\n", at);
    if (eol < 0) return out;
    const size = parseInt(text.slice(at, eol), 16);
    if (!size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

const hostOf = (s: Server) => new URL(s.url).host;
const CREATE = JSON.stringify({ query: 'mutation { createIssue(input: {title: "from a page"}) { issue { id } } }' });
const count = async (dir: string) => (await bdOk(dir, ["count", "--json"])).json().count;

Deno.test("serve: every route, and a route that does not exist, refuses a foreign Host", async () => {
  const dir = await workspace();
  const s = await startServer(dir);
  try {
    for (const path of [...ROUTES, "/a-route-added-later"]) {
      for (const host of ["evil.example", `evil.example:${new URL(s.url).port}`]) {
        const r = await raw(s, "GET", path, { Host: host, Accept: "text/html" });
        assert.equal(r.status, 403, `${path} with Host ${host}`);
        assert.equal(JSON.parse(r.body).errors[0].extensions.code, "FORBIDDEN_HOST");
        const p = await raw(s, "POST", path, { Host: host, "Content-Type": "application/json" }, CREATE);
        assert.equal(p.status, 403, `POST ${path} with Host ${host}`);
      }
      const framed = await raw(s, "GET", path, { Host: hostOf(s), Origin: "http://evil.example" });
      assert.equal(framed.status, 403, `${path} from another origin`);
    }
    const read = await raw(s, "GET", "/graphql?query=%7Bready%7Bid%20title%7D%7D", { Host: "evil.example:80" });
    assert.equal(read.status, 403);
    assert.doesNotMatch(read.body, /"ready"/);
    assert.equal(await count(dir), 0);
  } finally {
    await s.stop();
  }
});

Deno.test("serve: forms, text, multipart and foreign-origin JSON never reach the executor", async () => {
  const dir = await workspace();
  const s = await startServer(dir);
  const host = hostOf(s);
  const mutation = 'mutation { createIssue(input: {title: "csrf"}) { issue { id } } }';
  try {
    const form = `query=${encodeURIComponent(mutation)}`;
    const cases: [string, Record<string, string>, string, number, string][] = [
      [
        "form from another site",
        { Origin: "http://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
        form,
        403,
        "FORBIDDEN_ORIGIN",
      ],
      [
        "form with no Origin",
        { "Content-Type": "application/x-www-form-urlencoded" },
        form,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      [
        "text/plain (no-cors fetch)",
        { "Content-Type": "text/plain;charset=UTF-8" },
        JSON.stringify({ query: mutation }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      [
        "multipart (no-cors FormData)",
        { "Content-Type": "multipart/form-data; boundary=XX" },
        `--XX\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation}\r\n--XX--\r\n`,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      ["no Content-Type", {}, JSON.stringify({ query: mutation }), 415, "UNSUPPORTED_MEDIA_TYPE"],
      [
        "JSON from another site",
        { Origin: "http://evil.example", "Content-Type": "application/json" },
        JSON.stringify({ query: mutation }),
        403,
        "FORBIDDEN_ORIGIN",
      ],
      [
        "JSON from a sandboxed frame",
        { Origin: "null", "Content-Type": "application/json" },
        JSON.stringify({ query: mutation }),
        403,
        "FORBIDDEN_ORIGIN",
      ],
      [
        "JSON from bd's port on another name",
        { Origin: "http://127.0.0.1:1", "Content-Type": "application/json" },
        JSON.stringify({ query: mutation }),
        403,
        "FORBIDDEN_ORIGIN",
      ],
    ];
    for (const [what, headers, body, status, code] of cases) {
      const r = await raw(s, "POST", "/graphql", { Host: host, ...headers }, body);
      assert.equal(r.status, status, what);
      assert.equal(JSON.parse(r.body).errors[0].extensions.code, code, what);
    }
    const stream = await raw(s, "GET", "/graphql?query=subscription%7BissueEvents%7BissueId%7D%7D", {
      Host: host,
      Origin: "http://evil.example",
      Accept: "text/event-stream",
    });
    assert.equal(stream.status, 403, "an event stream for another site");
    assert.equal(await count(dir), 0, "nothing was created");
  } finally {
    await s.stop();
  }
});

Deno.test("serve: bd's pages, curl and GraphQL tools keep working; pages cannot be framed; errors carry no stack", async () => {
  const dir = await workspace();
  const s = await startServer(dir, [], { NODE_ENV: "development" });
  const port = new URL(s.url).port;
  try {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const page = await raw(s, "GET", "/", { Host: host, Accept: "text/html" });
      assert.equal(page.status, 200, host);
      assert.equal(page.headers.get("x-content-type-options"), "nosniff");
      assert.equal(page.headers.get("referrer-policy"), "no-referrer");
      assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
      assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self';/, "the UI's CSP as it was");
      const own = await raw(s, "POST", "/graphql", {
        Host: host,
        Origin: `http://${host}`,
        "Content-Type": "application/json",
      }, CREATE);
      assert.equal(own.status, 200, `the UI's own write from ${host}`);
      assert.ok(JSON.parse(own.body).data.createIssue.issue.id);
    }
    const graphiql = await raw(s, "GET", "/graphql", { Host: `127.0.0.1:${port}`, Accept: "text/html" });
    assert.equal(graphiql.status, 200);
    const curl = await raw(s, "POST", "/graphql", {
      Host: `127.0.0.1:${port}`,
      "Content-Type": "application/json; charset=utf-8",
    }, CREATE);
    assert.equal(curl.status, 200, "a tool with no Origin");
    assert.equal(await count(dir), 3);
    const sse = await fetch(s.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify({ query: "subscription { issueEvents { issueId } }" }),
    });
    assert.equal(sse.status, 200, "the UI's own event stream");
    await sse.body?.cancel();
    const broken = await raw(
      s,
      "POST",
      "/graphql",
      { Host: `127.0.0.1:${port}`, "Content-Type": "application/json" },
      '{"query":"{ stats {"}',
    );
    assert.doesNotMatch(broken.body, /stack|\bat \S+ \(|node_modules|file:\/\//, "no stack or internals");
    assert.ok(JSON.parse(broken.body).errors[0].extensions.code);
    const refused = await raw(s, "POST", "/graphql", { Host: "evil.example", "Content-Type": "application/json" }, "{");
    assert.doesNotMatch(refused.body, /stack|node_modules/);
  } finally {
    await s.stop();
  }
});

Deno.test("serve: --allow-host, --cors-origin and --token work with the same checks; a token in a URL is not accepted", async () => {
  const dir = await workspace();
  const bad = await bd(dir, ["serve", "--port", "0", "--cors-origin", "https://dash.example.test/path"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--cors-origin takes one origin/);
  const s = await startServer(dir, [
    "--allow-host",
    "bd.example.test",
    "--cors-origin",
    "https://dash.example.test",
    "--token",
    "s3cret",
  ]);
  try {
    const auth = { Authorization: "Bearer s3cret", "Content-Type": "application/json" };
    const proxied = await raw(s, "POST", "/graphql", { Host: "bd.example.test", ...auth }, CREATE);
    assert.equal(proxied.status, 200, "a proxy's Host");
    const granted = await raw(s, "POST", "/graphql", {
      Host: hostOf(s),
      Origin: "https://dash.example.test",
      ...auth,
    }, CREATE);
    assert.equal(granted.status, 200);
    assert.equal(granted.headers.get("access-control-allow-origin"), "https://dash.example.test");
    const other = await raw(
      s,
      "POST",
      "/graphql",
      { Host: hostOf(s), Origin: "https://evil.example", ...auth },
      CREATE,
    );
    assert.equal(other.status, 403);
    assert.equal(other.headers.get("access-control-allow-origin"), undefined);
    const rebound = await raw(s, "POST", "/graphql", { Host: "evil.example", ...auth }, CREATE);
    assert.equal(rebound.status, 403, "the token does not lift the Host check");
    const inUrl = await raw(s, "GET", "/graphql?query=%7Bstats%7BtotalIssues%7D%7D&token=s3cret", { Host: hostOf(s) });
    assert.equal(inUrl.status, 401, "a token in a URL");
    const noToken = await raw(s, "POST", "/graphql", { Host: hostOf(s), "Content-Type": "application/json" }, CREATE);
    assert.equal(noToken.status, 401);
    assert.doesNotMatch(s.stderr(), /s3cret/, "the token is not logged");
  } finally {
    await s.stop();
  }
  assert.equal(await count(dir), 2);
});
