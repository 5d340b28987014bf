/**
 * Upstream bd 1.0.5's remaining words (its CLI reference and text interface): import FILE, comments
 * add --author, show --id and its errors, show's metadata lines, prime --full, and
 * .beads/.gitignore's *.db-journal.
 */
import assert from "node:assert/strict";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

type Obj = Record<string, unknown>;

Deno.test("bd import FILE reads the file named by position, as -i does; both at once must agree", async () => {
  const from = await workspace("src");
  await createIssue(from, "carried over");
  const file = `${from}/out.jsonl`;
  Deno.writeTextFileSync(file, (await bdOk(from, ["export"])).stdout);
  const dir = await workspace("src");
  const r = (await bdOk(dir, ["import", file, "--json"])).json();
  assert.equal(r.created, 1);
  assert.deepEqual((await bdOk(dir, ["list", "--json"])).json().map((i: Obj) => i.title), ["carried over"]);
  assert.equal((await bdOk(dir, ["import", "-i", file, "--json"])).json().unchanged, 1, "-i still works");
  const both = await bd(dir, ["import", file, "-i", `${from}/other.jsonl`]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give the file once/);
});

Deno.test("comments add --author/-a records that author; the event keeps the actor", async () => {
  const dir = await workspace();
  const id = await createIssue(dir, "x");
  await bdOk(dir, ["comments", "add", id, "from the meeting", "--author", "Dana"]);
  await bdOk(dir, ["comments", "add", id, "short flag", "-a", "Eve"]);
  await bdOk(dir, ["comments", "add", id, "mine"]);
  const comments = (await bdOk(dir, ["comments", id, "--json"])).json() as Obj[];
  assert.deepEqual(comments.map((c) => [c.author, c.text]), [["Dana", "from the meeting"], ["Eve", "short flag"], [
    "tester",
    "mine",
  ]]);
  const empty = await bd(dir, ["comments", "add", id, "x", "--author", "  ", "--json"]);
  assert.equal(JSON.parse(empty.stderr).code, "VALIDATION");
});

Deno.test("show --id (repeatable, for IDs that look like flags); no ID is upstream's error; update, close and delete use upstream's words", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "a");
  const b = await createIssue(dir, "b");
  const shown = (await bdOk(dir, ["show", "--id", a, "--id", b, "--json"])).json().map((i: Obj) => i.id);
  assert.deepEqual(shown, [a, b]);
  assert.deepEqual((await bdOk(dir, ["show", a, "--id", b, "--json"])).json().map((i: Obj) => i.id), [a, b]);
  const none = await bd(dir, ["show", "--json"]);
  assert.equal(none.code, 2);
  assert.equal(
    JSON.parse(none.stderr).error,
    "at least one issue ID is required (use positional args, --id flag, or --current)",
  );
  const mixed = await bd(dir, ["show", a, "--current"]);
  assert.match(mixed.stderr, /--current cannot be combined with explicit issue IDs/);
  const fresh = await workspace();
  for (const args of [["update", "-p", "1"], ["close"]]) {
    const r = await bd(fresh, args);
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(r.stderr, "Error: no issue ID provided and no last touched issue\n");
  }
  const del = await bd(fresh, ["delete", "--json"]);
  assert.equal(JSON.parse(del.stderr).error.split("\n")[0], "no issue IDs provided");
});

Deno.test("show's metadata lines are upstream's: Owner (the creator) · Assignee · Type, then Created · Started · Updated · Due · Deferred", async () => {
  const dir = await workspace();
  const id = await createIssue(dir, "dated", "--due", "2031-05-06", "--defer", "2030-02-03", "-a", "bob");
  const plain = (await bdOk(dir, ["show", id])).stdout.split("\n");
  assert.equal(plain[1], "Owner: tester · Assignee: bob · Type: task");
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(plain[2], `Created: ${today} · Updated: ${today} · Due: 2031-05-06 · Deferred: 2030-02-03`);
  await bdOk(dir, ["update", id, "--status", "in_progress"]);
  const started = (await bdOk(dir, ["show", id])).stdout.split("\n");
  assert.equal(started[1], "Owner: tester · Assignee: bob · Type: task");
  assert.equal(
    started[2],
    `Created: ${today} · Started: ${today} · Updated: ${today} · Due: 2031-05-06 · Deferred: 2030-02-03`,
  );
});

Deno.test("prime stays under 2 KB; prime --full covers quality, hygiene, structure and conventions, in commands bd has", async () => {
  const dir = await workspace();
  const short = (await bdOk(dir, ["prime"])).stdout;
  assert.ok(new TextEncoder().encode(short).length < 2048, `bd prime is ${short.length} bytes`);
  const full = (await bdOk(dir, ["prime", "--full"])).stdout;
  assert.ok(full.startsWith(short.trimEnd()), "the full primer begins with the short one");
  for (const section of ["## Quality", "## Lifecycle and hygiene", "## Structured work", "## Conventions"]) {
    assert.ok(full.includes(section), section);
  }
  for (
    const word of [
      "bd lint",
      "bd human",
      "bd defer",
      "bd supersede",
      "bd stale",
      "bd orphans",
      "bd epic status",
      "bd children",
      "bd triage",
    ]
  ) {
    assert.ok(full.includes(word), word);
  }
  // Every command the primer names exists: its --help answers.
  const named = new Set([...full.matchAll(/`bd ([a-z-]+)(?: ([a-z-]+))?/g)].map((m) => [m[1], m[2]].filter(Boolean)));
  const tried = new Set<string>();
  for (const words of named) {
    const sub = await bd(dir, [...words, "--help"]);
    const cmd = sub.code === 0 ? words : words.slice(0, 1);
    if (tried.has(cmd.join(" "))) continue;
    tried.add(cmd.join(" "));
    const r = sub.code === 0 ? sub : await bd(dir, [...cmd, "--help"]);
    assert.equal(r.code, 0, `bd ${cmd.join(" ")} --help: ${r.stderr}`);
  }
  assert.ok(tried.size > 20, `checked ${tried.size} commands`);
});

Deno.test(".beads/.gitignore lists *.db-journal; bd doctor names an older file's gap and --fix adds it", async () => {
  const dir = await workspace();
  const path = `${dir}/.beads/.gitignore`;
  assert.match(Deno.readTextFileSync(path), /^\*\.db-journal$/m);
  Deno.writeTextFileSync(path, "# an older bd's\n*.db\n*.db-wal\n*.db-shm\nlast-touched\n");
  const checks = (await bd(dir, ["doctor", "--json"])).json().checks as Obj[];
  const check = checks.find((c) => c.name === "gitignore")!;
  assert.equal(check.status, "warning");
  assert.match(String(check.message), /\*\.db-journal/);
  await bd(dir, ["doctor", "--fix"]);
  const text = Deno.readTextFileSync(path);
  assert.ok(text.startsWith("# an older bd's\n*.db\n"), "what was there stays");
  assert.match(text, /^\*\.db-journal$/m);
  const after = (await bd(dir, ["doctor", "--json"])).json().checks.find((c: Obj) => c.name === "gitignore");
  assert.equal(after.status, "ok");
});
