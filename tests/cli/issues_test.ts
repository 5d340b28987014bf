// deno-lint-ignore-file no-regex-spaces -- bd's layouts align columns with runs of spaces
import assert from "node:assert/strict";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

const KEY_ORDER = [
  "id",
  "title",
  "description",
  "status",
  "priority",
  "issue_type",
  "assignee",
  "created_at",
  "created_by",
  "updated_at",
];

Deno.test("create prints one issue object with contract keys in order; human output keeps bd's wording", async () => {
  const dir = await workspace();
  const r = await bdOk(dir, ["create", "Fix login", "-d", "Details", "-p", "P1", "-t", "bug", "-a", "alice", "--json"]);
  const issue = r.json();
  assert.deepEqual(Object.keys(issue), KEY_ORDER);
  assert.match(issue.id, /^test-[0-9a-z]{3}$/);
  assert.equal(issue.priority, 1);
  assert.equal(issue.created_by, "tester");
  assert.match(issue.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(r.stderr, "");
  const human = await bdOk(dir, ["create", "Second", "-p", "0"]);
  assert.match(human.stdout, /^✓ Created issue: test-[0-9a-z]{3}\n {2}Title: Second\n {2}Priority: P0\n/);
  const silent = await bdOk(dir, ["create", "Third", "--silent"]);
  assert.match(silent.stdout, /^test-[0-9a-z]{3}\n$/);
});

Deno.test("create takes every field flag, labels, parent, deps and explicit IDs", async () => {
  const dir = await workspace();
  const blocker = await createIssue(dir, "blocker");
  const epic = await createIssue(dir, "epic", "-t", "epic");
  const r = await bdOk(dir, [
    "create",
    "--title",
    "Full",
    "--design",
    "D",
    "--acceptance",
    "A",
    "--notes",
    "N",
    "--external-ref",
    "gh-9",
    "--estimate",
    "90",
    "--due",
    "2030-01-02",
    "--defer",
    "2020-01-01",
    "-l",
    "b,a",
    "-l",
    "c",
    "--owner",
    "olga",
    "--parent",
    epic,
    "--deps",
    `blocks:${blocker}`,
    "--json",
  ]);
  const i = r.json();
  assert.equal(i.id, `${epic}.1`);
  assert.deepEqual(i.labels, ["a", "b", "c"]);
  assert.equal(i.design, "D");
  assert.equal(i.acceptance_criteria, "A");
  assert.equal(i.estimated_minutes, 90);
  assert.equal(i.due_at, "2030-01-02T00:00:00.000Z");
  assert.equal(i.owner, "olga");
  const [shown] = (await bdOk(dir, ["show", i.id, "--json"])).json();
  assert.equal(shown.parent, epic);
  assert.deepEqual(
    shown.dependencies.map((d: { id: string; dependency_type: string }) => [d.id, d.dependency_type]).sort(),
    [
      [blocker, "blocks"],
      [epic, "parent-child"],
    ].sort(),
  );
  const explicit = await bdOk(dir, ["create", "Mine", "--id", "test-custom", "--json"]);
  assert.equal(explicit.json().id, "test-custom");
  const dup = await bd(dir, ["create", "Again", "--id", "test-custom", "--json"]);
  assert.equal(dup.code, 1);
  assert.equal(JSON.parse(dup.stderr).code, "CONFLICT");
  const wrongPrefix = await bd(dir, ["create", "X", "--id", "other-1"]);
  assert.equal(wrongPrefix.code, 1);
  assert.match(wrongPrefix.stderr, /^Error: .*prefix "test-"/);
  const alias = await bdOk(dir, ["new", "via alias", "--json"]);
  assert.equal(alias.json().title, "via alias");
});

Deno.test("show prints an array even for one ID, with labels, dependencies, dependents and comments", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "A", "-l", "x");
  const b = await createIssue(dir, "B");
  await bdOk(dir, ["dep", "add", a, b]);
  await bdOk(dir, ["comments", "add", a, "first note"]);
  const one = (await bdOk(dir, ["show", a, "--json"])).json();
  assert.ok(Array.isArray(one));
  assert.equal(one.length, 1);
  assert.deepEqual(one[0].labels, ["x"]);
  assert.equal(one[0].dependencies[0].id, b);
  assert.equal(one[0].dependencies[0].dependency_type, "blocks");
  assert.equal(one[0].comments[0].text, "first note");
  const both = (await bdOk(dir, ["show", a, b, "--json"])).json();
  assert.equal(both[1].dependents[0].id, a);
  const human = await bdOk(dir, ["show", a]);
  // bd's layout: icon, ID, title, [● priority · STATUS]; then sections without counts.
  assert.match(
    human.stdout,
    new RegExp(
      `^○ ${a} · A   \\[● P2 · OPEN\\]\nOwner: tester · Type: task\nCreated: \\d{4}-\\d\\d-\\d\\d · Updated: `,
    ),
  );
  assert.match(human.stdout, new RegExp(`\nDEPENDS ON\n  → ○ ${b}: B ● P2\n`));
  assert.match(human.stdout, /\nLABELS: x\n/);
  assert.match(human.stdout, /\nCOMMENTS\n  \d{4}-\d\d-\d\d \d\d:\d\d tester\n    first note/);
  assert.match((await bdOk(dir, ["show", a, b])).stdout, new RegExp(`\n${"─".repeat(60)}\n`));
  // One bad ID among good ones: the good ones print, the bad one is reported, exit 1.
  const mixed = await bd(dir, ["show", a, "nope", "--json"]);
  assert.equal(mixed.code, 1);
  assert.equal(mixed.json().length, 1);
  assert.equal(JSON.parse(mixed.stderr.trim()).code, "NOT_FOUND");
});

