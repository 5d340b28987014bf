/**
 * Many agents on one repository: claimers in several git worktrees share one database (no double
 * claim), racing clones call `bd sync` once per round with no retry loop of their own, and sync
 * pushes to the configured upstream whatever the local branch is called.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd } from "../helpers.ts";
import { bdIn, clone, clones, git, gitEnv } from "../git_helpers.ts";

Deno.test("4 worktrees x 3 claimers drain 90 ready issues: 90 claims, no issue claimed twice", async () => {
  const { dirs: [main] } = await clones(["main"]);
  for (let i = 0; i < 90; i++) await bdIn(main, ["q", `task ${i}`, "--sandbox"]);
  await bdIn(main, ["export", "-o", ".beads/issues.jsonl"]);
  await git(main, "commit", "-q", "-am", "90 tasks");
  const trees = [main];
  for (const name of ["w1", "w2", "w3"]) {
    await git(main, "worktree", "add", "-q", join(main, "..", name));
    trees.push(join(main, "..", name));
  }
  // A linked worktree uses the main worktree's database: init there makes no second one.
  const init = await bdIn(trees[1], ["init", "--json"]);
  assert.equal(init.json().created, false);
  assert.equal(init.json().database, (await bdIn(main, ["where", "--json"])).json().database);
  const claims: { id: string; who: string }[] = [];
  const claimer = async (dir: string, who: string) => {
    for (;;) {
      const r = await bd(dir, ["ready", "--claim", "--json"], { env: { ...gitEnv(dir), BD_ACTOR: who } });
      assert.equal(r.code, 0, r.stderr);
      const [issue] = r.json();
      if (!issue) return;
      claims.push({ id: issue.id, who });
    }
  };
  await Promise.all(trees.flatMap((dir, t) => [0, 1, 2].map((c) => claimer(dir, `agent-${t}-${c}`))));
  assert.equal(claims.length, 90);
  assert.equal(new Set(claims.map((c) => c.id)).size, 90, "no issue was claimed twice");
  const held = (await bdIn(trees[2], ["list", "--status", "in_progress", "--json", "--limit", "0"])).json();
  assert.equal(held.length, 90);
  for (const c of claims) assert.equal(held.find((i: { id: string }) => i.id === c.id)?.assignee, c.who);
  for (const dir of trees.slice(1)) {
    assert.equal(
      (await bdIn(dir, ["info", "--json"])).json().worktree,
      main,
      "info names the shared database's worktree",
    );
  }
});

Deno.test("6 clones x 3 rounds at 2,500 issues: one bd sync per clone per round, none fails, all converge", async () => {
  const names = ["c1", "c2", "c3", "c4", "c5", "c6"];
  const { dirs } = await clones(names, { issues: 2500 });
  const shared = ((await bdIn(dirs[0], ["list", "--json", "--limit", "3", "--sort", "id"])).json() as { id: string }[])
    .map((i) => i.id);
  let failed = 0;
  let retries = 0;
  for (let round = 0; round < 3; round++) {
    await Promise.all(dirs.map(async (dir, c) => {
      await bdIn(dir, ["create", `round ${round} from ${names[c]}`, "-q"]);
      await bdIn(dir, ["label", "add", shared[round], `r${round}-${names[c]}`]);
      const r = await bd(dir, ["sync", "--json"], { env: gitEnv(dir) });
      if (r.code !== 0) failed++;
      else retries += r.json().push_retries;
    }));
  }
  assert.equal(failed, 0, "no sync failed");
  // One more sync each, in turn, brings every clone the last pushes.
  for (const dir of dirs) await bdIn(dir, ["sync", "--json"]);
  const exports = await Promise.all(dirs.map(async (dir) => (await bdIn(dir, ["export"])).stdout));
  for (const e of exports) assert.equal(e, exports[0], "identical exports");
  const all = (await bdIn(dirs[0], ["list", "--json", "--limit", "0", "--all"])).json() as { title: string }[];
  assert.equal(all.length, 2500 + 18, "nothing lost");
  for (let round = 0; round < 3; round++) {
    const labels = (await bdIn(dirs[3], ["show", shared[round], "--json"])).json()[0].labels as string[];
    for (const n of names) assert.ok(labels.includes(`r${round}-${n}`), `label r${round}-${n}`);
  }
  console.log(`6 clones x 3 rounds: 18 syncs, 0 failed, ${retries} push retries inside sync`);
});

Deno.test("sync pushes to the upstream of a branch named otherwise; a detached HEAD is refused clearly", async () => {
  const { root, dirs: [a] } = await clones(["a"]);
  const b = await clone(root, "b");
  await git(b, "checkout", "-q", "-b", "master", "--track", "origin/main");
  await bdIn(b, ["init", "-q"]);
  await bdIn(b, ["create", "from master", "-q"]);
  const r = (await bdIn(b, ["sync", "--json"])).json();
  assert.ok(r.pushed);
  assert.equal(r.upstream, "origin/main");
  await bdIn(a, ["sync"]);
  assert.ok((await bdIn(a, ["list", "--json"])).json().some((i: { title: string }) => i.title === "from master"));
  await git(b, "checkout", "-q", "--detach");
  const detached = await bd(b, ["sync", "--json"], { env: gitEnv(b) });
  assert.equal(detached.code, 1);
  assert.match(JSON.parse(detached.stderr).error, /HEAD is detached[\s\S]*check one out/);
});

Deno.test("bd sync from a linked worktree syncs the shared file in the main worktree and says so", async () => {
  const { root, dirs: [a] } = await clones(["a"]);
  const wt = join(root, "a-wt");
  await git(a, "worktree", "add", "-q", "-b", "feature", wt);
  await bdIn(wt, ["create", "made in the worktree", "-q"]);
  const r = (await bdIn(wt, ["sync", "--json"])).json();
  assert.ok(r.pushed);
  assert.ok(r.steps.some((s: string) => /linked worktree: syncing the shared .* in the main worktree/.test(s)));
  assert.equal(await git(wt, "log", "--oneline", "main..feature"), "", "nothing committed to the worktree's branch");
  const b = await clone(root, "b");
  await bdIn(b, ["init", "-q"]);
  assert.ok(
    (await bdIn(b, ["list", "--json"])).json().some((i: { title: string }) => i.title === "made in the worktree"),
  );
});

/** git and bd with no bd on PATH: bd is run only by its path, as after an install git cannot find. */
const offPath = (dir: string) => ({ ...gitEnv(dir), PATH: "/usr/bin:/bin" });
const bdOffPath = async (dir: string, args: string[]) => {
  const r = await bd(dir, args, { env: offPath(dir) });
  assert.equal(r.code, 0, `bd ${args.join(" ")}: ${r.stderr}`);
  return r;
};
const gitOffPath = async (dir: string, ...args: string[]) => {
  const r = await new Deno.Command("git", { args, cwd: dir, env: offPath(dir), clearEnv: true }).output();
  const text = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  assert.equal(r.code, 0, `git ${args.join(" ")}: ${text}`);
  return text;
};

