/// <reference lib="dom" />
/**
 * Custom statuses and types in the web UI (Chromium): the issue page's pickers offer the
 * workspace's words and keep an unconfigured value truthful, a done status looks finished, and
 * the list filters by a custom status. Screenshot: dist/screenshots/custom-statuses.png.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { bdOk, ROOT, startServer } from "../helpers.ts";

const CHROMIUM = Deno.env.get("BD_CHROMIUM") ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "dist", "screenshots");
const id = async (dir: string, ...args: string[]) => (await bdOk(dir, ["create", ...args, "--json"])).json().id;

Deno.test("the issue page offers custom statuses and types, a done status looks closed, and the list filters by one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-statuses-web-" });
  await bdOk(dir, ["init", "--prefix", "sv", "-q"]);
  await bdOk(dir, ["config", "set", "status.custom", "in_review:active,shipped:done"]);
  await bdOk(dir, ["config", "set", "types.custom", "incident"]);
  const shipped = await id(dir, "Shipped already");
  await bdOk(dir, ["update", shipped, "--status", "shipped"]);
  const waiter = await id(dir, "Waits for the shipped one", "-t", "incident");
  await bdOk(dir, ["dep", "add", waiter, shipped]);
  const server = await startServer(dir);
  const base = server.url.replace(/graphql$/, "");
  const b = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => localStorage.setItem("bd.actor", "reviewer"));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${base}#/issue/${waiter}`);
    await page.waitForSelector("#issue-h");
    const options = (sel: string) =>
      page.$$eval(`${sel} option`, (els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(await options("select[aria-label=Status]"), [
      "open",
      "in_progress",
      "blocked",
      "deferred",
      "closed",
      "in_review",
      "shipped",
    ]);
    assert.ok((await options("select[aria-label=Type]")).includes("incident"));
    assert.equal(await page.$eval("select[aria-label=Type]", (e) => (e as HTMLSelectElement).value), "incident");
    assert.equal(await page.$eval(".meta .status", (e) => e.textContent), "ready", "its blocker is done");
    await page.selectOption("select[aria-label=Status]", "in_review");
    await page.waitForFunction(() => document.querySelector(".meta .status")?.textContent === "in_review");
    assert.equal((await bdOk(dir, ["show", waiter, "--json"])).json()[0].status, "in_review");
    await page.goto(`${base}#/issue/${shipped}`);
    await page.waitForSelector("#issue-h");
    assert.equal(await page.$eval(".meta .status", (e) => e.className), "status closed");
    assert.equal(await page.$eval(".meta .status", (e) => e.textContent), "shipped");
    await page.goto(`${base}#/list`);
    await page.waitForSelector("select[aria-label=Status] option[value=shipped]", { state: "attached" });
    await page.selectOption("select[aria-label=Status]", "shipped");
    await page.waitForFunction((want) => {
      const ids = [...document.querySelectorAll(".row .id")].map((e) => e.textContent);
      return ids.length === 1 && ids[0] === want;
    }, shipped);
    // The board's last column holds finished issues: closed, and in a custom done status.
    await page.goto(`${base}#/board`);
    await page.waitForSelector(`.column.closed .card >> text=${shipped}`);
    await Deno.mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "custom-statuses.png") });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    await server.stop();
  }
});
