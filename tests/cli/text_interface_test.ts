// deno-lint-ignore-file no-regex-spaces -- bd's layouts align columns with runs of spaces
/**
 * bd's text interface (shared/reference/bd-text-interface.md): the success lines, layouts and
 * error words that people and scripts who know bd grep for. One test per message family.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

const err = async (dir: string, args: string[]) => {
  const r = await bd(dir, args);
  assert.notEqual(r.code, 0, `${args.join(" ")} should fail`);
  assert.equal(r.stdout, "");
  return r.stderr;
};

Deno.test("text: create, update, close, reopen and delete print bd's success lines", async () => {
  const dir = await workspace("t");
  const created = (await bdOk(dir, ["create", "Fix it", "-p", "1"])).stdout;
  const id = /✓ Created issue: (t-\w+)/.exec(created)![1];
  assert.equal(created, `✓ Created issue: ${id}\n  Title: Fix it\n  Priority: P1\n  Status: open\n`);
  assert.equal((await bdOk(dir, ["update", id, "--notes", "n"])).stdout, `✓ Updated issue: ${id}\n`);
  assert.equal((await bdOk(dir, ["close", id])).stdout, `✓ Closed ${id}: Closed\n`);
  assert.equal((await bdOk(dir, ["reopen", id, "--reason", "again"])).stdout, `↻ Reopened ${id}: again\n`);
  assert.equal((await bdOk(dir, ["delete", id, "--force"])).stdout, `✓ Deleted ${id}\n`);
});

Deno.test("text: closing an imported closed issue without a reason never prints 'undefined'", async () => {
  const dir = await workspace("zz");
  const line = JSON.stringify({
    id: "zz-070001",
    title: "imported",
    status: "closed",
    priority: 2,
    issue_type: "task",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    closed_at: "2025-01-01T00:00:00Z",
  });
  Deno.writeTextFileSync(join(dir, "in.jsonl"), line + "\n");
  await bdOk(dir, ["import", "-i", "in.jsonl"]);
  const out = (await bdOk(dir, ["close", "zz-070001"])).stdout;
  assert.equal(out, "✓ Closed zz-070001: Closed\n");
});

Deno.test("text: list, ready, blocked, stats, count and search in bd's layouts", async () => {
  const dir = await workspace("t");
  const blocker = await createIssue(dir, "Blocker", "-p", "0", "-a", "alice", "-l", "b,a");
  const waiting = await createIssue(dir, "Waiting", "-t", "bug");
  await bdOk(dir, ["dep", "add", waiting, blocker]);
  const list = (await bdOk(dir, ["list"])).stdout;
  assert.match(list, new RegExp(`^○ ${blocker} \\[● P0\\] \\[task\\] @alice \\[a b\\] - Blocker$`, "m"));
  assert.match(list, new RegExp(`^○ ${waiting} \\[● P2\\] \\[bug\\] - Waiting$`, "m"));
  assert.equal((await bdOk(dir, ["list", "--status", "closed"])).stdout, "", "an empty list prints nothing");
  const ready = (await bdOk(dir, ["ready"])).stdout;
  assert.equal(
    ready,
    `\n📋 Ready work (1 issues with no blockers):\n\n1. [● P0] [task] ${blocker}: Blocker\n   Assignee: alice\n\n`,
  );
  const blocked = (await bdOk(dir, ["blocked"])).stdout;
  assert.equal(
    blocked,
    `\n🚫 Blocked issues (1):\n\n[● P2] ${waiting}: Waiting\n  Blocked by 1 open dependencies: [${blocker}]\n\n`,
  );
  const stats = (await bdOk(dir, ["stats"])).stdout;
  assert.match(
    stats,
    /^\n📊 Issue Database Status\n\nSummary:\n  Total Issues:           2\n  Open:                   2\n/,
  );
  assert.match(stats, /  Ready to Work:          1\n/);
  assert.match(stats, /For more details, use 'bd list' to see individual issues\.\n\n$/);
  assert.equal((await bdOk(dir, ["count"])).stdout, "2\n");
  assert.equal((await bdOk(dir, ["count", "--by-type"])).stdout, "Total: 2\n\nbug: 1\ntask: 1\n");
  assert.match((await bdOk(dir, ["search", "Block"])).stdout, /^Found 1 issues matching 'Block':\n/);
  assert.equal((await bdOk(dir, ["search", "nothing-like-it"])).stdout, "No issues found matching 'nothing-like-it'\n");
  await bdOk(dir, ["close", blocker]);
  assert.equal((await bdOk(dir, ["blocked"])).stdout, "\n✨ No blocked issues\n\n");
  await bdOk(dir, ["close", waiting]);
  assert.equal((await bdOk(dir, ["ready"])).stdout, "\n✨ No open issues\n\n");
});

Deno.test("text: dep, label, comments, epic, stale and config lines", async () => {
  const dir = await workspace("t");
  const epic = await createIssue(dir, "Epic", "-t", "epic");
  const child = (await bdOk(dir, ["create", "Child", "--parent", epic, "--json"])).json().id;
  const other = await createIssue(dir, "Other");
  assert.equal(
    (await bdOk(dir, ["dep", "add", other, child])).stdout,
    `✓ Added dependency: ${other} depends on ${child} (blocks)\n`,
  );
  assert.match(
    (await bdOk(dir, ["dep", "list", other])).stdout,
    new RegExp(`^\\n📋 ${other} depends on:\\n\\n  ${child}: Child \\[P2\\] \\(open\\) via blocks\\n`),
  );
  assert.equal((await bdOk(dir, ["dep", "list", epic])).stdout, `\n${epic} has no dependencies\n`);
  assert.match(
    (await bdOk(dir, ["dep", "tree", other])).stdout,
    new RegExp(`^\\n🌲 Dependency tree for ${other}:\\n\\n${other}: Other \\[P2\\] \\(open\\)\\n`),
  );
  assert.equal((await bdOk(dir, ["dep", "cycles"])).stdout, "\n✓ No dependency cycles detected\n\n");
  assert.equal(
    (await bdOk(dir, ["dep", "remove", other, child])).stdout,
    `✓ Removed dependency: ${other} no longer depends on ${child}\n`,
  );
  assert.equal((await bdOk(dir, ["label", "add", other, "ui"])).stdout, `✓ Added label 'ui' to ${other}\n`);
  assert.equal((await bdOk(dir, ["label", "list", other])).stdout, `\n🏷 Labels for ${other}:\n  - ui\n`);
  assert.equal((await bdOk(dir, ["label", "list-all"])).stdout, "\n🏷 All labels (1 unique):\n  ui  (1 issues)\n");
  assert.equal((await bdOk(dir, ["label", "remove", other, "ui"])).stdout, `✓ Removed label 'ui' from ${other}\n`);
  assert.equal((await bdOk(dir, ["label", "list", other])).stdout, `\n${other} has no labels\n`);
  assert.equal((await bdOk(dir, ["comments", other])).stdout, `No comments on ${other}\n`);
  assert.equal((await bdOk(dir, ["comments", "add", other, "hello"])).stdout, `Comment added to ${other}\n`);
  assert.match(
    (await bdOk(dir, ["comments", other])).stdout,
    new RegExp(`^\\nComments on ${other}:\\n\\n\\[tester\\] at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\n  hello\\n\\n$`),
  );
  assert.equal(
    (await bdOk(dir, ["epic", "status"])).stdout,
    `○ ${epic} Epic\n   Progress: 0/1 children closed (0%)\n`,
  );
  await bdOk(dir, ["close", child]);
  assert.match(
    (await bdOk(dir, ["epic", "status"])).stdout,
    /Progress: 1\/1 children closed \(100%\)\n   Eligible for closure\n/,
  );
  assert.equal((await bdOk(dir, ["stale"])).stdout, "\n✨ No stale issues found (all active)\n\n");
  assert.equal((await bdOk(dir, ["config", "set", "team", "core"])).stdout, "Set team = core\n");
  assert.equal((await bdOk(dir, ["config", "get", "nope"])).stdout, "nope (not set)\n");
  assert.match((await bdOk(dir, ["config", "list"])).stdout, /^\nConfiguration:\n(  \S+ = .*\n)+$/);
  assert.equal((await bdOk(dir, ["config", "unset", "team"])).stdout, "Unset team\n");
});

Deno.test("text: -q hides notes and init's banner; success lines and errors still print", async () => {
  const dir = await Deno.makeTempDir();
  assert.equal((await bdOk(dir, ["init", "--prefix", "q", "-q"])).stdout, "");
  const id = (await bdOk(dir, ["create", "quiet one", "-q"])).stdout;
  assert.match(id, /^✓ Created issue: q-\w+\n/);
  const cut = await bdOk(dir, ["list", "--limit", "0", "-q"]);
  assert.equal(cut.stderr, "");
  await createIssue(dir, "second");
  assert.equal((await bdOk(dir, ["list", "--limit", "1", "-q"])).stderr, "", "-q hides the 'Showing N' note");
  assert.match(await err(dir, ["show", "q-nope", "-q"]), /Error: no issue found matching "q-nope"/);
});

Deno.test("text: a negative number after a flag is its value, and gets bd's validation error", async () => {
  const dir = await workspace("n");
  assert.equal(
    await err(dir, ["create", "x", "--estimate", "-5"]),
    "Error: estimate must be a non-negative number of minutes\n",
  );
  assert.equal(
    await err(dir, ["create", "x", "-p", "-1"]),
    'Error: invalid priority "-1" (expected 0-4 or P0-P4, not words like high/medium/low)\n',
  );
  assert.match(await err(dir, ["list", "--limit", "-3"]), /--limit takes a whole number/);
  for (const args of [["create", "x", "--estimate", "-5"], ["create", "x", "-p", "-1"], ["list", "--frob"]]) {
    assert.doesNotMatch(await err(dir, args), /ambiguous|To specify a positional|Option '/, "no parser internals");
  }
});

Deno.test("text: bd's words for unknown commands and flags and wrong argument counts", async () => {
  const dir = await workspace("w");
  assert.equal(
    await err(dir, ["frobnicate"]),
    `Error: unknown command "frobnicate" for "bd"\nRun 'bd --help' for usage.\n`,
  );
  assert.equal(await err(dir, ["list", "--frob"]), `Error: unknown flag: --frob\nRun 'bd list --help' for usage.\n`);
  assert.match(await err(dir, ["list", "-z"]), /^Error: unknown shorthand flag: 'z' in -z\n/);
  assert.match(await err(dir, ["create", "x", "--priority"]), /^Error: flag needs an argument: --priority\n/);
  assert.match(await err(dir, ["dep", "add", "w-1"]), /^Error: accepts 2 arg\(s\), received 1\n/);
  assert.match(await err(dir, ["label", "add", "x"]), /^Error: requires at least 2 arg\(s\), only received 1\n/);
  assert.match(
    await err(dir, ["show"]),
    /^Error: at least one issue ID is required \(use positional args, --id flag, or --current\)\n/,
  );
  assert.match(await err(dir, ["update", "-p", "1"]), /^Error: no issue ID provided and no last touched issue\n/);
  assert.match(await err(dir, ["close"]), /^Error: no issue ID provided and no last touched issue\n/);
  assert.match(await err(dir, ["delete"]), /^Error: no issue IDs provided\n/);
  assert.match(await err(dir, ["search"]), /^Error: search query is required\n/);
  assert.match(await err(dir, ["show", "w-zzz"]), /^Error: no issue found matching "w-zzz"\n/);
});

Deno.test("text: colour only on a TTY: NO_COLOR or a pipe get plain text", async () => {
  const dir = await workspace("c");
  await createIssue(dir, "plain");
  for (const env of [{ NO_COLOR: "1" }, { NO_COLOR: "" }] as Record<string, string>[]) {
    const out = (await bd(dir, ["list"], { env })).stdout;
    // deno-lint-ignore no-control-regex -- ESC is what is looked for
    assert.doesNotMatch(out, /\x1b\[/, "no ANSI escapes into a pipe");
  }
});

Deno.test("text: bidirectional controls in a title or description show escaped; JSON keeps them as stored", async () => {
  const dir = await workspace("bi");
  const title = "invoice \u202Efdp.exe";
  const id = (await bdOk(dir, ["create", title, "-d", "see \u2066here\u2069", "--json"])).json().id;
  const shown = (await bdOk(dir, ["show", id])).stdout;
  assert.ok(shown.includes("invoice \\u202efdp.exe"), shown);
  assert.ok(shown.includes("see \\u2066here\\u2069"));
  assert.doesNotMatch(shown, /[\u202a-\u202e\u2066-\u2069]/);
  assert.doesNotMatch((await bdOk(dir, ["list"])).stdout, /[\u202a-\u202e\u2066-\u2069]/);
  assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].title, title, "JSON is the stored text");
});