Deno.test("with bd off PATH, plain git pull merges issue by issue through the recorded driver, and the hooks run", async () => {
  const root = await Deno.makeTempDir({ prefix: "bd-offpath-" });
  await gitOffPath(root, "init", "-q", "--bare", "-b", "main", "remote.git");
  const [a, b] = [join(root, "a"), join(root, "b")];
  await gitOffPath(root, "clone", "-q", join(root, "remote.git"), "a");
  for (const [dir, name] of [[a, "a"]]) {
    await gitOffPath(dir, "config", "user.name", name);
    await gitOffPath(dir, "config", "user.email", `${name}@example.test`);
  }
  await gitOffPath(a, "checkout", "-q", "-b", "main");
  await bdOffPath(a, ["init", "--prefix", "p", "-q"]);
  await bdOffPath(a, ["create", "first", "-q"]);
  await gitOffPath(a, "add", "-A");
  await gitOffPath(a, "commit", "-q", "-m", "start");
  await gitOffPath(a, "push", "-q", "-u", "origin", "main");
  await gitOffPath(root, "clone", "-q", join(root, "remote.git"), "b");
  await gitOffPath(b, "config", "user.name", "b");
  await gitOffPath(b, "config", "user.email", "b@example.test");
  await bdOffPath(b, ["init", "-q"]);
  await bdOffPath(b, ["hooks", "install"]);
  const driver = (await gitOffPath(b, "config", "--get", "merge.beads.driver")).trim();
  assert.match(driver, /^\/\S*.* merge %A %O %A %B$/, "an absolute path, not plain bd");
  const doctor = (await bdOffPath(b, ["doctor", "--json"])).json();
  assert.ok(doctor.ok, JSON.stringify(doctor.checks));
  assert.deepEqual(
    doctor.checks.filter((c: { name: string }) => ["merge-driver", "hooks"].includes(c.name)).map((
      c: { status: string },
    ) => c.status),
    ["ok", "ok"],
  );

  await bdOffPath(a, ["create", "from a", "-q"]);
  await gitOffPath(a, "commit", "-q", "-am", "a's issue");
  await gitOffPath(a, "push", "-q");
  // B writes without flushing; its pre-commit hook (bd by its path) flushes and stages the file.
  await bdOffPath(b, ["--no-auto-flush", "create", "from b", "-q"]);
  await gitOffPath(b, "commit", "-q", "--allow-empty", "-m", "b's issue");
  assert.match(await gitOffPath(b, "show", "--stat", "HEAD"), /issues\.jsonl/, "the hook staged the JSONL");
  await gitOffPath(b, "pull", "-q", "--no-rebase", "--no-edit");
  const text = Deno.readTextFileSync(join(b, ".beads", "issues.jsonl"));
  assert.doesNotMatch(text, /^(<<<<<<<|=======|>>>>>>>)/m, "no conflict markers");
  const titles = (await bdOffPath(b, ["list", "--json"])).json().map((i: { title: string }) => i.title).sort();
  assert.deepEqual(titles, ["first", "from a", "from b"]);
});

Deno.test("a fresh clone's worktree: the first command builds the shared database in the main worktree from the JSONL", async () => {
  const { root } = await clones(["origin-side"], { issues: 25 });
  const fresh = await clone(root, "fresh"); // no bd init here: a database only the JSONL can give
  const wt = join(root, "fresh-wt");
  await git(fresh, "worktree", "add", "-q", "-b", "agent", wt);
  const r = await bd(wt, ["ready", "--json", "--limit", "0"], { env: gitEnv(wt) });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.json().length > 0);
  assert.match(r.stderr, /built the database .*fresh\/\.beads\/beads\.db, shared by every worktree/);
  assert.ok(Deno.statSync(join(fresh, ".beads", "beads.db")).isFile, "in the main worktree");
  assert.throws(() => Deno.statSync(join(wt, ".beads", "beads.db")), "not in the linked one");
  const where = (await bdIn(wt, ["where", "--json"])).json();
  assert.equal(where.worktree, fresh);
  assert.equal(where.linked_worktree, wt);
});
