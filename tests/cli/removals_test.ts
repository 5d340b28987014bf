/**
 * Removals travel (contract §8, amended): a label, a dependency of any type, a comment or a memory
 * removed on one clone stays removed on every other clone, through `bd sync` and through plain git
 * with the merge driver, while changes a clone never flushed are kept.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bdIn, clones, git, jsonlOf } from "../git_helpers.ts";

type Shown = {
  id: string;
  labels?: string[];
  dependencies?: { id: string; dependency_type: string }[];
  comments?: { text: string }[];
};

const show = async (dir: string, id: string): Promise<Shown> => (await bdIn(dir, ["show", id, "--json"])).json()[0];
const labels = async (dir: string, id: string) => (await show(dir, id)).labels?.slice().sort() ?? [];
const deps = async (dir: string, id: string) =>
  ((await show(dir, id)).dependencies ?? []).map((d) => `${d.dependency_type}:${d.id}`).sort();
const comments = async (dir: string, id: string) => ((await show(dir, id)).comments ?? []).map((c) => c.text).sort();
const readyIds = async (dir: string) =>
  ((await bdIn(dir, ["ready", "--json", "--limit", "0"])).json() as { id: string }[]).map((i) => i.id);
const memories = async (dir: string) => Object.keys((await bdIn(dir, ["memories", "--json"])).json()).sort();
const sync = (dir: string) => bdIn(dir, ["sync", "--json"]);
const create = async (dir: string, ...args: string[]) => (await bdIn(dir, ["create", ...args, "--json"])).json().id;

/**
 * One issue with two labels, a blocker (blocks), a related issue, a parent (parent-child), a
 * discovered-from source and two comments; two memories. Made on the first clone and synced to all.
 */
async function trackerWithSets(names: string[]) {
  const { dirs } = await clones(names);
  const [a] = dirs;
  const issue = await create(a, "the issue", "-l", "keep,drop");
  const blocker = await create(a, "its blocker");
  const related = await create(a, "related work");
  const parent = await create(a, "the epic", "-t", "epic");
  const source = await create(a, "where it was found");
  await bdIn(a, ["dep", "add", issue, blocker]);
  await bdIn(a, ["dep", "add", issue, related, "--type", "related"]);
  await bdIn(a, ["dep", "add", issue, parent, "--type", "parent-child"]);
  await bdIn(a, ["dep", "add", issue, source, "--type", "discovered-from"]);
  await bdIn(a, ["comments", "add", issue, "first comment"]);
  await bdIn(a, ["comments", "add", issue, "second comment"]);
  await bdIn(a, ["remember", "keep this insight", "--key", "kept"]);
  await bdIn(a, ["remember", "an insight to forget", "--key", "gone"]);
  await sync(a);
  for (const dir of dirs.slice(1)) await sync(dir);
  return { dirs, issue, blocker, related, parent, source };
}

/** Clone `dir` removes one of everything (a comment by editing the file, as bd has no command for it). */
async function removeEverything(dir: string, t: Awaited<ReturnType<typeof trackerWithSets>>) {
  await bdIn(dir, ["label", "remove", t.issue, "drop"]);
  await bdIn(dir, ["dep", "remove", t.issue, t.blocker]);
  await bdIn(dir, ["dep", "remove", t.issue, t.related, "--type", "related"]);
  await bdIn(dir, ["dep", "remove", t.issue, t.source, "--type", "discovered-from"]);
  await bdIn(dir, ["forget", "gone"]);
  const path = join(dir, ".beads", "issues.jsonl");
  const text = Deno.readTextFileSync(path).split("\n").map((line) => {
    if (!line.startsWith(`{"id":"${t.issue}"`)) return line;
    const o = JSON.parse(line);
    o.comments = o.comments.filter((c: { text: string }) => c.text !== "second comment");
    return JSON.stringify(o);
  }).join("\n");
  Deno.writeTextFileSync(path, text);
  await bdIn(dir, ["import"]); // the hand edit is now the database's too
}

async function assertRemoved(dir: string, t: Awaited<ReturnType<typeof trackerWithSets>>, extraLabels: string[] = []) {
  assert.deepEqual(await labels(dir, t.issue), ["keep", ...extraLabels].sort(), `labels on ${dir}`);
  assert.deepEqual(await deps(dir, t.issue), [`parent-child:${t.parent}`], `dependencies on ${dir}`);
  assert.deepEqual(await comments(dir, t.issue), ["first comment"], `comments on ${dir}`);
  assert.deepEqual(await memories(dir), ["kept"], `memories on ${dir}`);
  assert.ok((await readyIds(dir)).includes(t.issue), `the issue is ready again on ${dir}`);
}

Deno.test("removals travel through bd sync: a later edit on another clone brings nothing back", async () => {
  const t = await trackerWithSets(["a", "b"]);
  const [a, b] = t.dirs;
  assert.ok(!(await readyIds(b)).includes(t.issue), "blocked before the removal");
  await removeEverything(a, t);
  await sync(a);
  await sync(b);
  await assertRemoved(b, t);
  // B edits the issue and syncs: its line carries B's view, which must not revive what A removed.
  await bdIn(b, ["update", t.issue, "--priority", "0"]);
  await sync(b);
  await sync(a);
  for (const dir of [a, b]) await assertRemoved(dir, t);
  assert.equal((await show(a, t.issue) as unknown as { priority: number }).priority, 0);
  assert.equal(jsonlOf(a), jsonlOf(b));
});

