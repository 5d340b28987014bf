/// <reference lib="dom" />
/**
 * The web UI in a real Chromium (Debian's, driven by playwright-core): every view at 10k issues,
 * writes from the page, live updates from the CLI, the board, the graph, GraphiQL offline, the
 * token, the demo. No request may leave the server's origin. Screenshots go to dist/screenshots/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { bdOk, ROOT, type Server, startServer } from "../helpers.ts";
import { generate } from "../../scripts/gen_data.ts";

const CHROMIUM = Deno.env.get("BD_CHROMIUM") ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "dist", "screenshots");

async function browser(): Promise<Browser> {
  try {
    Deno.statSync(CHROMIUM);
  } catch {
    throw new Error(`no Chromium at ${CHROMIUM}: ./scripts/test installs it (or set BD_CHROMIUM)`);
  }
  return await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** A page on the server that records console errors and every request that leaves its origin. */
async function open(b: Browser, server: Server, opts: { width?: number; actor?: string } = {}) {
  const base = server.url.replace(/graphql$/, "");
  const origin = base.replace(/\/$/, "");
  const page = await b.newPage({ viewport: { width: opts.width ?? 1280, height: 900 } });
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith(`blob:${origin}`) && !u.startsWith("data:")) foreign.push(u);
  });
  lastPage = page;
  if (opts.actor) await page.addInitScript((a: string) => localStorage.setItem("bd.actor", a), opts.actor);
  return { page, base, errors, foreign };
}

async function workspace10k(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bd-web-" });
  await Deno.mkdir(join(dir, ".beads"));
  Deno.writeTextFileSync(join(dir, ".beads", "issues.jsonl"), generate(10_000, 3, "w").join("\n") + "\n");
  await bdOk(dir, ["init", "--prefix", "w", "-q"]);
  return dir;
}

let lastPage: Page | undefined;

/** Runs a test body; on failure leaves a screenshot of the page in dist/screenshots/failed-*.png. */
async function capture(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (lastPage) await shot(lastPage, `failed-${name}`).catch(() => {});
    throw e;
  }
}

const shot = async (page: Page, name: string) => {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
};

