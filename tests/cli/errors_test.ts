import assert from "node:assert/strict";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

/** Runs a failing command and checks the contract: exit code, empty stdout, error on stderr. */
async function fails(dir: string, args: string[], code: string, exit = 1, message?: RegExp) {
  const human = await bd(dir, args);
  assert.equal(human.code, exit, `${args.join(" ")}: ${human.stderr}`);
  assert.equal(human.stdout, "", `stdout stays empty for ${args.join(" ")}`);
  assert.match(human.stderr, /^Error: /);
  if (message) assert.match(human.stderr, message);
  const json = await bd(dir, [...args, "--json"]);
  assert.equal(json.code, exit);
  assert.equal(json.stdout, "");
  const err = JSON.parse(json.stderr.trim().split("\n").pop()!);
  assert.equal(err.code, code, json.stderr);
  assert.equal(typeof err.error, "string", "upstream's shape: .error is the message");
  assert.equal(err.schema_version, 1);
  if (message) assert.match(err.error, message);
}

Deno.test("bad input gets the contract's codes, exit status and an empty stdout", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "A");
  const b = await createIssue(dir, "B");
  await bdOk(dir, ["dep", "add", a, b]);
  const before = await Deno.readTextFile(`${dir}/.beads/issues.jsonl`);
  await fails(dir, ["show", "zzzz"], "NOT_FOUND", 1, /no issue found matching "zzzz"/);
  await fails(dir, ["show", "test"], "AMBIGUOUS_ID", 1, /ambiguous ID "test" matches/);
  await fails(dir, ["create", "x", "-p", "7"], "VALIDATION", 1, /0-4 or P0-P4/);
  await fails(dir, ["create", "x", "-t", "story"], "VALIDATION", 1, /bug, feature, task, epic, chore, decision/);
  await fails(dir, ["update", a, "--status", "doing"], "VALIDATION", 1, /open, in_progress, blocked, deferred, closed/);
  await fails(dir, ["create", ""], "VALIDATION", 1, /title/);
  await fails(dir, ["create", "x".repeat(501)], "VALIDATION", 1, /too long/);
  await fails(dir, ["dep", "add", b, a], "CYCLE", 1, /cannot add dependency: would create a cycle/);
  await fails(dir, ["dep", "add", a, a], "VALIDATION", 1, /itself/);
  await fails(dir, ["list", "--frobnicate"], "USAGE", 2, /frobnicate/);
  await fails(dir, ["create"], "USAGE", 2, /title required/);
  await fails(
    dir,
    ["show", "--current", "--actor", "nobody", "--db", `${dir}/other.db`],
    "NOT_FOUND",
    1,
    /no current issue found/,
  );
  await fails(dir, ["nosuchcommand"], "USAGE", 2, /unknown command "nosuchcommand"/);
  await fails(dir, ["dep"], "USAGE", 2, /needs a subcommand/);
  await fails(dir, ["list", "--limit", "many"], "USAGE", 2, /whole number/);
  await fails(dir, ["reopen", a], "VALIDATION", 1, /not closed/);
  // Nothing was written by any of the failures.
  assert.equal(await Deno.readTextFile(`${dir}/.beads/issues.jsonl`), before);
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 2);
});

Deno.test("a command outside any workspace says to run bd init and creates nothing", async () => {
  const dir = await Deno.makeTempDir();
  const home = await Deno.makeTempDir();
  const r = await bd(dir, ["list", "--json"], { env: { HOME: home } });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const err = JSON.parse(r.stderr.trim());
  assert.equal(err.code, "NOT_FOUND");
  assert.match(err.error, /bd init/);
  assert.equal(err.hint, "bd init");
  assert.deepEqual([...Deno.readDirSync(dir)], []);
  assert.ok(![...Deno.readDirSync(home)].some((e) => e.name === ".beads"), "nothing created in HOME");
});

Deno.test("an unreadable database file is a clear error, not a crash", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/.beads`);
  await Deno.writeTextFile(`${dir}/.beads/x.db`, "this is not sqlite ".repeat(100));
  const r = await bd(dir, ["list"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: .*(not a database|x\.db)/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/); // no stack trace
});

Deno.test("a database locked beyond the busy timeout reports DB_LOCKED", async () => {
  const dir = await workspace();
  const { DatabaseSync } = await import("node:sqlite");
  const holder = new DatabaseSync(`${dir}/.beads/test.db`);
  holder.exec("BEGIN EXCLUSIVE");
  try {
    // Lower the timeout through the environment for this test only.
    const r = await bd(dir, ["create", "blocked write", "--json"], { env: { BD_BUSY_TIMEOUT_MS: "300" } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(JSON.parse(r.stderr.trim()).code, "DB_LOCKED");
  } finally {
    holder.exec("ROLLBACK");
    holder.close();
  }
});
