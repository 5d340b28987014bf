/** `bd sync` through real git: a bare "remote" and two clones in temp dirs, never the network. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, createIssue } from "../helpers.ts";
import { clone, git } from "../git_helpers.ts";

/** Two clones sharing a bare remote; A initialised the tracker and pushed it; B adopted it. */
async function twoClones() {
  const root = await Deno.makeTempDir({ prefix: "bd-sync-" });
  await git(root, "init", "-q", "--bare", "-b", "main", "remote.git");
  const a = await clone(root, "a");
  await git(a, "checkout", "-q", "-b", "main");
  await bdOk(a, ["init", "--prefix", "t"]);
  await createIssue(a, "the first issue");
  await bdOk(a, ["sync", "-m", "bd: start tracking"], { env: { HOME: a } });
  const b = await clone(root, "b");
  const init = (await bdOk(b, ["init", "--json"])).json();
  assert.equal(init.prefix, "t", "the prefix comes from the pulled JSONL");
  return { root, a, b };
}

const sync = (dir: string) =>
  bdOk(dir, ["sync", "--json"], { env: { HOME: dir, BD_ACTOR: dir.endsWith("a") ? "alice" : "bob" } });
const jsonl = (dir: string) => Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"));
const exported = async (dir: string) => (await bdOk(dir, ["export"])).stdout;

Deno.test("two clones creating issues offline, then syncing, end identical with nothing lost", async () => {
  const { a, b } = await twoClones();
  const fromA = [await createIssue(a, "from A 1"), await createIssue(a, "from A 2")];
  const fromB = [await createIssue(b, "from B 1", "-l", "b"), await createIssue(b, "from B 2")];
  await sync(a);
  const report = (await sync(b)).json(); // conflicts in issues.jsonl: merged issue by issue
  assert.ok(report.pulled && report.pushed);
  await sync(a);
  for (const dir of [a, b]) {
    const ids = (await bdOk(dir, ["list", "--json", "--limit", "0"])).json().map((i: { id: string }) => i.id).sort();
    assert.deepEqual(ids.filter((id: string) => [...fromA, ...fromB].includes(id)), [...fromA, ...fromB].sort());
    assert.equal(ids.length, 5);
  }
  assert.equal(jsonl(a), jsonl(b));
  assert.equal(await exported(a), await exported(b));
  assert.equal(new Set([...fromA, ...fromB]).size, 4, "hash IDs never collide across clones");
});

Deno.test("an edit on both sides, a delete on one side and a dependency on one side all converge", async () => {
  const { a, b } = await twoClones();
  const x = await createIssue(a, "shared issue");
  const doomed = await createIssue(a, "to be deleted");
  const target = await createIssue(a, "dependency target");
  await sync(a);
  await sync(b);
  assert.equal((await bdOk(b, ["count", "--json"])).json().count, 4);
  await bdOk(a, ["update", x, "--title", "edited on A", "--add-label", "from-a"]);
  await new Promise((r) => setTimeout(r, 20));
  await bdOk(b, ["update", x, "--priority", "0", "--add-label", "from-b"]); // the later edit
  await bdOk(a, ["delete", doomed, "--force"]);
  await bdOk(b, ["dep", "add", x, target]);
  await sync(a);
  await sync(b);
  await sync(a);
  for (const dir of [a, b]) {
    const [shown] = (await bdOk(dir, ["show", x, "--json"])).json();
    assert.equal(shown.priority, 0, "the newer edit wins the fields");
    assert.deepEqual(shown.labels, ["from-a", "from-b"], "labels are merged, never dropped");
    assert.equal(shown.dependencies[0].id, target);
    const gone = await bd(dir, ["show", doomed, "--json"]);
    assert.equal(gone.code, 1, "the delete travelled");
  }
  assert.equal(jsonl(a), jsonl(b));
});

Deno.test("sync --dry-run changes nothing; sync outside git says what to do", async () => {
  const { a } = await twoClones();
  await createIssue(a, "pending");
  const head = await git(a, "rev-parse", "HEAD");
  const dry = (await bdOk(a, ["sync", "--dry-run", "--json"], { env: { HOME: a } })).json();
  assert.equal(dry.dry_run, true);
  assert.equal(await git(a, "rev-parse", "HEAD"), head);
  const lone = await Deno.makeTempDir();
  await bdOk(lone, ["init", "--prefix", "x"]);
  const r = await bd(lone, ["sync"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not inside a git repository/);
});

Deno.test("a sequential workspace reports an ID clash on import instead of overwriting", async () => {
  const one = await Deno.makeTempDir();
  const two = await Deno.makeTempDir();
  await bdOk(one, ["init", "--prefix", "s", "--sequential"]);
  await bdOk(two, ["init", "--prefix", "s", "--sequential"]);
  assert.equal(await createIssue(one, "made in one"), "s-1");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await createIssue(two, "made in two"), "s-1");
  const r = await bd(two, ["import", "-i", join(one, ".beads", "issues.jsonl"), "--json"]);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stderr).error.code, "CONFLICT");
  assert.match(JSON.parse(r.stderr).error.message, /ID clash on s-1/);
  assert.equal((await bdOk(two, ["show", "s-1", "--json"])).json()[0].title, "made in two");
});
