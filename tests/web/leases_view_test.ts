/// <reference lib="dom" />
/**
 * Claims in the web UI (Chromium): an in-progress card and the issue page name the holder and
 * the lease (a lapsed one marked), and the footer says how the server's git rounds go.
 * Screenshot: dist/screenshots/leases.png.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { bdOk, ROOT, startServer } from "../helpers.ts";

const CHROMIUM = Deno.env.get("BD_CHROMIUM") ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "dist", "screenshots");
const id = async (dir: string, ...args: string[]) => (await bdOk(dir, ["create", ...args, "--json"])).json().id;

Deno.test("the board and the issue page show who holds a claim and its lease; a lapsed lease is marked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-leases-web-" });
  await bdOk(dir, ["init", "--prefix", "lv", "-q"]);
  const held = await id(dir, "Held for an hour");
  const lapsing = await id(dir, "Lapses at once");
  await bdOk(dir, ["update", held, "--claim", "--lease", "1h"], { env: { BD_ACTOR: "alice" } });
  await bdOk(dir, ["update", lapsing, "--claim", "--lease", "1s"], { env: { BD_ACTOR: "bob" } });
  await new Promise((r) => setTimeout(r, 1200));
  const server = await startServer(dir);
  const base = server.url.replace(/graphql$/, "");
  const b = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${base}#/board`);
    await page.waitForSelector(`.card[data-id="${held}"] .holder`);
    const heldText = await page.$eval(`.card[data-id="${held}"] .holder`, (e) => e.textContent ?? "");
    assert.match(heldText, /@alice\s*lease until \d\d:\d\d/);
    // A lapsed claim is ready for anyone again; wherever its card is, the lease says it lapsed.
    await page.goto(`${base}#/issue/${lapsing}`);
    await page.waitForSelector("#issue-h");
    const claim = await page.$eval(".claim", (e) => e.textContent ?? "");
    assert.match(claim, /Claimed by bob\s*lease lapsed \d\d:\d\d/);
    assert.equal(await page.$eval(".claim .lease", (e) => e.className), "lease lapsed");
    await page.goto(`${base}#/issue/${held}`);
    await page.waitForSelector(".claim .lease");
    await Deno.mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "leases.png") });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    await server.stop();
  }
});

Deno.test("with a named token the page acts as the token's name, even with another name remembered, and never asks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-token-web-" });
  await bdOk(dir, ["init", "--prefix", "tw", "-q"]);
  const token = (await bdOk(dir, ["token", "add", "alice"])).stdout.trim();
  const server = await startServer(dir);
  const base = server.url.replace(/graphql$/, "");
  const b = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript((t) => {
      sessionStorage.setItem("bd.token", t);
      localStorage.setItem("bd.actor", "carol"); // a name typed on an earlier visit
    }, token);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${base}#/ready`);
    await page.waitForSelector("#ready-h");
    await page.keyboard.press("c");
    await page.fill("[aria-labelledby=create-h] input[name=title]", "Made with a named token");
    await page.click("[aria-labelledby=create-h] button[type=submit]");
    await page.waitForSelector("#issue-h");
    assert.equal(await page.$("[aria-labelledby=ask-h]"), null, "no name was asked for");
    const id = decodeURIComponent(page.url().split("#/issue/")[1]);
    assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].created_by, "alice");
    assert.match(await page.$eval("footer", (e) => e.textContent ?? ""), /acting as alice/i);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    await server.stop();
  }
});
