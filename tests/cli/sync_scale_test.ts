/**
 * `bd sync` and git's merge driver at real size (10k issues, 4 MB of JSONL): clones that edit,
 * close, create, delete, relabel and link the same issues converge; a failure at any git step
 * leaves git clean and bd working; conflict markers written by plain git are recovered.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd } from "../helpers.ts";
import { assertGitClean, bdIn, clones, git, gitEnv, gitRun, jsonlOf } from "../git_helpers.ts";

const N = 10_000;

/** IDs of open, top-level issues in a clone's JSONL, sorted (the same in every clone). */
function openIds(dir: string): string[] {
  return jsonlOf(dir).split("\n").filter(Boolean).map((l) => JSON.parse(l))
    .filter((o) => o.status === "open" && !o.id.includes(".")).map((o) => o.id as string).sort();
}

const sync = (dir: string) => bdIn(dir, ["sync", "--json"]);
const exported = async (dir: string) => (await bdIn(dir, ["export"])).stdout;
// deno-lint-ignore no-explicit-any
type Shown = any;
const showAll = async (dir: string, ids: string[]): Promise<Map<string, Shown>> =>
  new Map((await bdIn(dir, ["show", ...ids, "--json"])).json().map((i: Shown) => [i.id, i]));

Deno.test("three clones at 10k issues edit, close and create on all sides; bd sync converges with every edit kept", async () => {
  const { dirs: [a, b, c] } = await clones(["a", "b", "c"], { issues: N });
  assert.ok(jsonlOf(a).length > 3_000_000, "the file is several MB");
  const ids = openIds(a);
  await bdIn(a, ["update", ...ids.slice(0, 20), "--title", "retitled on A"]);
  await new Promise((r) => setTimeout(r, 20));
  await bdIn(b, ["update", ...ids.slice(10, 30), "--priority", "0"]); // overlaps A on other fields
  await bdIn(c, ["update", ...ids.slice(25, 35), "--assignee", "carol"]);
  await bdIn(a, ["close", ...ids.slice(40, 45), "--reason", "done on A"]);
  await bdIn(b, ["label", "add", ...ids.slice(40, 45), "from-b"]);
  await bdIn(c, ["dep", "add", ids[50], ids[51]]);
  const created = [
    (await bdIn(a, ["create", "made on A", "--json"])).json().id,
    (await bdIn(b, ["create", "made on B", "--json"])).json().id,
    (await bdIn(c, ["create", "made on C", "--json"])).json().id,
  ];
  for (const dir of [a, b, c, a, b]) await sync(dir);
  const text = await exported(a);
  assert.equal(await exported(b), text);
  assert.equal(await exported(c), text);
  assert.equal(jsonlOf(a), jsonlOf(b));
  assert.equal(jsonlOf(b), jsonlOf(c));
  const shown = await showAll(c, [...ids.slice(0, 45), ids[50], ...created]);
  for (const id of ids.slice(0, 20)) assert.equal(shown.get(id).title, "retitled on A");
  for (const id of ids.slice(10, 30)) assert.equal(shown.get(id).priority, 0);
  for (const id of ids.slice(25, 35)) assert.equal(shown.get(id).assignee, "carol");
  for (const id of ids.slice(40, 45)) {
    assert.equal(shown.get(id).status, "closed");
    assert.ok(shown.get(id).labels.includes("from-b"));
  }
  assert.ok(shown.get(ids[50]).dependencies.some((d: { id: string }) => d.id === ids[51]));
  for (const id of created) assert.ok(shown.has(id));
  for (const dir of [a, b, c]) await assertGitClean(dir);
});

