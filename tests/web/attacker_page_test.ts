/// <reference lib="dom" />
/**
 * `bd serve` against a hostile page in a real Chromium: a page served from another local port
 * tries every write a browser allows without a CORS preflight (an auto-submitted form, no-cors
 * fetches of form, multipart and text bodies), a JSON write, a cross-origin read and framing the
 * board; a DNS-rebinding name (mapped to 127.0.0.1 in the browser) tries to read as same-origin.
 * Nothing may change in the database and nothing may be read.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { bdOk, ROOT, startServer } from "../helpers.ts";

const CHROMIUM = Deno.env.get("BD_CHROMIUM") ?? "/usr/bin/chromium";
const SECRET = "secret-roadmap-item";

function attackerPage(bdOrigin: string): string {
  const mutation = (title: string) => `mutation { createIssue(input: {title: "${title}"}) { issue { id } } }`;
  return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="${bdOrigin}/graphql" target="sink">
  <input name="query" value='${mutation("by a form")}'>
</form>
<iframe id="framed" src="${bdOrigin}/#/board"></iframe>
<script>
const bd = ${JSON.stringify(bdOrigin)};
const results = {};
const settle = (name, p) => p.then(async (r) => (results[name] = r.type === "opaque" ? "opaque" : await r.text()))
  .catch(() => (results[name] = "blocked"));
document.getElementById("f").submit();
const form = new FormData();
form.append("query", ${JSON.stringify(mutation("by multipart"))});
Promise.all([
  settle("urlencoded", fetch(bd + "/graphql", { method: "POST", mode: "no-cors",
    body: new URLSearchParams({ query: ${JSON.stringify(mutation("by urlencoded"))} }) })),
  settle("multipart", fetch(bd + "/graphql", { method: "POST", mode: "no-cors", body: form })),
  settle("text", fetch(bd + "/graphql", { method: "POST", mode: "no-cors",
    body: JSON.stringify({ query: ${JSON.stringify(mutation("by text"))} }) })),
  settle("json", fetch(bd + "/graphql", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: ${JSON.stringify(mutation("by json"))} }) })),
  settle("read", fetch(bd + "/graphql?query=" + encodeURIComponent("{ ready { id title } }"))),
]).then(() => (window.done = results));
</script></body></html>`;
}

Deno.test("a page of another origin, or a rebound DNS name, can neither change nor read anything", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-attack-" });
  await bdOk(dir, ["init", "--prefix", "v", "-q"]);
  await bdOk(dir, ["create", SECRET, "-q"]);
  const server = await startServer(dir);
  const bdOrigin = new URL(server.url).origin;
  const attacker = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(attackerPage(bdOrigin), { headers: { "content-type": "text/html" } }),
  );
  const b = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--host-resolver-rules=MAP rebound.test 127.0.0.1",
      // Newer Chromium also blocks public pages from reaching loopback (local network access);
      // other browsers do not, so bd's own checks are what this test must see.
      "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights",
    ],
  });
  const seen: string[] = [];
  try {
    const page = await b.newPage();
    page.on("response", async (r) => {
      if (r.url().startsWith(bdOrigin) && r.request().resourceType() !== "document") {
        seen.push(await r.text().catch(() => ""));
      }
    });
    await page.goto(`http://127.0.0.1:${attacker.addr.port}/`);
    await page.waitForFunction(() => (globalThis as unknown as { done?: unknown }).done, undefined, {
      timeout: 15_000,
    });
    const results = await page.evaluate(() => (globalThis as unknown as { done: Record<string, string> }).done);
    // The form's answer lands in the sink frame; give it the time it needs.
    await page.waitForTimeout(500);
    for (const [name, body] of Object.entries(results)) {
      assert.ok(!body.includes(SECRET) && !body.includes('"createIssue"'), `${name}: ${body}`);
    }
    assert.equal(results.json, "blocked", "a JSON write needs a preflight, which gets no CORS grant");
    assert.equal(results.read, "blocked", "a cross-origin read gets no CORS grant");
    const framed = page.frames().find((f) => f.url().startsWith(bdOrigin) || f.name() === "");
    const boardShown = await Promise.all(
      page.frames().filter((f) => f !== page.mainFrame()).map((f) => f.$(".column").catch(() => null)),
    );
    assert.ok(boardShown.every((el) => el === null), `the board never renders in a frame (${framed?.url()})`);
    assert.ok(seen.every((t) => !t.includes(SECRET)), "no response carried the tracker's data");

    // DNS rebinding: the attacker's page came from its own server under rebound.test; then the name
    // resolves to 127.0.0.1 (the browser's resolver rules), so its requests reach bd as same-origin.
    const rebound = await b.newPage();
    const port = new URL(server.url).port;
    const direct = await rebound.goto(`http://rebound.test:${port}/`);
    assert.equal(direct?.status(), 403, "bd's UI under a foreign name");
    await rebound.route(
      `http://rebound.test:${port}/`,
      (route) =>
        route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><p>the attacker's page</p>" }),
    );
    await rebound.goto(`http://rebound.test:${port}/`);
    const read = await rebound.evaluate(async () => {
      const r = await fetch("/graphql?query=" + encodeURIComponent("{ ready { id title } }"));
      return `${r.status} ${await r.text()}`;
    });
    assert.match(read, /^403 /);
    assert.ok(!read.includes(SECRET));
    const write = await rebound.evaluate(async () => {
      const r = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: 'mutation { createIssue(input: {title: "rebound"}) { issue { id } } }' }),
      });
      return r.status;
    });
    assert.equal(write, 403);
    await Deno.mkdir(join(ROOT, "dist", "screenshots"), { recursive: true });
    await page.screenshot({ path: join(ROOT, "dist", "screenshots", "attacker-page.png") });
  } finally {
    await b.close();
    await attacker.shutdown();
    await server.stop();
  }
  const titles = (await bdOk(dir, ["list", "--json", "--all"])).json().map((i: { title: string }) => i.title);
  assert.deepEqual(titles, [SECRET], "nothing was created");
});
