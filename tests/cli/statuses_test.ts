/**
 * Custom statuses through the CLI, as upstream bd 1.0 documents them: `bd config set status.custom
 * "name:category,..."`, `bd statuses`, and what each category does to ready, list and blocked;
 * bd doctor on statuses nothing configures; and a database from before categories, migrated.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";
import { bdIn, clones, git, gitEnv, jsonlOf } from "../git_helpers.ts";
import { SCHEMA_VERSION } from "../../src/store/migrate.ts";

const ids = (r: { json(): { id: string }[] }) => r.json().map((i) => i.id).sort();
const dbPath = async (dir: string) => (await bdOk(dir, ["info", "--json"])).json().database as string;

Deno.test("status categories: active is ready, wip is listed only, done unblocks and leaves both, frozen leaves both", async () => {
  const dir = await workspace();
  await bdOk(dir, ["config", "set", "status.custom", "in_review:active,qa_testing:wip,shipped:done,on_hold:frozen"]);
  const [review, qa, shipped, held, waiter] = [
    await createIssue(dir, "in review"),
    await createIssue(dir, "in qa"),
    await createIssue(dir, "shipped"),
    await createIssue(dir, "on hold"),
    await createIssue(dir, "waits for shipped and held"),
  ];
  for (const [id, s] of [[review, "in_review"], [qa, "qa_testing"], [shipped, "shipped"], [held, "on_hold"]]) {
    await bdOk(dir, ["update", id, "--status", s]);
  }
  await bdOk(dir, ["dep", "add", waiter, shipped]);
  await bdOk(dir, ["dep", "add", waiter, held]);
  // on_hold (frozen) still blocks the waiter; shipped (done) does not.
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [review]);
  assert.deepEqual(ids(await bdOk(dir, ["list", "--json"])), [review, qa, waiter].sort());
  const blocked = (await bdOk(dir, ["blocked", "--json"])).json();
  assert.deepEqual(blocked.map((i: { id: string; blocked_by: string[] }) => [i.id, i.blocked_by]), [[waiter, [held]]]);
  // Frozen to done: the waiter is ready, and `bd close --suggest-next`'s rule (one ready rule) agrees.
  await bdOk(dir, ["update", held, "--status", "shipped"]);
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [review, waiter].sort());
  assert.deepEqual(ids(await bdOk(dir, ["list", "--status", "all", "--json"])).length, 5);
  assert.deepEqual(ids(await bdOk(dir, ["list", "--status", "shipped", "--json"])), [shipped, held].sort());
  // In text, a custom status takes its category's icon (upstream's): done draws as closed, wip as in progress.
  assert.match((await bdOk(dir, ["list", "--status", "shipped"])).stdout, new RegExp(`^✓ ${shipped} \\[P2\\]`, "m"));
  assert.match((await bdOk(dir, ["list", "--status", "qa_testing"])).stdout, new RegExp(`^◐ ${qa} \\[● P2\\]`, "m"));
  const stats = (await bdOk(dir, ["stats", "--json"])).json();
  assert.equal(stats.ready_issues, 2);
  assert.equal(stats.blocked_issues, 0);
  // A category can change: shipped becoming wip blocks the waiter again, at once.
  await bdOk(dir, ["config", "set", "status.custom", "in_review:active,qa_testing:wip,shipped:wip,on_hold:frozen"]);
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [review]);
  const explain = (await bdOk(dir, ["ready", "--explain", "--json"])).json();
  assert.match(explain.blocked.find((i: { id: string }) => i.id === waiter).why, /blocked by/);
});

Deno.test("bd statuses lists built-in and custom statuses with icons and categories, in text and JSON", async () => {
  const dir = await workspace();
  const none = (await bdOk(dir, ["statuses"])).stdout;
  assert.match(none, /Built-in statuses:\n {2}○ open +\[active\]/);
  assert.match(none, /✓ closed +\[done {2}\]/);
  assert.match(
    none,
    /No custom statuses configured\.\nConfigure with: bd config set status.custom "name:category,\.\.\."/,
  );
  await bdOk(dir, ["config", "set", "status.custom", "in_review:active,on_hold:frozen,legacy"]);
  const json = (await bdOk(dir, ["statuses", "--json"])).json();
  assert.deepEqual(json.built_in_statuses.map((s: { name: string; category: string }) => `${s.name}:${s.category}`), [
    "open:active",
    "in_progress:wip",
    "blocked:wip",
    "deferred:frozen",
    "closed:done",
  ]);
  assert.deepEqual(json.custom_statuses, [
    { name: "in_review", category: "active", icon: "○" },
    { name: "on_hold", category: "frozen", icon: "❄" },
    { name: "legacy", category: "unspecified", icon: "◇" },
  ]);
  assert.match((await bdOk(dir, ["statuses"])).stdout, /Custom statuses:\n {2}○ in_review +\[active\]/);
  const help = (await bdOk(dir, ["statuses", "--help"])).stdout;
  assert.match(help, /done +finished, like closed: it unblocks its dependents/);
  // Where upstream's help lists it: under Views & Reports, beside types.
  const top = (await bdOk(dir, ["--help"])).stdout;
  const reports = top.slice(top.indexOf("Views & Reports:"), top.indexOf("Dependencies & Structure:"));
  assert.match(reports, /\n {2}statuses +List the statuses issues can have/);
  assert.match(reports, /\n {2}types +List the issue types/);
});

Deno.test("a bad status.custom is refused with upstream's reasons and changes nothing; update refuses unconfigured statuses", async () => {
  const dir = await workspace();
  await bdOk(dir, ["config", "set", "status.custom", "in_review:active"]);
  for (
    const [value, why] of [
      ["a:nope", /invalid category "nope" for status "a": use one of active, wip, done, frozen/],
      ["Upper", /invalid status name "Upper"/],
      ["open:wip", /"open" is a built-in status/],
    ]
  ) {
    const r = await bd(dir, ["config", "set", "status.custom", value as string, "--json"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    const err = JSON.parse(r.stderr);
    assert.equal(err.code, "VALIDATION");
    assert.match(err.error, why as RegExp);
  }
  assert.equal((await bdOk(dir, ["config", "get", "status.custom"])).stdout, "in_review:active\n");
  const id = await createIssue(dir, "x");
  const r = await bd(dir, ["update", id, "--status", "shipped", "--json"]);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stderr).error, /invalid status "shipped".*or the custom statuses in_review/);
  assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].status, "open");
});

Deno.test("bd doctor names statuses nothing configures, and the config changed behind bd's back; --fix follows the config", async () => {
  const dir = await workspace();
  const blocker = await createIssue(dir, "blocker");
  const waiter = await createIssue(dir, "waiter");
  await bdOk(dir, ["dep", "add", waiter, blocker]);
  // An adopted database's words: issues in `done` and `hooked`, which this bd does not define.
  await bdOk(dir, ["import", "-i", "-"], {
    stdin:
      JSON.stringify({ id: "test-hk", title: "hooked one", status: "hooked", created_at: "2025-01-01T00:00:00Z" }) +
      "\n",
  });
  const raw = new DatabaseSync(await dbPath(dir));
  raw.exec(`UPDATE issues SET status = 'done' WHERE id = '${blocker}'`);
  raw.close();
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [], "an unconfigured status blocks");
  const doctor = (await bd(dir, ["doctor", "--json"], { env: { HOME: dir } })).json();
  const check = doctor.checks.find((c: { name: string }) => c.name === "statuses");
  assert.equal(check.status, "warning");
  assert.match(check.message, /done \(1 issue\), hooked \(1 issue\)/);
  assert.match(check.message, /bd config set status.custom "done:done,hooked:wip"/);
  assert.match((await bdOk(dir, ["statuses"])).stdout, /In use but not configured.*\n {2}◇ done +1 issue/);
  await bdOk(dir, ["config", "set", "status.custom", "done:done,hooked:wip"]);
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [waiter]);
  // Another program rewrites the config alone: doctor says ready no longer follows it; --fix does.
  const db = new DatabaseSync(await dbPath(dir));
  db.exec("UPDATE config SET value = 'done:wip,hooked:wip' WHERE key = 'status.custom'");
  db.close();
  const drift = (await bd(dir, ["doctor", "--json"], { env: { HOME: dir } })).json();
  assert.equal(drift.checks.find((c: { name: string }) => c.name === "custom-statuses").status, "warning");
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [waiter], "until fixed, the old meaning holds");
  assert.match(
    (await bdOk(dir, ["doctor", "--fix"], { env: { HOME: dir } })).stdout,
    /fixed: ready and blocked now follow/,
  );
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), []);
  // A value with entries bd cannot read (written by another program): doctor names them.
  const raw2 = new DatabaseSync(await dbPath(dir));
  raw2.exec("UPDATE config SET value = 'done:wip,hooked:later' WHERE key = 'status.custom'");
  raw2.close();
  const bad = (await bd(dir, ["doctor", "--json"], { env: { HOME: dir } })).json();
  assert.ok(
    bad.checks.some((c: { name: string; message: string }) =>
      c.name === "custom-statuses" && /entries bd ignores: invalid category "later" for status "hooked"/.test(c.message)
    ),
    JSON.stringify(bad.checks),
  );
});

Deno.test("a database from before status categories is migrated: its status.custom takes effect and the views follow it", async () => {
  const dir = await workspace();
  const blocker = await createIssue(dir, "blocker");
  const waiter = await createIssue(dir, "waiter");
  await bdOk(dir, ["dep", "add", waiter, blocker]);
  await bdOk(dir, ["update", blocker, "--status", "closed"]);
  const path = await dbPath(dir);
  // Schema 17 had no table of custom statuses; its config held upstream's value unparsed.
  const db = new DatabaseSync(path);
  db.exec(`UPDATE issues SET status = 'merged' WHERE id = '${blocker}';
    DROP VIEW ready_issues; DROP VIEW blocked_issues; DROP VIEW blocked_issue_ids; DROP TABLE custom_statuses;
    INSERT INTO config (key, value) VALUES ('status.custom', 'merged:done,Bad Entry,review:active');
    PRAGMA user_version = 17;`);
  db.close();
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--json"])), [waiter]);
  assert.deepEqual(
    (await bdOk(dir, ["statuses", "--json"])).json().custom_statuses.map((s: { name: string }) => s.name),
    [
      "merged",
      "review",
    ],
  );
  // The setting travels from now on: the next write flushes its line.
  await bdOk(dir, ["update", waiter, "--notes", "a write"]);
  assert.match(
    Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")),
    /\{"_type":"config","key":"status.custom","value":"merged:done,Bad Entry,review:active"\}\n$/,
  );
  const after = new DatabaseSync(path);
  assert.equal(Number(after.prepare("PRAGMA user_version").get()!.user_version), SCHEMA_VERSION);
  assert.deepEqual(after.prepare("SELECT id FROM ready_issues").all().map((r) => r.id), [waiter]);
  after.close();
});

Deno.test("status.custom and types.custom travel with the issues: set, changed on two clones at once, and unset", async () => {
  const { dirs: [a, b, c] } = await clones(["a", "b", "c"]);
  const blocker = (await bdIn(a, ["create", "blocker", "--json"])).json().id;
  const waiter = (await bdIn(a, ["create", "waiter", "--json"])).json().id;
  await bdIn(a, ["dep", "add", waiter, blocker]);
  await bdIn(a, ["config", "set", "status.custom", "shipped:done"]);
  await bdIn(a, ["config", "set", "types.custom", "incident"]);
  await bdIn(a, ["update", blocker, "--status", "shipped"]);
  assert.match(jsonlOf(a), /\n\{"_type":"config","key":"status.custom","value":"shipped:done"\}\n/);
  await bdIn(a, ["sync"]);
  // b through bd sync, c through a plain git pull (the post-merge hook imports).
  await bdIn(b, ["sync"]);
  await git(c, "pull", "-q", "--no-rebase", "--no-edit");
  for (const dir of [b, c]) {
    assert.equal((await bdIn(dir, ["config", "get", "status.custom"])).stdout, "shipped:done\n", dir);
    assert.deepEqual(ids(await bdIn(dir, ["ready", "--json"])), [waiter], `${dir}: the done blocker blocks nothing`);
    await bdIn(dir, ["create", "an incident", "-t", "incident"]);
  }
  // Two clones change it before either syncs: both end with the same one value, and the rules follow it.
  await bdIn(b, ["config", "set", "status.custom", "shipped:wip"]);
  await bdIn(c, ["config", "set", "status.custom", "shipped:done,review:active"]);
  for (const dir of [b, c, b, a]) await bdIn(dir, ["sync"]);
  const values = await Promise.all(
    [a, b, c].map(async (d) => (await bdIn(d, ["config", "get", "status.custom"])).stdout),
  );
  assert.equal(new Set(values).size, 1, values.join(" | "));
  const readyEverywhere = await Promise.all([a, b, c].map(async (d) => ids(await bdIn(d, ["ready", "--json"]))));
  assert.deepEqual(readyEverywhere[1], readyEverywhere[0]);
  assert.deepEqual(readyEverywhere[2], readyEverywhere[0]);
  for (const dir of [a, b, c]) {
    const doctor = (await bd(dir, ["doctor", "--json"], { env: { ...gitEnv(dir), HOME: dir } })).json();
    assert.equal(doctor.checks.find((x: { name: string }) => x.name === "custom-statuses"), undefined, dir);
  }
  // Unset travels too: the setting's line leaves the file and every clone forgets it.
  await bdIn(a, ["config", "unset", "status.custom"]);
  await bdIn(a, ["sync"]);
  await bdIn(b, ["sync"]);
  assert.equal((await bd(b, ["config", "get", "status.custom", "--json"], { env: gitEnv(b) })).code, 1);
  assert.deepEqual(ids(await bdIn(b, ["ready", "--json"])).includes(waiter), false, "shipped blocks again");
});
