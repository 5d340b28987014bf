/// <reference lib="dom" />
/**
 * The Triage view in Chromium: the critical path, bottlenecks with a Claim button that claims and
 * updates live, a CLI change showing up, and the critical path drawn in the Graph view.
 * Screenshots go to dist/screenshots/ (triage.png, graph-critical-path.png).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { bdOk, ROOT, startServer } from "../helpers.ts";

const CHROMIUM = Deno.env.get("BD_CHROMIUM") ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "dist", "screenshots");
const id = async (dir: string, ...args: string[]) => (await bdOk(dir, ["create", ...args, "--json"])).json().id;

Deno.test("the Triage view shows the critical path and bottlenecks, claims live, and the graph draws the path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-triage-web-" });
  await bdOk(dir, ["init", "--prefix", "tv", "-q"]);
  const hub = await id(dir, "Set up the shared schema", "-p", "1");
  const waiting = [];
  for (const t of ["API handlers", "CLI client", "Web forms"]) {
    waiting.push(await id(dir, t));
    await bdOk(dir, ["dep", "add", waiting.at(-1)!, hub]);
  }
  const release = await id(dir, "Release", "-t", "epic");
  await bdOk(dir, ["dep", "add", release, waiting[0]]);
  await id(dir, "Release notes", "--parent", release);
  await id(dir, "Unrelated chore", "-p", "3");
  const server = await startServer(dir);
  const base = server.url.replace(/graphql$/, "");
  const b = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => localStorage.setItem("bd.actor", "triager"));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${base}#/triage`);
    await page.waitForSelector("[aria-label='Critical path'] .row");
    const path = await page.$$eval("[aria-label='Critical path'] .row .id", (els) => els.map((e) => e.textContent));
    assert.equal(path[0], hub);
    assert.equal(path.length, 3, "hub → API handlers → the epic, or its child (blocked through the epic)");
    const first = page.locator("[aria-label='Bottlenecks'] .row").first();
    assert.equal(await first.locator(".id").textContent(), hub);
    assert.match(await first.locator(".unblocks").textContent() ?? "", /unblocks 5/);
    await Deno.mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "triage.png"), fullPage: true });
    await first.getByRole("button", { name: `Claim ${hub}` }).click();
    await page.waitForFunction(
      (h) => !document.querySelector(`[aria-label='Bottlenecks'] button[aria-label='Claim ${h}']`),
      hub,
    );
    const claimed = (await bdOk(dir, ["show", hub, "--json"])).json()[0];
    assert.deepEqual([claimed.status, claimed.assignee], ["in_progress", "triager"]);
    // A change from the CLI shows without a reload: closing the hub frees its three dependents.
    await bdOk(dir, ["close", hub]);
    await page.waitForFunction(
      (h) => ![...document.querySelectorAll("[aria-label='Bottlenecks'] .id")].some((e) => e.textContent === h),
      hub,
    );
    await page.goto(`${base}#/graph?critical=1`);
    await page.waitForSelector(".graph .node.critical");
    const drawn = await page.$$eval(".graph .node.critical", (els) => els.map((e) => e.getAttribute("data-id")));
    const now = (await bdOk(dir, ["triage", "--json"])).json().critical_path.map((i: { id: string }) => i.id);
    assert.deepEqual(drawn.sort(), now.slice().sort());
    assert.ok(await page.$(".graph .edge.critical"), "the path's steps are drawn");
    await page.goto(`${base}#/graph`);
    await page.waitForSelector(".graph .node");
    assert.equal(await page.locator(".graph .node.critical").count(), now.length, "highlighted among all open issues");
    await page.screenshot({ path: join(SHOTS, "graph-critical-path.png") });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    await server.stop();
  }
});