Deno.test("plain git pull and merge at 10k issues: the merge driver merges issue by issue, no markers, clones converge", async () => {
  const { dirs: [a, b, c] } = await clones(["a", "b", "c"], { issues: N });
  assert.match(Deno.readTextFileSync(join(a, ".gitattributes")), /\.beads\/issues\.jsonl merge=beads/);
  const ids = openIds(a);
  const commitAll = (dir: string, msg: string) => git(dir, "commit", "-q", "-am", msg);
  // A: edits, a close, a delete, a label, a link; committed and pushed with plain git.
  await bdIn(a, ["update", ids[0], ids[1], "--title", "title from A"]);
  await bdIn(a, ["close", ids[2], "--reason", "fixed on A"]);
  await bdIn(a, ["delete", ids[3], "--force"]);
  await bdIn(a, ["label", "add", ids[4], "a-label"]);
  await bdIn(a, ["dep", "add", ids[5], ids[6]]);
  const fromA = (await bdIn(a, ["create", "new on A", "--json"])).json().id;
  await commitAll(a, "A's work");
  await git(a, "push", "-q");
  // B: overlapping edits on the same issues, then git pull (a merge) and push.
  await new Promise((r) => setTimeout(r, 20));
  await bdIn(b, ["update", ids[0], "--notes", "B's notes"]);
  await bdIn(b, ["update", ids[1], "--title", "title from B (later)"]);
  await bdIn(b, ["label", "add", ids[4], "b-label"]);
  await bdIn(b, ["dep", "add", ids[5], ids[7]]);
  const fromB = (await bdIn(b, ["create", "new on B", "--json"])).json().id;
  await commitAll(b, "B's work");
  await git(b, "pull", "-q", "--no-rebase", "--no-edit");
  await git(b, "push", "-q");
  // C: more edits, pull --rebase this time, push.
  await bdIn(c, ["update", ids[2], "--notes", "C's notes"]);
  await bdIn(c, ["label", "add", ids[8], "c-label"]);
  await commitAll(c, "C's work");
  await git(c, "pull", "-q", "--rebase");
  await git(c, "push", "-q");
  await git(a, "pull", "-q", "--no-rebase", "--no-edit");
  await git(b, "pull", "-q", "--no-rebase", "--no-edit");
  for (const dir of [a, b, c]) await assertGitClean(dir);
  assert.equal(jsonlOf(a), jsonlOf(b));
  assert.equal(jsonlOf(b), jsonlOf(c));
  // The next bd command imports the merged file; every database agrees.
  const text = await exported(a);
  assert.equal(await exported(b), text);
  assert.equal(await exported(c), text);
  const shown = await showAll(c, [ids[0], ids[1], ids[2], ids[4], ids[5], ids[8], fromA, fromB]);
  assert.equal(shown.get(ids[0]).title, "title from A");
  assert.equal(shown.get(ids[0]).notes, "B's notes");
  assert.equal(shown.get(ids[1]).title, "title from B (later)");
  assert.equal(shown.get(ids[2]).status, "closed");
  assert.equal(shown.get(ids[2]).notes, "C's notes");
  assert.deepEqual(shown.get(ids[4]).labels.filter((l: string) => l.endsWith("-label")), ["a-label", "b-label"]);
  assert.deepEqual(
    shown.get(ids[5]).dependencies.map((d: { id: string }) => d.id).filter((x: string) => x === ids[6] || x === ids[7])
      .sort(),
    [ids[6], ids[7]].sort(),
  );
  assert.ok(shown.get(ids[8]).labels.includes("c-label"));
  assert.equal((await bd(c, ["show", ids[3], "--json"], { env: gitEnv(c) })).code, 1, "the delete travelled");
});

Deno.test("conflict markers from plain git at 10k issues: reads work, writes refuse, bd sync finishes the merge", async () => {
  const { dirs: [a, b] } = await clones(["a", "b"], { issues: N, initArgs: ["--skip-merge-driver"] });
  const ids = openIds(a);
  await bdIn(a, ["update", ids[0], "--title", "A's title"]);
  await sync(a);
  await new Promise((r) => setTimeout(r, 20));
  await bdIn(b, ["update", ids[0], "--notes", "B's notes"]);
  await bdIn(b, ["update", ids[1], "--title", "B's title"]);
  await git(b, "commit", "-q", "-am", "B's work");
  const pull = await gitRun(b, "pull", "--no-rebase", "--no-edit");
  assert.notEqual(pull.code, 0, "plain git leaves a conflict");
  assert.match(jsonlOf(b), /^<<<<<<< /m);

  const read = await bd(b, ["list", "--json", "--limit", "5"], { env: gitEnv(b) });
  assert.equal(read.code, 0, read.stderr);
  assert.match(read.stderr, /conflict markers \(line \d+\).*bd resolve-conflicts/);
  const write = await bd(b, ["create", "blocked write", "--json"], { env: gitEnv(b) });
  assert.equal(write.code, 1);
  assert.match(JSON.parse(write.stderr).error, /resolve-conflicts/);
  assert.match(jsonlOf(b), /^<<<<<<< /m, "a refused write leaves the file alone");

  const report = (await sync(b)).json();
  assert.ok(report.resolved_markers >= 1 && report.pushed);
  await sync(a);
  for (const dir of [a, b]) await assertGitClean(dir);
  assert.equal(await exported(a), await exported(b));
  const shown = await showAll(a, [ids[0], ids[1]]);
  assert.equal(shown.get(ids[0]).title, "A's title");
  assert.equal(shown.get(ids[0]).notes, "B's notes");
  assert.equal(shown.get(ids[1]).title, "B's title");
});

