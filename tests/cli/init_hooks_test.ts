/**
 * `bd init` installs bd's git hooks by default, as upstream bd does (`--skip-hooks` and `--stealth`
 * leave them out), and the hooks stand aside while bd itself runs git (`bd sync`) and in the
 * middle of a rebase, while plain `git commit` and `git pull` still run them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdCommand, bdOk } from "../helpers.ts";
import { bareRemote, bdIn, clone, clones, git, gitEnv, gitRun } from "../git_helpers.ts";

const hookFiles = (dir: string) =>
  ["pre-commit", "post-merge", "post-checkout"].filter((h) => {
    try {
      return Deno.readTextFileSync(join(dir, ".git", "hooks", h)).includes("# bd hook");
    } catch {
      return false;
    }
  });

Deno.test("init installs the git hooks by default; --skip-hooks and --stealth do not; outside git there are none", async () => {
  const root = await bareRemote();
  const plain = await clone(root, "plain");
  const init = (await bdIn(plain, ["init", "--prefix", "h", "--json"])).json();
  assert.deepEqual(init.hooks, ["pre-commit", "post-merge", "post-checkout"]);
  assert.deepEqual(hookFiles(plain), ["pre-commit", "post-merge", "post-checkout"]);
  const text = await clone(root, "text");
  assert.match(
    (await bdIn(text, ["init", "--prefix", "h"])).stdout,
    /Git hooks: pre-commit, post-merge, post-checkout/,
  );
  for (const flag of ["--skip-hooks", "--stealth"]) {
    const dir = await clone(root, flag.slice(2));
    const r = (await bdIn(dir, ["init", "--prefix", "h", flag, "--json"])).json();
    assert.equal(r.hooks, null, flag);
    assert.deepEqual(hookFiles(dir), [], flag);
  }
  const nogit = await Deno.makeTempDir();
  assert.equal((await bdOk(nogit, ["init", "--prefix", "h", "--json"])).json().hooks, null);
  assert.match((await bdOk(nogit, ["init", "--help"])).stdout, /--skip-hooks +do not install bd's git hooks/);
  // A hook another tool put there is chained, not overwritten.
  const other = await clone(root, "other");
  Deno.writeTextFileSync(join(other, ".git", "hooks", "post-merge"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  const chained = (await bdIn(other, ["init", "--prefix", "h", "--json"])).json();
  assert.deepEqual(chained.hooks, ["pre-commit", "post-merge", "post-checkout"]);
  assert.equal(Deno.readTextFileSync(join(other, ".git", "hooks", "post-merge.bd-chained")), "#!/bin/sh\nexit 0\n");
  // A hooks directory another tool manages (core.hooksPath, e.g. husky's tracked .husky/) is left alone.
  const husky = await clone(root, "husky");
  await Deno.mkdir(join(husky, ".husky"));
  Deno.writeTextFileSync(join(husky, ".husky", "pre-commit"), "#!/bin/sh\nnpm test\n", { mode: 0o755 });
  await git(husky, "config", "core.hooksPath", ".husky");
  const skipped = (await bdIn(husky, ["init", "--prefix", "h", "--json"])).json();
  assert.equal(skipped.hooks, null);
  assert.match(skipped.hooks_skipped, /core\.hooksPath is set \(\.husky\).*'bd hooks install' adds bd's there/);
  assert.deepEqual([...Deno.readDirSync(join(husky, ".husky"))].map((e) => e.name), ["pre-commit"]);
  const huskyText = await clone(root, "husky-text");
  await git(huskyText, "config", "core.hooksPath", ".husky");
  assert.match(
    (await bdIn(huskyText, ["init", "--prefix", "h"])).stdout,
    /Git hooks: not installed: core\.hooksPath is set/,
  );
  // A workspace in a folder git ignores (scratch or benchmark data inside a project) leaves the
  // project's hooks and merge driver alone.
  const project = await clone(root, "project");
  Deno.writeTextFileSync(join(project, ".gitignore"), "scratch/\n");
  await Deno.mkdir(join(project, "scratch", "ws"), { recursive: true });
  const ignored = (await bdIn(join(project, "scratch", "ws"), ["init", "--prefix", "h", "--json"])).json();
  assert.equal(ignored.hooks, null);
  assert.match(ignored.hooks_skipped, /git ignores .*issues\.jsonl, so the repository's hooks are left alone/);
  assert.deepEqual(hookFiles(project), []);
  assert.equal((await gitRun(project, "config", "--get", "merge.beads.driver")).code, 1, "no merge driver either");
});

Deno.test("bd's hooks stand aside during bd sync and mid-rebase; plain git commit and git pull run them", async () => {
  const { root, dirs: [a, b] } = await clones(["a", "b"]);
  // Each clone's hooks run bd through a wrapper that logs every call, with a chained hook that
  // logs every time git runs post-checkout at all.
  const log = join(root, "bd-calls.log");
  const wrapper = join(root, "bd-logged");
  const quoted = bdCommand().map((x) => `'${x.replaceAll("'", `'\\''`)}'`).join(" ");
  Deno.writeTextFileSync(wrapper, `#!/bin/sh\necho "bd $*" >> '${log}'\nexec ${quoted} "$@"\n`, { mode: 0o755 });
  for (const dir of [a, b]) {
    await bdOk(dir, ["hooks", "install"], { env: { ...gitEnv(dir), BD_SELF: wrapper } });
    Deno.writeTextFileSync(
      join(dir, ".git", "hooks", "post-checkout.bd-chained"),
      `#!/bin/sh\necho "git post-checkout" >> '${log}'\n`,
      { mode: 0o755 },
    );
  }
  const calls = () => {
    try {
      return Deno.readTextFileSync(log).trim().split("\n");
    } catch {
      return [];
    }
  };
  await bdIn(a, ["create", "from a"]);
  await bdIn(a, ["sync"]);
  await bdIn(b, ["create", "from b"]);
  await bdIn(b, ["sync"]); // commits, rebases onto a's commit, pushes
  assert.deepEqual(calls().filter((c) => c.startsWith("bd ")), [], "bd sync ran none of bd's hooks");
  // Plain git: a commit runs pre-commit's export; a pull with a rebase skips the import mid-rebase.
  await bdIn(a, ["create", "from a, committed by hand"]);
  Deno.writeTextFileSync(join(a, "notes.txt"), "x\n");
  await git(a, "add", "notes.txt");
  await git(a, "commit", "-q", "-m", "notes");
  assert.deepEqual(calls().filter((c) => c.startsWith("bd ")), ["bd export -o .beads/issues.jsonl -q"]);
  await git(a, "pull", "-q", "--rebase");
  assert.ok(calls().includes("git post-checkout"), "git ran post-checkout during the rebase");
  assert.deepEqual(calls().filter((c) => c.startsWith("bd ")).length, 1, "but bd's part stood aside");
  const titles = (await bdIn(a, ["list", "--json"])).json().map((i: { title: string }) => i.title).sort();
  assert.deepEqual(titles, ["from a", "from a, committed by hand", "from b"], "the next command imported the result");
  await git(a, "push", "-q");
  // A plain merge pull runs post-merge's import.
  await git(b, "pull", "-q", "--no-rebase", "--no-edit");
  assert.ok(calls().includes("bd import"), "post-merge imported");
  const r = await bd(b, ["list", "--json", "--no-auto-import"], { env: gitEnv(b) });
  assert.equal(r.json().length, 3);
});

Deno.test("bd doctor finds hooks an older bd wrote (no standing aside) and --fix rewrites them", async () => {
  const { dirs: [a] } = await clones(["a"]);
  const path = join(a, ".git", "hooks", "post-merge");
  const today = Deno.readTextFileSync(path);
  Deno.writeTextFileSync(path, today.replace(/^\[ -n "\$BD_RUNNING_GIT" \] && exit 0\n/m, ""));
  const env = { ...gitEnv(a), HOME: a };
  const before = (await bd(a, ["doctor", "--json"], { env })).json();
  const hooks = before.checks.find((c: { name: string }) => c.name === "hooks");
  assert.equal(hooks.status, "warning");
  assert.match(hooks.message, /written by an older bd.*post-merge/);
  await bdOk(a, ["doctor", "--fix"], { env });
  assert.match(Deno.readTextFileSync(path), /BD_RUNNING_GIT/);
  assert.equal(
    (await bd(a, ["doctor", "--json"], { env })).json().checks.find((c: { name: string }) => c.name === "hooks").status,
    "ok",
  );
});