Deno.test("list hides closed issues, filters, sorts by priority then newest, and notes when it cuts", async () => {
  const dir = await workspace();
  const low = await createIssue(dir, "low", "-p", "3", "-t", "chore");
  const high = await createIssue(dir, "high", "-p", "0", "-l", "ui", "-a", "bob");
  const closed = await createIssue(dir, "closed one");
  await bdOk(dir, ["close", closed]);
  const rows = (await bdOk(dir, ["list", "--json"])).json();
  assert.deepEqual(rows.map((r: { id: string }) => r.id), [high, low]);
  assert.deepEqual(Object.keys(rows[0]).slice(-3), ["labels", "dependency_count", "dependent_count"]);
  assert.equal((await bdOk(dir, ["list", "--all", "--json"])).json().length, 3);
  assert.deepEqual(
    (await bdOk(dir, ["list", "--status", "closed", "--json"])).json().map((r: { id: string }) => r.id),
    [closed],
  );
  assert.deepEqual((await bdOk(dir, ["list", "-l", "ui", "--json"])).json().map((r: { id: string }) => r.id), [high]);
  assert.deepEqual((await bdOk(dir, ["list", "--assignee", "bob", "--json"])).json().map((r: { id: string }) => r.id), [
    high,
  ]);
  assert.deepEqual(
    (await bdOk(dir, ["list", "-t", "chore", "-p", "3", "--json"])).json().map((r: { id: string }) => r.id),
    [low],
  );
  assert.deepEqual((await bdOk(dir, ["list", "--title", "HIG", "--json"])).json().map((r: { id: string }) => r.id), [
    high,
  ]);
  assert.equal((await bdOk(dir, ["list", "--created-after", "2000-01-01", "--json"])).json().length, 2);
  assert.equal((await bdOk(dir, ["list", "--created-before", "2000-01-01", "--json"])).json().length, 0);
  assert.equal((await bdOk(dir, ["list", "--tree=false", "--json"])).json().length, 2);
  const cut = await bdOk(dir, ["list", "--limit", "1", "--json"]);
  assert.equal(cut.json().length, 1);
  assert.match(cut.stderr, /Showing 1 issues \(use --limit 0 for all\)/);
  const empty = await bdOk(dir, ["list", "--label", "none", "--json"]);
  assert.equal(empty.stdout, "[]\n");
  const table = await bdOk(dir, ["list"]);
  assert.match(table.stdout, new RegExp(`^○ ${high} \\[● P0\\] \\[task\\] @bob \\[ui\\] - high$`, "m"));
});