Deno.test("every view renders at 10k issues without console errors or foreign requests; the board in under a second", async () => {
  const dir = await workspace10k();
  const server = await startServer(dir);
  const b = await browser();
  try {
    await capture("t1", async () => {
      const { page, base, errors, foreign } = await open(b, server);
      const started = Date.now();
      await page.goto(`${base}#/board`);
      await page.waitForSelector(".column.ready .card");
      await page.waitForSelector(".column.closed .card");
      const boardMs = Date.now() - started;
      assert.ok(boardMs < 1000, `the board's first render took ${boardMs} ms`);
      await shot(page, "board");
      const epic = (await bdOk(dir, ["list", "--type", "epic", "--json", "--limit", "1"])).json()[0].id;
      const views: [string, string][] = [
        ["ready", ".rows .row"],
        ["list", ".rows .row"],
        [`issue/${epic}`, "#issue-h"],
        ["epics", ".rows .row progress"],
        [`graph?id=${epic}`, "svg.graph g.node"],
        ["graph", "svg.graph g.node"],
        ["ext", "#ext-h"],
      ];
      for (const [view, ready] of views) {
        await page.goto(`${base}#/${view}`);
        if (view === "graph") {
          // Straight from the epic's graph: its drawing must not stand under the overview's heading.
          assert.doesNotMatch(
            await page.evaluate(() => document.querySelector(".notice")?.textContent ?? ""),
            /^\d{1,3} /,
          );
        }
        await page.waitForSelector(ready, { timeout: 10_000 });
        if (view === "graph") await page.waitForSelector(".notice");
        await shot(page, view.replace(/[/?=]/g, "_"));
      }
      assert.match(await page.textContent("main") ?? "", /No extension tables|rows/);
      await page.goto(`${base}#/graph`);
      await page.waitForSelector(".notice");
      assert.match(await page.textContent(".notice") ?? "", /\d{4,} issues: showing the first 300/);
      // 300 issues open at a readable size (not shrunk to fit), and the zoom buttons work.
      const nodeHeight = () =>
        page.evaluate(() => document.querySelector("svg.graph g.node rect")!.getBoundingClientRect().height);
      await page.waitForFunction(() => document.querySelector(".zoom .scale")?.textContent === "100%");
      assert.ok(Math.abs(await nodeHeight() - 46) < 1, "full size: a node is 46 px tall");
      await page.click("text=Fit");
      assert.ok(await nodeHeight() < 23, "Fit shows the whole graph");
      await page.click("button[aria-label='Zoom in']");
      await page.click("button[aria-label='Actual size']");
      assert.ok(Math.abs(await nodeHeight() - 46) < 1);
      await shot(page, "graph_overview");
      // Paging through the cursor connection, and a filter.
      await page.goto(`${base}#/list`);
      await page.waitForSelector(".rows .row");
      const first = await page.textContent(".rows .row .id");
      await page.click("text=Next →");
      await page.waitForFunction((f) => document.querySelector(".rows .row .id")?.textContent !== f, first);
      await page.selectOption("select[aria-label=Type]", "bug");
      await page.waitForFunction(() =>
        [...document.querySelectorAll(".rows .row .type")].every((t) => t.textContent === "bug")
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(foreign, []);
    });
  } finally {
    await b.close();
    await server.stop();
  }
});

Deno.test("create and edit from the page; bd show --json agrees; a CLI write appears in the open page; GraphiQL offline", async () => {
  const dir = await Deno.makeTempDir();
  await bdOk(dir, ["init", "--prefix", "p", "-q"]);
  const server = await startServer(dir);
  const b = await browser();
  try {
    await capture("t2", async () => {
      const { page, base, errors, foreign } = await open(b, server);
      await page.goto(`${base}#/ready`);
      await page.waitForSelector("#ready-h");
      await page.keyboard.press("c");
      await page.fill("[aria-labelledby=create-h] input[name=title]", "Made in the browser");
      await page.selectOption("[aria-labelledby=create-h] select[name=priority]", "1");
      await page.click("[aria-labelledby=create-h] button[type=submit]");
      // The first write asks who is acting, once.
      await page.fill("[aria-labelledby=ask-h] input[name=answer]", "web-user");
      await page.click("[aria-labelledby=ask-h] button[type=submit]");
      await page.waitForSelector("#issue-h");
      const id = decodeURIComponent(page.url().split("#/issue/")[1]);
      let shown = (await bdOk(dir, ["show", id, "--json"])).json()[0];
      assert.equal(shown.title, "Made in the browser");
      assert.equal(shown.priority, 1);
      assert.equal(shown.created_by, "web-user");
      await page.click("button[aria-label='Edit Title']");
      await page.fill("input[aria-label=Title]", "Edited in the browser");
      await page.keyboard.press("Enter");
      await page.fill("input[aria-label='New label']", "web");
      await page.click("section[aria-labelledby=labels-h] button[type=submit]");
      await page.fill("textarea[aria-label='New comment']", "a comment from the page");
      await page.click("section[aria-labelledby=comments-h] button[type=submit]");
      await page.waitForSelector(".comment");
      shown = (await bdOk(dir, ["show", id, "--json"])).json()[0];
      assert.equal(shown.title, "Edited in the browser");
      assert.deepEqual(shown.labels, ["web"]);
      assert.equal(shown.comments[0].text, "a comment from the page");
      assert.equal(shown.comments[0].author, "web-user");
      // Another process writes: the open page shows it without a reload.
      await page.waitForSelector(".live.live");
      const t = Date.now();
      await bdOk(dir, ["update", id, "--title", "Changed by the CLI"]);
      await page.waitForSelector("text=Changed by the CLI", { timeout: 3000 });
      assert.ok(Date.now() - t < 2000, `the CLI's write showed after ${Date.now() - t} ms`);
      // Keys: / searches (on the list), j/k move the selection.
      await page.keyboard.press("/");
      await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Search titles");
      // GraphiQL, from this process only.
      await page.goto(`${base}graphql`);
      await page.waitForSelector(".graphiql-container");
      await page.click(".graphiql-query-editor");
      await page.keyboard.press("Control+A");
      await page.keyboard.type("{ stats { totalIssues readyIssues"); // the editor closes the braces
      await page.keyboard.press("Escape"); // close the suggestions
      await page.keyboard.press("Control+Enter"); // run
      await page.waitForFunction(() =>
        /"totalIssues":\s*1/.test(document.querySelector(".graphiql-response")?.textContent ?? "")
      );
      await shot(page, "graphiql");
      assert.deepEqual(errors, []);
      assert.deepEqual(foreign, []);
    });
  } finally {
    await b.close();
    await server.stop();
  }
});

Deno.test("the board moves a card with the keyboard; the graph draws an epic's issues; the page reconnects after a restart", async () => {
  const dir = await Deno.makeTempDir();
  await bdOk(dir, ["init", "--prefix", "g", "-q"]);
  const epic = (await bdOk(dir, ["create", "Epic", "-t", "epic", "--json"])).json().id;
  const kids: string[] = [];
  for (const t of ["one", "two", "three"]) {
    kids.push((await bdOk(dir, ["create", t, "--parent", epic, "--json"])).json().id);
  }
  await bdOk(dir, ["dep", "add", kids[1], kids[0]]);
  const lone = (await bdOk(dir, ["create", "lone", "--json"])).json().id;
  let server = await startServer(dir);
  const port = new URL(server.url).port;
  const b = await browser();
  try {
    await capture("t3", async () => {
      const { page, base, errors } = await open(b, server, { actor: "mover" });
      await page.goto(`${base}#/board`);
      const card = `.column.ready .card[data-id="${lone}"]`;
      await page.waitForSelector(card);
      await page.focus(card);
      await page.keyboard.press("ArrowRight"); // Ready -> Blocked
      await page.waitForSelector(`.column.blocked .card[data-id="${lone}"]`);
      await page.focus(`.column.blocked .card[data-id="${lone}"]`);
      await page.keyboard.press("ArrowRight"); // Blocked -> In progress
      await page.waitForSelector(`.column.progress .card[data-id="${lone}"]`);
      assert.equal((await bdOk(dir, ["show", lone, "--json"])).json()[0].status, "in_progress");
      await page.goto(`${base}#/graph?id=${epic}`);
      await page.waitForSelector("svg.graph g.node");
      const nodes = await page.$$eval("svg.graph g.node", (els) => els.map((e) => e.getAttribute("data-id")).sort());
      assert.deepEqual(nodes, [epic, ...kids].sort());
      assert.equal(await page.$$eval("svg.graph path.edge.blocks", (els) => els.length), 1);
      await page.click(`svg.graph g.node[data-id="${kids[1]}"]`);
      await page.waitForSelector("#issue-h");
      // The server goes away and comes back: the page reconnects and follows changes again.
      await page.waitForSelector(".live.live");
      await server.stop();
      await page.waitForSelector(".live.offline", { timeout: 5000 });
      server = await startServer(dir, ["--port", port]);
      await page.waitForSelector(".live.live", { timeout: 10_000 });
      await bdOk(dir, ["update", kids[1], "--title", "after the restart"]);
      await page.waitForSelector("text=after the restart", { timeout: 3000 });
      assert.deepEqual(
        errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|network error/i.test(e)),
        [],
      );
    });
  } finally {
    await b.close();
    await server.stop();
  }
});