Deno.test("bd resolve-conflicts merges the markers of a diff3 conflict and leaves a file git can commit", async () => {
  const { dirs: [a, b] } = await clones(["a", "b"], { initArgs: ["--skip-merge-driver"] });
  await git(b, "config", "merge.conflictStyle", "diff3");
  const x = (await bdIn(a, ["create", "shared", "--json"])).json().id;
  await sync(a);
  await sync(b);
  await bdIn(a, ["update", x, "--title", "edited on A", "--add-label", "a"]);
  await sync(a);
  await new Promise((r) => setTimeout(r, 20));
  await bdIn(b, ["update", x, "--description", "described on B", "--add-label", "b"]);
  await git(b, "commit", "-q", "-am", "B");
  assert.notEqual((await gitRun(b, "pull", "--no-rebase", "--no-edit")).code, 0);
  assert.match(jsonlOf(b), /^\|\|\|\|\|\|\| /m, "diff3 markers carry the base");
  const dry = (await bdIn(b, ["resolve-conflicts", "--dry-run", "--json"])).json();
  assert.equal(dry.conflicts, 1);
  assert.match(jsonlOf(b), /^<<<<<<< /m, "dry run changes nothing");
  const r = (await bdIn(b, ["resolve-conflicts", "--json"])).json();
  assert.equal(r.conflicts, 1);
  await git(b, "add", ".beads/issues.jsonl");
  await git(b, "commit", "-q", "--no-edit");
  await assertGitClean(b);
  const [shown] = (await bdIn(b, ["show", x, "--json"])).json();
  assert.equal(shown.title, "edited on A");
  assert.equal(shown.description, "described on B");
  assert.deepEqual(shown.labels, ["a", "b"]);
  assert.match((await bdIn(b, ["resolve-conflicts"])).stdout, /No conflict markers/);
});

/** Two small clones where B has an unsynced issue; returns them and B's HEAD before the sync. */
async function pendingWork() {
  const { root, dirs: [a, b] } = await clones(["a", "b"]);
  await bdIn(a, ["create", "from A", "--json"]);
  await sync(a);
  const pending = (await bdIn(b, ["create", "pending on B", "--json"])).json().id;
  const head = await git(b, "rev-parse", "HEAD");
  return { root, a, b, pending, head };
}

/** After a failed sync: exit 1 naming the step, git as it was, bd still reading and writing. */
async function assertFailedCleanly(dir: string, step: RegExp, head: string | undefined, pending: string) {
  const r = await bd(dir, ["sync", "--json"], { env: gitEnv(dir) });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.stdout, "");
  const message = JSON.parse(r.stderr).error;
  assert.match(message, step);
  await assertGitClean(dir);
  if (head) {
    assert.equal(await git(dir, "rev-parse", "HEAD"), head, "bd's commit was undone");
    assert.equal(await git(dir, "diff", "--cached", "--name-only"), "", "nothing left staged");
  }
  assert.equal((await bdIn(dir, ["show", pending, "--json"])).json()[0].title, "pending on B");
  await bdIn(dir, ["create", "still writable", "--json"]);
  return message;
}

Deno.test("a failing pre-commit hook stops bd sync before anything changes", async () => {
  const { b, pending, head } = await pendingWork();
  const hook = join(b, ".git", "hooks", "pre-commit");
  Deno.writeTextFileSync(hook, "#!/bin/sh\necho 'lint failed' >&2\nexit 1\n", { mode: 0o755 });
  assert.match(await assertFailedCleanly(b, /failed at commit[\s\S]*lint failed[\s\S]*as it was/, head, pending), /./);
  Deno.removeSync(hook);
  assert.ok((await sync(b)).json().pushed);
});

Deno.test("a fetch that fails undoes bd's commit", async () => {
  const { b, pending, head } = await pendingWork();
  const url = await git(b, "remote", "get-url", "origin");
  await git(b, "remote", "set-url", "origin", "/nonexistent/remote.git");
  await assertFailedCleanly(b, /failed at fetch/, head, pending);
  await git(b, "remote", "set-url", "origin", url);
  assert.ok((await sync(b)).json().pushed);
});