Deno.test("update changes fields, labels and claims; close and reopen print arrays", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "A", "-l", "old");
  const b = await createIssue(dir, "B");
  const up = (await bdOk(dir, ["update", a, b, "-p", "1", "--notes", "n", "--json"])).json();
  assert.deepEqual(up.map((i: { priority: number }) => i.priority), [1, 1]);
  const labels = (await bdOk(dir, ["update", a, "--add-label", "new", "--remove-label", "old", "--json"])).json();
  assert.deepEqual(labels[0].labels, ["new"]);
  const set = (await bdOk(dir, ["update", a, "--set-labels", "x,y", "--json"])).json();
  assert.deepEqual(set[0].labels, ["x", "y"]);
  const claimed = (await bdOk(dir, ["update", a, "--claim", "--json"])).json();
  assert.equal(claimed[0].assignee, "tester");
  assert.equal(claimed[0].status, "in_progress");
  const conflict = await bd(dir, ["update", a, "--claim", "--json"], { env: { BD_ACTOR: "other" } });
  assert.equal(conflict.code, 1);
  assert.equal(conflict.stdout, ""); // a failure leaves stdout empty
  assert.equal(JSON.parse(conflict.stderr.trim()).code, "CONFLICT");
  assert.match((await bdOk(dir, ["update", b, "--status", "in_progress"])).stdout, new RegExp(`✓ Updated issue: ${b}`));
  const closed = (await bdOk(dir, ["close", a, b, "--reason", "Fixed", "--json"])).json();
  assert.deepEqual(closed.map((i: { status: string; close_reason: string }) => [i.status, i.close_reason]), [[
    "closed",
    "Fixed",
  ], ["closed", "Fixed"]]);
  assert.match((await bdOk(dir, ["reopen", a])).stdout, new RegExp(`Reopened ${a}`));
  const [re] = (await bdOk(dir, ["show", a, "--json"])).json();
  assert.equal(re.status, "open");
  assert.equal(re.closed_at, undefined);
  assert.match((await bdOk(dir, ["close", a, "-r", "Done"])).stdout, new RegExp(`^✓ Closed ${a}: Done`));
  const acc = (await bdOk(dir, ["update", b, "--acceptance-criteria", "AC", "--json"])).json();
  assert.equal(acc[0].acceptance_criteria, "AC");
});

Deno.test("delete previews without --force, then removes for good with a tombstone in the JSONL", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "victim");
  const b = await createIssue(dir, "dependent");
  await bdOk(dir, ["dep", "add", b, a]);
  const preview = await bdOk(dir, ["delete", a]);
  assert.match(preview.stdout, /DELETE PREVIEW/);
  assert.match(preview.stdout, new RegExp(`Issue to delete:\n  ${a}: victim\n`));
  assert.match(preview.stdout, new RegExp(`Dependency links to remove: 1\n  ${b} → ${a} \\(blocks\\)`));
  assert.match(preview.stdout, new RegExp(`This operation cannot be undone!\nTo proceed, run: bd delete ${a} --force`));
  assert.equal((await bdOk(dir, ["show", a, "--json"])).json().length, 1);
  await bdOk(dir, ["delete", a, "--force"]);
  const gone = await bd(dir, ["show", a, "--json"]);
  assert.equal(gone.code, 1);
  assert.equal(JSON.parse(gone.stderr.trim()).code, "NOT_FOUND");
  const jsonl = await Deno.readTextFile(`${dir}/.beads/issues.jsonl`);
  const line = jsonl.split("\n").find((l) => l.includes(`"id":"${a}"`))!;
  const tomb = JSON.parse(line);
  assert.equal(tomb.status, "tombstone");
  assert.equal(tomb.deleted_by, "tester");
  assert.ok(tomb.deleted_at);
  const [dep] = (await bdOk(dir, ["show", b, "--json"])).json();
  assert.deepEqual(dep.dependencies, []);
});