Deno.test("removals travel among three clones while another clone adds to the same sets", async () => {
  const t = await trackerWithSets(["a", "b", "c"]);
  const [a, b, c] = t.dirs;
  await removeEverything(a, t);
  await bdIn(b, ["label", "add", t.issue, "from-b"]);
  await bdIn(b, ["comments", "add", t.issue, "b's comment"]);
  await sync(a);
  await sync(b); // B merges A's removals with its own additions
  await sync(c);
  await bdIn(c, ["update", t.issue, "--assignee", "carol"]);
  await sync(c);
  await sync(a);
  await sync(b);
  for (const dir of [a, b, c]) {
    assert.deepEqual(await labels(dir, t.issue), ["from-b", "keep"], dir);
    assert.deepEqual(await comments(dir, t.issue), ["b's comment", "first comment"], dir);
    assert.deepEqual(await deps(dir, t.issue), [`parent-child:${t.parent}`], dir);
    assert.deepEqual(await memories(dir), ["kept"], dir);
  }
  assert.equal(jsonlOf(a), jsonlOf(c));
  assert.equal(jsonlOf(b), jsonlOf(c));
});

Deno.test("removals travel through plain git pull with the merge driver", async () => {
  const t = await trackerWithSets(["a", "b"]);
  const [a, b] = t.dirs;
  await removeEverything(a, t);
  await git(a, "commit", "-q", "-am", "A removes");
  await git(a, "push", "-q");
  // B changes the same issue and commits before pulling: git runs 'bd merge' on the file.
  await bdIn(b, ["update", t.issue, "--title", "the issue, renamed on B"]);
  await git(b, "commit", "-q", "-am", "B renames");
  await git(b, "pull", "-q", "--no-rebase", "--no-edit");
  await assertRemoved(b, t);
  assert.equal((await show(b, t.issue) as unknown as { title: string }).title, "the issue, renamed on B");
  await git(b, "push", "-q");
  await git(a, "pull", "-q", "--no-rebase", "--no-edit");
  await assertRemoved(a, t);
  assert.equal(jsonlOf(a), jsonlOf(b));
});

Deno.test("changes a clone never flushed are merged three-way with the pulled file, removals on both sides kept", async () => {
  const t = await trackerWithSets(["a", "b"]);
  const [a, b] = t.dirs;
  await bdIn(a, ["label", "remove", t.issue, "drop"]);
  await bdIn(a, ["dep", "remove", t.issue, t.blocker]);
  await sync(a);
  // B works without flushing: its removal and additions exist only in its database.
  await bdIn(b, ["--no-auto-flush", "label", "remove", t.issue, "keep"]);
  await bdIn(b, ["--no-auto-flush", "label", "add", t.issue, "b-only"]);
  await bdIn(b, ["--no-auto-flush", "dep", "remove", t.issue, t.related, "--type", "related"]);
  await bdIn(b, ["--no-auto-flush", "comments", "add", t.issue, "unflushed comment"]);
  await bdIn(b, ["--no-auto-flush", "remember", "a local insight", "--key", "local"]);
  await git(b, "pull", "-q"); // the file changes under bd; B's database still holds its own changes
  assert.deepEqual(await labels(b, t.issue), ["b-only"]);
  assert.deepEqual(await deps(b, t.issue), [`discovered-from:${t.source}`, `parent-child:${t.parent}`]);
  assert.deepEqual(await comments(b, t.issue), ["first comment", "second comment", "unflushed comment"]);
  assert.deepEqual(await memories(b), ["gone", "kept", "local"]);
  await sync(b);
  await sync(a);
  for (const dir of [a, b]) {
    assert.deepEqual(await labels(dir, t.issue), ["b-only"], dir);
    assert.deepEqual(await deps(dir, t.issue), [`discovered-from:${t.source}`, `parent-child:${t.parent}`], dir);
  }
  assert.equal(jsonlOf(a), jsonlOf(b));
});

Deno.test("bd import -i of a foreign file adds to the sets; --replace makes its sets the truth", async () => {
  const { dirs: [a] } = await clones(["a"]);
  const id = await create(a, "imported", "-l", "x,y");
  const other = join(a, "other.jsonl");
  const line = JSON.parse(jsonlOf(a).split("\n").find((l) => l.startsWith(`{"id":"${id}"`))!);
  Deno.writeTextFileSync(other, JSON.stringify({ ...line, labels: ["z"] }) + "\n");
  await bdIn(a, ["import", "-i", other]);
  assert.deepEqual(await labels(a, id), ["x", "y", "z"]);
  await bdIn(a, ["import", "-i", other, "--replace"]);
  assert.deepEqual(await labels(a, id), ["z"]);
});
