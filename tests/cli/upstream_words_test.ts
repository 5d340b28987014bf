/** Upstream bd 1.0's everyday words, and no filter that silently answers nothing. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

Deno.test("close maps several --reason values to the IDs by position; a count that fits neither closes nothing", async () => {
  const dir = await workspace();
  const [a, b, c] = [await createIssue(dir, "a"), await createIssue(dir, "b"), await createIssue(dir, "c")];
  const closed = (await bdOk(dir, ["close", a, b, "--reason", "r1", "--reason", "r2", "--json"])).json();
  assert.deepEqual(closed.map((i: { id: string; close_reason: string }) => [i.id, i.close_reason]), [[a, "r1"], [
    b,
    "r2",
  ]]);
  const bad = await bd(dir, ["close", c, "-r", "x", "-r", "y", "--json"]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /2 --reason values for 1 issue/);
  assert.equal((await bdOk(dir, ["show", c, "--json"])).json()[0].status, "open", "nothing was closed");
  const one = await createIssue(dir, "d");
  const two = await createIssue(dir, "e");
  const both = (await bdOk(dir, ["close", one, two, "-r", "same", "--json"])).json();
  assert.deepEqual(both.map((i: { close_reason: string }) => i.close_reason), ["same", "same"]);
});

Deno.test("list --status all lists every status; an unknown status or type is a validation error naming the valid ones", async () => {
  const dir = await workspace();
  const open = await createIssue(dir, "open one");
  const done = await createIssue(dir, "closed one");
  await bdOk(dir, ["close", done]);
  const all = (await bdOk(dir, ["list", "--status", "all", "--json"])).json().map((i: { id: string }) => i.id).sort();
  assert.deepEqual(all, [open, done].sort());
  for (const args of [["list", "--status", "bogus"], ["count", "--status", "bogus"], ["ready", "-t", "bogus"]]) {
    const r = await bd(dir, [...args, "--json"]);
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /VALIDATION/);
    assert.match(
      r.stderr,
      args[1] === "-t" ? /invalid issue type \\"bogus\\".*bug, feature, task/ : /open, in_progress/,
    );
  }
  // A custom status and a status only imported data carries are valid filter values.
  await bdOk(dir, ["config", "set", "status.custom", "in_review:active,on_hold:frozen"]);
  assert.deepEqual((await bdOk(dir, ["list", "--status", "in_review", "--json"])).json(), []);
  const r = await bd(dir, ["list", "--status", "bogus"]);
  assert.match(r.stderr, /custom statuses in_review, on_hold/);
  await bdOk(dir, ["import", "-i", "-"], {
    stdin: JSON.stringify({ id: "test-imp", title: "imported", status: "hooked", created_at: "2025-01-01T00:00:00Z" }) +
      "\n",
  });
  assert.equal((await bdOk(dir, ["list", "--status", "hooked", "--json"])).json()[0].id, "test-imp");
});

Deno.test("list --tree shows issues under their parents; --flat is the plain list", async () => {
  const dir = await workspace();
  const epic = await createIssue(dir, "the epic", "-t", "epic");
  const child = await createIssue(dir, "a child", "--parent", epic);
  await createIssue(dir, "a grandchild", "--parent", child);
  await createIssue(dir, "alone");
  const tree = (await bdOk(dir, ["list", "--tree", "--sort", "id"])).stdout;
  assert.match(
    tree,
    new RegExp(`^○ ${epic} .*the epic\\n└── ○ ${child} .*a child\\n    └── ○ ${child}\\.1 .*a grandchild$`, "m"),
  );
  const flat = (await bdOk(dir, ["list", "--flat", "--sort", "id"])).stdout;
  assert.doesNotMatch(flat, /└──/);
  assert.equal(flat.trim().split("\n").length, 4);
});

Deno.test("bd triage --json answers in one call what to work on to unblock the most; ready --sort impact agrees", async () => {
  const dir = await workspace();
  const hub = await createIssue(dir, "hub", "-p", "3");
  for (const n of [1, 2, 3]) await bdOk(dir, ["dep", "add", await createIssue(dir, `waits ${n}`), hub]);
  const t = (await bdOk(dir, ["triage", "--json"])).json();
  assert.deepEqual(Object.keys(t), [
    "open",
    "ready",
    "blocked",
    "in_progress",
    "critical_path",
    "bottlenecks",
    "quick_wins",
    "stale",
    "stale_days",
    "cycles",
    "epics",
  ]);
  assert.equal(t.critical_path[0].id, hub);
  assert.equal(t.bottlenecks[0].id, hub);
  assert.equal(t.bottlenecks[0].unblocks, 3);
  assert.equal(t.quick_wins[0].id, hub);
  const ready = (await bdOk(dir, ["ready", "--sort", "impact", "--json"])).json();
  assert.equal(ready[0].id, hub);
  assert.equal(ready[0].unblocks, 3);
  assert.match((await bdOk(dir, ["triage"])).stdout, /Bottlenecks[\s\S]*3 .*hub/);
  const bad = await bd(dir, ["triage", "--limit", "x"]);
  assert.notEqual(bad.code, 0);
  assert.equal((await bdOk(dir, ["ready", "--sort", "impact", "--claim", "--json"])).json()[0].id, hub);
});

Deno.test("global words: --version / -V, -C PATH, --readonly refuses every write and keeps reads", async () => {
  const dir = await workspace();
  const id = await createIssue(dir, "readable");
  assert.match((await bdOk(dir, ["--version"])).stdout, /^bd version \d/);
  assert.equal((await bdOk(dir, ["-V", "--json"])).json().version.length > 0, true);
  const elsewhere = await Deno.makeTempDir();
  assert.equal((await bdOk(elsewhere, ["-C", dir, "show", id, "--json"])).json()[0].title, "readable");
  const missing = await bd(elsewhere, ["-C", "/no/such/dir", "list"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not a directory/);
  const before = Deno.readTextFileSync(`${dir}/.beads/issues.jsonl`);
  const agentsBefore = existsSync(`${dir}/AGENTS.md`) ? Deno.readTextFileSync(`${dir}/AGENTS.md`) : null;
  for (
    const args of [
      ["create", "nope"],
      ["update", id, "-p", "0"],
      ["close", id],
      ["note", id, "x"],
      ["sync"],
      ["config", "set", "a.b", "c"],
      ["ext", "init", "orch_"],
      ["export", "-o", "out.jsonl"],
      ["hooks", "install"],
      ["setup"],
      ["doctor", "--fix"],
    ]
  ) {
    const r = await bd(dir, ["--readonly", ...args, "--json"]);
    assert.equal(r.code, 1, args.join(" "));
    assert.match(JSON.parse(r.stderr).error, /read-only mode/);
  }
  assert.equal(Deno.readTextFileSync(`${dir}/.beads/issues.jsonl`), before, "nothing changed");
  for (const file of ["out.jsonl", ".beads/graphql.json"]) {
    assert.equal(existsSync(`${dir}/${file}`), false, `${file} was not written`);
  }
  const agentsAfter = existsSync(`${dir}/AGENTS.md`) ? Deno.readTextFileSync(`${dir}/AGENTS.md`) : null;
  assert.equal(agentsAfter, agentsBefore, "AGENTS.md untouched");
  assert.equal((await bdOk(dir, ["--readonly", "ready", "--json"])).json()[0].id, id, "reads work");
  assert.equal((await bdOk(dir, ["--readonly", "export"])).stdout.includes(id), true, "export to stdout is a read");
});

Deno.test("text words: -m, --body, --stdin, --description-file, --design-file, --append-notes and bd note", async () => {
  const dir = await workspace();
  const file = `${dir}/body.md`;
  Deno.writeTextFileSync(file, "from a file\n");
  const show = async (id: string) => (await bdOk(dir, ["show", id, "--json"])).json()[0];
  const m = await createIssue(dir, "m", "-m", "via -m");
  assert.equal((await show(m)).description, "via -m");
  assert.equal((await show(await createIssue(dir, "b", "--body", "via --body"))).description, "via --body");
  assert.equal((await show(await createIssue(dir, "f", "--description-file", file))).description, "from a file\n");
  const s = (await bdOk(dir, ["create", "s", "--stdin", "--json"], { stdin: "via stdin" })).json().id;
  assert.equal((await show(s)).description, "via stdin");
  await bdOk(dir, ["update", m, "--design-file", file]);
  assert.equal((await show(m)).design, "from a file\n");
  await bdOk(dir, ["update", m, "--notes", "first"]);
  await bdOk(dir, ["update", m, "--append-notes", "second"]);
  await bdOk(dir, ["note", m, "third"]);
  assert.equal((await show(m)).notes, "first\nsecond\nthird");
  const n = await createIssue(dir, "n", "--notes", "one", "--append-notes", "two");
  assert.equal((await show(n)).notes, "one\ntwo", "create takes --append-notes after --notes");
  const twice = await bd(dir, ["create", "x", "-m", "a", "--body", "b"]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /give the description once/);
  assert.equal((await bdOk(dir, ["view", m, "--json"])).json()[0].id, m, "view = show");
});

Deno.test("close words: done, --reason-file, --suggest-next (JSON field unblocked), --claim-next", async () => {
  const dir = await workspace();
  const blocker = await createIssue(dir, "blocker");
  const waiting = await createIssue(dir, "waiting", "-p", "0");
  await bdOk(dir, ["dep", "add", waiting, blocker]);
  const r =
    (await bdOk(dir, ["done", blocker, "--reason-file", "-", "--suggest-next", "--json"], { stdin: "shipped\n" }))
      .json();
  assert.equal(r.closed[0].close_reason, "shipped");
  assert.deepEqual(r.unblocked.map((i: { id: string }) => i.id), [waiting]);
  await bdOk(dir, ["reopen", blocker]);
  assert.match(
    (await bdOk(dir, ["close", blocker, "--suggest-next"])).stdout,
    new RegExp(`Newly unblocked:\\n  • ${waiting}`),
  );
  await bdOk(dir, ["reopen", blocker]);
  const claimed = (await bdOk(dir, ["close", blocker, "--claim-next", "--json"])).json();
  assert.equal(claimed.claimed.id, waiting);
  assert.equal(claimed.claimed.status, "in_progress");
  const both = await bd(dir, ["close", waiting, "-r", "a", "--reason-file", "-"], { stdin: "b" });
  assert.equal(both.code, 2);
});

Deno.test("list and ready words: --ready, --exclude-label, --exclude-type, --no-labels, --skip-labels, --overdue, --deferred, --include-deferred, --explain", async () => {
  const dir = await workspace();
  const ids = (r: { json(): { id: string }[] }) => r.json().map((i) => i.id).sort();
  const blocker = await createIssue(dir, "blocker", "-l", "infra");
  const waiting = await createIssue(dir, "waiting");
  await bdOk(dir, ["dep", "add", waiting, blocker]);
  const epic = await createIssue(dir, "an epic", "-t", "epic");
  const child = await createIssue(dir, "its child", "--parent", epic);
  await bdOk(dir, ["dep", "add", epic, blocker]);
  const late = await createIssue(dir, "overdue", "--due", "2020-01-01");
  const later = await createIssue(dir, "later", "--defer", "+3d");
  assert.deepEqual(ids(await bdOk(dir, ["list", "--ready", "--json"])), [blocker, late].sort());
  assert.deepEqual(
    ids(await bdOk(dir, ["list", "--exclude-label", "infra", "--exclude-type", "epic", "--json"])),
    [child, late, later, waiting].sort(),
  );
  assert.deepEqual(ids(await bdOk(dir, ["list", "--no-labels", "--json"])).includes(blocker), false);
  assert.deepEqual(ids(await bdOk(dir, ["list", "--overdue", "--json"])), [late]);
  assert.deepEqual(ids(await bdOk(dir, ["list", "--deferred", "--json"])), [later]);
  assert.deepEqual(
    (await bdOk(dir, ["list", "--skip-labels", "--json"])).json().find((i: { id: string }) => i.id === blocker).labels,
    [],
  );
  assert.equal((await bd(dir, ["list", "--skip-labels", "-l", "infra"])).code, 2);
  assert.equal((await bd(dir, ["list", "--exclude-type", "bogus"])).code, 1, "an unknown type is an error");
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--exclude-label", "infra", "--json"])), [late]);
  assert.deepEqual(ids(await bdOk(dir, ["ready", "--include-deferred", "--json"])), [blocker, late, later].sort());
  const e = (await bdOk(dir, ["ready", "--explain", "--json"])).json();
  assert.equal(e.ready.find((i: { id: string }) => i.id === blocker).why, "nothing blocks it");
  const why = Object.fromEntries(e.blocked.map((i: { id: string; why: string }) => [i.id, i.why]));
  assert.equal(why[waiting], `blocked by ${blocker}`);
  assert.equal(why[child], `blocked through its parent ${epic}`);
  assert.match(
    (await bdOk(dir, ["ready", "--explain"])).stdout,
    new RegExp(`${child}: its child — blocked through its parent ${epic}`),
  );
});

Deno.test("types: decision is built in, feat/enhancement/dec/adr are aliases, types.custom adds types, bd types lists them", async () => {
  const dir = await workspace();
  const typeOf = async (...args: string[]) => (await bdOk(dir, ["create", "t", ...args, "--json"])).json().issue_type;
  assert.equal(await typeOf("-t", "decision"), "decision");
  assert.equal(await typeOf("-t", "adr"), "decision");
  assert.equal(await typeOf("-t", "dec"), "decision");
  assert.equal(await typeOf("-t", "feat"), "feature");
  assert.equal(await typeOf("-t", "enhancement"), "feature");
  assert.equal((await bdOk(dir, ["list", "-t", "adr", "--json"])).json().length, 3, "a filter takes the aliases too");
  const refused = await bd(dir, ["create", "s", "-t", "spike", "--json"]);
  assert.equal(refused.code, 1);
  assert.match(JSON.parse(refused.stderr).error, /types\.custom/);
  await bdOk(dir, ["config", "set", "types.custom", "spike,incident"]);
  assert.equal(await typeOf("-t", "spike"), "spike");
  const listed = (await bdOk(dir, ["types", "--json"])).json();
  assert.deepEqual(listed.map((t: { name: string }) => t.name), [
    "bug",
    "feature",
    "task",
    "epic",
    "chore",
    "decision",
    "spike",
    "incident",
  ]);
  assert.equal(listed.at(-1).custom, true);
});

Deno.test("last-touched issue: update and close with no ID act on it; show --current prefers my in-progress issue", async () => {
  const dir = await workspace();
  const none = await bd(dir, ["close", "--json"]);
  assert.equal(none.code, 1);
  assert.deepEqual(
    [JSON.parse(none.stderr).code, JSON.parse(none.stderr).error],
    ["NOT_FOUND", "no issue ID provided and no last touched issue"],
  );
  const noCurrent = await bd(dir, ["show", "--current"]);
  assert.equal(
    noCurrent.stderr.trim(),
    "Error: no current issue found (no in-progress, hooked, or recently touched issues)",
  );
  const a = await createIssue(dir, "a");
  assert.equal((await bdOk(dir, ["show", "--current", "--json"])).json()[0].id, a, "the last create");
  const b = await createIssue(dir, "b");
  await bdOk(dir, ["show", a]);
  await bdOk(dir, ["update", "-p", "0"]);
  assert.equal((await bdOk(dir, ["show", a, "--json"])).json()[0].priority, 0, "update went to the last shown");
  await bdOk(dir, ["update", b, "--claim"]);
  await bdOk(dir, ["show", a]);
  assert.equal((await bdOk(dir, ["show", "--current", "--json"])).json()[0].id, b, "my in-progress issue");
  await bdOk(dir, ["show", a]);
  await bdOk(dir, ["close", "--reason", "done"]);
  assert.equal((await bdOk(dir, ["show", a, "--json"])).json()[0].status, "closed", "close took the last-touched (a)");
  assert.equal((await bdOk(dir, ["show", b, "--json"])).json()[0].status, "in_progress");
  assert.match(Deno.readTextFileSync(`${dir}/.beads/.gitignore`), /^last-touched$/m, "kept out of git");
});

Deno.test("init writes the AGENTS.md section (--skip-agents does not); --stealth keeps everything bd adds out of git", async () => {
  const git = async (dir: string, ...args: string[]) =>
    new TextDecoder().decode((await new Deno.Command("git", { args, cwd: dir, stdout: "piped" }).output()).stdout);
  const plain = await Deno.makeTempDir();
  await git(plain, "init", "-q");
  const r = (await bdOk(plain, ["init", "--prefix", "p", "--json"])).json();
  assert.equal(r.agents[0].action, "created");
  assert.match(Deno.readTextFileSync(`${plain}/AGENTS.md`), /## Issue tracking with bd/);
  const skip = await Deno.makeTempDir();
  await bdOk(skip, ["init", "--prefix", "p", "--skip-agents", "-q"]);
  assert.throws(() => Deno.statSync(`${skip}/AGENTS.md`));
  const stealth = await Deno.makeTempDir();
  await git(stealth, "init", "-q");
  const s = (await bdOk(stealth, ["init", "--prefix", "s", "--stealth", "--json"])).json();
  assert.match(s.excluded_in, /\.git\/info\/exclude$/);
  await bdOk(stealth, ["create", "hidden from git", "-q"]);
  assert.equal(await git(stealth, "status", "--porcelain", "--untracked-files=all"), "", "git sees nothing bd added");
  assert.match(Deno.readTextFileSync(`${stealth}/.git/info/exclude`), /^\/\.beads\/$/m);
  for (const f of ["AGENTS.md", ".gitattributes"]) assert.throws(() => Deno.statSync(`${stealth}/${f}`), f);
  assert.equal(s.merge_driver, null);
});

Deno.test("show words (--short, --long, --refs, --children) and bd human list/respond/dismiss/stats", async () => {
  const dir = await workspace();
  const epic = await createIssue(dir, "the epic", "-t", "epic");
  const child = await createIssue(dir, "a child", "--parent", epic);
  const waiting = await createIssue(dir, "waits on the epic");
  await bdOk(dir, ["dep", "add", waiting, epic]);
  assert.match((await bdOk(dir, ["show", epic, "--short"])).stdout, new RegExp(`^○ ${epic} .*the epic\\n$`));
  const refs = (await bdOk(dir, ["show", epic, "--refs", "--json"])).json();
  assert.deepEqual(
    refs.map((r: { id: string; dependency_type: string }) => [r.id, r.dependency_type]).sort(),
    [[child, "parent-child"], [waiting, "blocks"]].sort(),
  );
  assert.deepEqual((await bdOk(dir, ["show", epic, "--children", "--json"])).json().map((r: { id: string }) => r.id), [
    child,
  ]);
  assert.equal((await bdOk(dir, ["--readonly", "show", epic, "--refs", "--json"])).json().length, 2, "a read");
  const owned = await createIssue(dir, "owned", "--owner", "carol");
  const long = (await bdOk(dir, ["show", owned, "--long"])).stdout;
  assert.match(long, /^Owner: tester · Type: task$/m, "upstream's Owner is the creator");
  assert.match(long, /ALL OTHER FIELDS\n {2}owner: carol/, "the owner field is among the others");
  // Questions for a person.
  assert.match((await bdOk(dir, ["human"])).stdout, /bd human respond ID/);
  const q1 = await createIssue(dir, "Which auth provider?", "-l", "human");
  const q2 = await createIssue(dir, "Ship on Friday?", "-l", "human");
  assert.deepEqual(
    (await bdOk(dir, ["human", "list", "--json"])).json().map((i: { id: string }) => i.id).sort(),
    [q1, q2].sort(),
  );
  await bdOk(dir, ["human", "respond", q1, "-r", "OAuth2"]);
  const answered = (await bdOk(dir, ["show", q1, "--json"])).json()[0];
  assert.deepEqual([answered.status, answered.close_reason, answered.comments[0].text], [
    "closed",
    "Responded",
    "OAuth2",
  ]);
  await bdOk(dir, ["human", "dismiss", q2, "--reason", "not needed"]);
  assert.deepEqual((await bdOk(dir, ["human", "stats", "--json"])).json(), {
    total: 2,
    pending: 0,
    responded: 1,
    dismissed: 1,
  });
  assert.equal((await bd(dir, ["human", "respond", waiting, "-r", "x"])).code, 1, "not a question for a person");
  assert.equal((await bd(dir, ["human", "respond", q1])).code, 2, "the answer is required");
});

Deno.test("create --validate and validation.on-create apply bd lint's sections at create time", async () => {
  const dir = await workspace();
  const refused = await bd(dir, ["create", "a bug", "-t", "bug", "--validate", "--json"]);
  assert.equal(refused.code, 1);
  assert.match(JSON.parse(refused.stderr).error, /Steps to Reproduce, Acceptance Criteria.*nothing was created/);
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 0);
  await createIssue(
    dir,
    "a good bug",
    "-t",
    "bug",
    "--validate",
    "-d",
    "## Steps to Reproduce\n1. run\n\nAcceptance Criteria: fixed",
  );
  await bdOk(dir, ["config", "set", "validation.on-create", "warn"]);
  const warned = await bdOk(dir, ["create", "an epic", "-t", "epic"]);
  assert.match(warned.stderr, /Warning: .* lacks Success Criteria/);
  await bdOk(dir, ["config", "set", "validation.on-create", "error"]);
  assert.equal((await bd(dir, ["create", "another epic", "-t", "epic"])).code, 1);
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 2);
});

Deno.test('update --parent moves an issue under another parent (its ID stays); "" removes the edge; a cycle is refused', async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "epic a", "-t", "epic");
  const b = await createIssue(dir, "epic b", "-t", "epic");
  const child = await createIssue(dir, "child", "--parent", a);
  const parentOf = async (id: string) => (await bdOk(dir, ["show", id, "--json"])).json()[0].parent;
  await bdOk(dir, ["update", child, "--parent", b]);
  assert.equal(await parentOf(child), b);
  assert.deepEqual((await bdOk(dir, ["show", b, "--children", "--json"])).json().map((i: { id: string }) => i.id), [
    child,
  ]);
  assert.equal((await bdOk(dir, ["show", child, "--json"])).json()[0].id, child, "the ID did not change");
  await bdOk(dir, ["update", child, "--parent", ""]);
  assert.equal(await parentOf(child), a, "with no edge left, the parent is the one its ID names");
  const loose = await createIssue(dir, "loose");
  await bdOk(dir, ["update", loose, "--parent", a]);
  await bdOk(dir, ["update", loose, "--parent", ""]);
  assert.equal(await parentOf(loose), undefined, "an ID that names no parent has none without its edge");
  await bdOk(dir, ["update", b, "--parent", a]);
  const cycle = await bd(dir, ["update", a, "--parent", b, "--json"]);
  assert.equal(cycle.code, 1);
  assert.equal(JSON.parse(cycle.stderr).code, "CYCLE");
  assert.equal(await parentOf(a), undefined, "nothing changed");
});

Deno.test("--readonly reads a workspace whose issues.jsonl changed without importing it (no write, no error)", async () => {
  const dir = await workspace();
  const id = await createIssue(dir, "as the database has it");
  const path = `${dir}/.beads/issues.jsonl`;
  const line = JSON.parse(Deno.readTextFileSync(path).trim());
  Deno.writeTextFileSync(
    path,
    JSON.stringify({ ...line, title: "as the file has it", updated_at: "2099-01-01T00:00:00Z" }) + "\n",
  );
  const before = Deno.statSync(`${dir}/.beads/test.db`).mtime?.getTime();
  const r = await bdOk(dir, ["--readonly", "show", id, "--json"]);
  assert.equal(r.json()[0].title, "as the database has it");
  assert.equal(Deno.statSync(`${dir}/.beads/test.db`).mtime?.getTime(), before, "the database was not written");
  assert.equal(
    (await bdOk(dir, ["show", id, "--json"])).json()[0].title,
    "as the file has it",
    "a normal run imports it",
  );
});