Deno.test("a rebase that stops on a conflict outside issues.jsonl is aborted; the user's commits stay", async () => {
  const { a, b, pending } = await pendingWork();
  Deno.writeTextFileSync(join(a, "README.md"), "A's readme\n");
  await git(a, "add", "README.md");
  await git(a, "commit", "-q", "-m", "A's readme");
  await git(a, "push", "-q");
  Deno.writeTextFileSync(join(b, "README.md"), "B's readme\n");
  await git(b, "add", "README.md");
  await git(b, "commit", "-q", "-m", "B's readme");
  const head = await git(b, "rev-parse", "HEAD");
  const before = (await bdIn(b, ["count", "--json"])).json().count;
  await assertFailedCleanly(b, /failed at rebase.*README\.md.*by hand/, head, pending);
  assert.equal(Deno.readTextFileSync(join(b, "README.md")), "B's readme\n");
  assert.equal((await bdIn(b, ["count", "--json"])).json().count, before + 1, "the database did not import A's side");
});

Deno.test("a push the remote rejects leaves git clean and the merged result committed for the next sync", async () => {
  const { root, b, pending } = await pendingWork();
  const hook = join(root, "remote.git", "hooks", "pre-receive");
  Deno.writeTextFileSync(hook, "#!/bin/sh\necho 'push rejected by policy' >&2\nexit 1\n", { mode: 0o755 });
  const message = await assertFailedCleanly(
    b,
    /failed at push[\s\S]*rejected[\s\S]*run 'bd sync' again/,
    undefined,
    pending,
  );
  assert.match(message, /committed locally/);
  Deno.removeSync(hook);
  assert.ok((await sync(b)).json().pushed);
  assert.equal(await git(b, "status", "--porcelain", "--", ".beads"), "");
});

Deno.test("bd sync refuses to start while the user is in the middle of a rebase, and changes nothing", async () => {
  const { b, head } = await pendingWork();
  Deno.writeTextFileSync(join(b, "x.txt"), "1\n");
  await git(b, "add", "x.txt");
  await git(b, "commit", "-q", "-m", "x1");
  Deno.writeTextFileSync(join(b, "x.txt"), "2\n");
  await git(b, "commit", "-q", "-am", "x2");
  // An interactive-style rebase stopped on "edit".
  const r = await gitRun(b, "-c", "sequence.editor=sed -i -e 's/^pick/edit/'", "rebase", "-i", head);
  assert.equal(r.code, 0, r.out);
  const out = await bd(b, ["sync", "--json"], { env: gitEnv(b) });
  assert.equal(out.code, 1);
  assert.match(JSON.parse(out.stderr).error, /middle of a rebase.*Nothing was changed/);
  await git(b, "rebase", "--abort");
});

Deno.test("markers left in a file outside any merge (an older bd committed them) resolve from the markers", async () => {
  const { dirs: [a] } = await clones(["a"]);
  const x = (await bdIn(a, ["create", "shared", "--json"])).json().id;
  const line = jsonlOf(a).trim().split("\n").find((l) => l.includes(x))!;
  const rec = JSON.parse(line);
  const ours = { ...rec, title: "ours", updated_at: "2030-01-01T00:00:00.000Z" };
  const theirs = { ...rec, labels: ["theirs"], updated_at: "2030-01-02T00:00:00.000Z" };
  const other = { ...rec, id: `${x}-other`, title: "only theirs" };
  const text = jsonlOf(a).replace(
    line + "\n",
    `<<<<<<< HEAD\n${JSON.stringify(ours)}\n=======\n${JSON.stringify(theirs)}\n${JSON.stringify(other)}\n>>>>>>> b\n`,
  );
  Deno.writeTextFileSync(join(a, ".beads", "issues.jsonl"), text);
  // Committed past the hooks (an older bd had none; today's pre-commit hook refuses such a file).
  await git(a, "commit", "-q", "--no-verify", "-am", "markers committed by mistake");
  const r = (await bdIn(a, ["resolve-conflicts", "--json"])).json();
  assert.equal(r.source, "markers");
  assert.equal(r.conflicts, 1);
  const [shown] = (await bdIn(a, ["show", x, "--json"])).json();
  assert.equal(shown.title, "shared", "without a base, the later side's fields win");
  assert.deepEqual(shown.labels, ["theirs"]);
  assert.equal((await bdIn(a, ["show", `${x}-other`, "--json"])).json()[0].title, "only theirs");
  await assertGitClean(a);
});