Deno.test("the demo shows extension rows; a token is asked once and never put in a URL; usable at 390 px", async () => {
  const token = "s3cret-token-value";
  const demo = await startServer(await Deno.makeTempDir(), ["--demo", "--token", token]);
  const b = await browser();
  try {
    await capture("t4", async () => {
      const { page, base, errors, foreign } = await open(b, demo, { actor: "viewer", width: 390 });
      await page.goto(`${base}#/ready`);
      await page.fill("[aria-labelledby=ask-h] input[name=answer]", token);
      await page.click("[aria-labelledby=ask-h] button[type=submit]");
      await page.waitForSelector(".rows .row");
      assert.ok(
        await page.evaluate(() => document.scrollingElement!.scrollWidth <= globalThis.innerWidth + 1),
        "no horizontal scrolling at 390 px",
      );
      await shot(page, "ready-390px");
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}#/ext/myappExecutions`);
      await page.waitForSelector("table td a");
      assert.match(await page.textContent("main") ?? "", /myappExecutions/);
      await shot(page, "extensions");
      // The issue with a running execution shows it, with its checkpoints.
      const link = await page.$$eval(
        "table a",
        (as) => as.map((a) => a.getAttribute("href")!).find((h) => h.includes("issue")),
      );
      await page.goto(`${base}${link}`);
      await page.waitForSelector("section.ext table");
      assert.match(await page.textContent("section.ext") ?? "", /checkpoints|stepName/);
      await shot(page, "issue-with-extension-rows");
      assert.deepEqual(foreign, []);
      const urls: string[] = [];
      page.on("request", (r) => urls.push(r.url()));
      await page.goto(`${base}#/board`);
      await page.waitForSelector(".card");
      assert.ok(urls.every((u) => !u.includes(token)), "the token never goes into a URL");
      assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    });
  } finally {
    await b.close();
    await demo.stop();
  }
});
