/** `bd sync` through real git: a bare "remote" and two clones in temp dirs, never the network. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, createIssue } from "../helpers.ts";
import { bdIn, clone, clones, git, gitRun, jsonlOf } from "../git_helpers.ts";

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
  assert.equal(fromA.length + fromB.length, 4);
  for (const dir of [a, b]) {
    // By title: two clones can mint one short hash ID for two issues; then one of them moves.
    const titles = (await bdOk(dir, ["list", "--json", "--limit", "0"])).json().map((i: { title: string }) => i.title);
    assert.equal(titles.length, 5);
    for (const t of ["from A 1", "from A 2", "from B 1", "from B 2"]) assert.ok(titles.includes(t), t);
  }
  assert.equal(jsonl(a), jsonl(b));
  assert.equal(await exported(a), await exported(b));
});

Deno.test("one ID minted on two clones for two issues: sync keeps both, with their children and dependents", async () => {
  const { a, b } = await twoClones();
  const id = "t-zzz";
  await bdOk(a, ["create", "A's issue", "--id", id, "--json"]);
  await new Promise((r) => setTimeout(r, 20));
  await bdOk(b, ["create", "B's issue", "--id", id, "--json"]);
  const bChild = (await bdOk(b, ["create", "B's child", "--parent", id, "--json"])).json().id;
  const bDependent = (await bdOk(b, ["create", "needs B's issue", "--json"])).json().id;
  await bdOk(b, ["dep", "add", bDependent, id]);
  await bdOk(a, ["update", id, "--priority", "0"]);
  await sync(a);
  const report = (await sync(b)).json();
  // Merged by sync's rule (a conflict in the rebase) or by the recorded merge driver git ran itself.
  assert.ok(
    report.steps.some((s: string) => s.includes(`Moved ${id} to`) || s.includes(`moved local issue ${id} to`)),
    report.steps.join("\n"),
  );
  await sync(a);
  assert.equal(jsonl(a), jsonl(b));
  for (const dir of [a, b]) {
    const all = (await bdOk(dir, ["list", "--json", "--limit", "0", "--all"])).json();
    const byTitle = new Map(all.map((i: { title: string; id: string }) => [i.title, i]));
    assert.equal(all.length, 5, dir);
    const mine = byTitle.get("A's issue") as { id: string; priority: number };
    assert.equal(mine.id, id, "the first-created issue keeps the ID");
    assert.equal(mine.priority, 0);
    const moved = (byTitle.get("B's issue") as { id: string }).id;
    assert.notEqual(moved, id);
    assert.equal((byTitle.get("B's child") as { id: string }).id, `${moved}.1`, bChild);
    const [dependent] = (await bdOk(dir, ["show", bDependent, "--json"])).json();
    assert.deepEqual(dependent.dependencies.map((d: { id: string }) => d.id), [moved]);
    const [first] = (await bdOk(dir, ["show", id, "--json"])).json();
    assert.equal((first.dependents ?? []).length, 0, "A's issue did not inherit B's dependent");
  }
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

Deno.test("a sequential workspace imports a clashing issue beside the local one, never over it", async () => {
  const one = await Deno.makeTempDir();
  const two = await Deno.makeTempDir();
  await bdOk(one, ["init", "--prefix", "s", "--sequential"]);
  await bdOk(two, ["init", "--prefix", "s", "--sequential"]);
  assert.equal(await createIssue(one, "made in one"), "s-1");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await createIssue(two, "made in two"), "s-1");
  const r = (await bdOk(two, ["import", "-i", join(one, ".beads", "issues.jsonl"), "--json"])).json();
  assert.equal(r.created, 1);
  assert.deepEqual(r.moved.map((m: { from: string; to: string }) => [m.from, m.to]), [["s-1", "s-2"]]);
  assert.equal((await bdOk(two, ["show", "s-1", "--json"])).json()[0].title, "made in two");
  assert.equal((await bdOk(two, ["show", "s-2", "--json"])).json()[0].title, "made in one");
  const again = (await bdOk(two, ["import", "-i", join(one, ".beads", "issues.jsonl"), "--json"])).json();
  assert.equal(again.created, 0, "the same file again lands on the same issue");
  assert.equal((await bdOk(two, ["count", "--json"])).json().count, 2);
});

for (const hooks of [true, false]) {
  Deno.test(
    `plain git pull with the merge driver: one ID minted for two issues on two clones, both kept everywhere (${
      hooks ? "git hooks" : "--skip-hooks"
    })`,
    async () => {
      const { dirs: [a, b] } = await clones(["a", "b"], { issues: 3, initArgs: hooks ? [] : ["--skip-hooks"] });
      await bdIn(a, ["create", "A's issue", "--id", "g-zzz"]);
      await git(a, "commit", "-q", "-am", "A's work");
      await git(a, "push", "-q");
      await new Promise((r) => setTimeout(r, 20));
      await bdIn(b, ["create", "B's issue", "--id", "g-zzz"]);
      const dependent = (await bdIn(b, ["create", "needs B's issue", "--json"])).json().id;
      await bdIn(b, ["dep", "add", dependent, "g-zzz"]);
      await git(b, "commit", "-q", "-am", "B's work");
      // git runs 'bd merge' on the JSONL; the post-merge hook imports the merged file and says that
      // B's issue moved, on git's stderr; without hooks the next bd command does.
      const pull = await gitRun(b, "pull", "-q", "--no-rebase", "--no-edit");
      assert.equal(pull.code, 0, pull.out);
      const told = hooks ? pull.out : (await bdIn(b, ["count"])).stderr;
      assert.match(told, /Note: moved local issue g-zzz to g-\w+: the file holds a different issue/);
      await git(b, "push", "-q");
      await git(a, "pull", "-q", "--no-rebase", "--no-edit");
      assert.equal(jsonlOf(a), jsonlOf(b));
      for (const dir of [a, b]) {
        const all = (await bdIn(dir, ["list", "--json", "--limit", "0"])).json() as { id: string; title: string }[];
        const id = (title: string) => all.find((i) => i.title === title)?.id;
        assert.equal(id("A's issue"), "g-zzz", dir);
        const moved = id("B's issue");
        assert.ok(moved && moved !== "g-zzz", dir);
        const [shown] = (await bdIn(dir, ["show", dependent, "--json"])).json();
        assert.deepEqual(shown.dependencies.map((d: { id: string }) => d.id), [moved], dir);
      }
      assert.equal((await bdIn(a, ["export"])).stdout, (await bdIn(b, ["export"])).stdout);
    },
  );
}
