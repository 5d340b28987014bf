/** The everyday commands bd users reach for (issue 12): each with --json and bd's words. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";
import { bdIn, clones, git, gitRun } from "../git_helpers.ts";

Deno.test("defer hides an issue from ready; undefer brings it back; --until in the past wakes it", async () => {
  const dir = await workspace("d");
  const a = await createIssue(dir, "later");
  const ready = async () =>
    (await bdOk(dir, ["ready", "--json", "--limit", "0"])).json().map((i: { id: string }) => i.id);
  assert.equal((await bdOk(dir, ["defer", a, "--until", "+2d"])).stdout.startsWith(`* Deferred ${a} until `), true);
  const [shown] = (await bdOk(dir, ["show", a, "--json"])).json();
  assert.equal(shown.status, "deferred");
  assert.ok(!(await ready()).includes(a));
  assert.equal((await bdOk(dir, ["undefer", a])).stdout, `* Undeferred ${a} (now open)\n`);
  assert.ok((await ready()).includes(a));
  await bdOk(dir, ["defer", a, "--until", "2020-01-01"]);
  assert.ok((await ready()).includes(a), "a defer time that has passed makes it ready again");
  assert.equal((await bdOk(dir, ["show", a, "--json"])).json()[0].status, "open");
  const bad = await bd(dir, ["defer", a, "--until", "someday", "--json"]);
  assert.equal(JSON.parse(bad.stderr).code, "VALIDATION");
});

Deno.test("q prints only the ID; children lists an epic's children; status is stats", async () => {
  const dir = await workspace("q");
  const epic = (await bdOk(dir, ["q", "Big", "epic", "-t", "epic"])).stdout.trim();
  assert.match(epic, /^q-\w+$/);
  assert.equal((await bdOk(dir, ["show", epic, "--json"])).json()[0].title, "Big epic");
  const child = (await bdOk(dir, ["create", "part", "--parent", epic, "--json"])).json().id;
  assert.deepEqual((await bdOk(dir, ["children", epic, "--json"])).json().map((i: { id: string }) => i.id), [child]);
  assert.match((await bdOk(dir, ["children", epic])).stdout, new RegExp(`^○ ${child.replace(".", "\\.")} `));
  assert.deepEqual((await bdOk(dir, ["status", "--json"])).json(), (await bdOk(dir, ["stats", "--json"])).json());
});

Deno.test("edit opens $EDITOR on one field and saves only a change", async () => {
  const dir = await workspace("e");
  const id = await createIssue(dir, "Typo in titel", "-d", "old text");
  const env = { EDITOR: "sed -i s/titel/title/" };
  assert.equal((await bdOk(dir, ["edit", id, "--title"], { env })).stdout, `✓ Updated title for issue: ${id}\n`);
  assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].title, "Typo in title");
  assert.equal((await bdOk(dir, ["edit", id], { env: { EDITOR: "true" } })).stdout, "No changes made\n");
  const r = await bdOk(dir, ["edit", id, "--json"], { env: { EDITOR: "sed -i s/old/new/" } });
  assert.deepEqual(r.json(), { id, field: "description", changed: true });
  assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].description, "new text");
  const failing = await bd(dir, ["edit", id], { env: { EDITOR: "false" } });
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /editor \(false\) failed.*nothing was changed/);
});

Deno.test("dep relate/unrelate, duplicate --of, supersede --with, epic close-eligible", async () => {
  const dir = await workspace("r");
  const [a, b, c] = [await createIssue(dir, "a"), await createIssue(dir, "b"), await createIssue(dir, "c")];
  assert.equal((await bdOk(dir, ["dep", "relate", a, b])).stdout, `✓ Related ${a} ↔ ${b}\n`);
  assert.equal((await bdOk(dir, ["dep", "unrelate", b, a, "--json"])).json().status, "removed");
  assert.equal((await bdOk(dir, ["duplicate", b, "--of", a])).stdout, `✓ Marked ${b} as duplicate of ${a} (closed)\n`);
  assert.equal(
    (await bdOk(dir, ["supersede", c, "--with", a])).stdout,
    `✓ Marked ${c} as superseded by ${a} (closed)\n`,
  );
  const [shownB] = (await bdOk(dir, ["show", b, "--json"])).json();
  assert.equal(shownB.status, "closed");
  assert.equal(shownB.dependencies[0].dependency_type, "duplicates");
  assert.match((await bd(dir, ["duplicate", a, "--of", a])).stderr, /cannot mark an issue as duplicate of itself/);
  assert.match((await bd(dir, ["duplicate", a])).stderr, /required flag\(s\) "of" not set/);
  const epic = await createIssue(dir, "epic", "-t", "epic");
  const child = (await bdOk(dir, ["create", "kid", "--parent", epic, "--json"])).json().id;
  assert.equal((await bdOk(dir, ["epic", "close-eligible"])).stdout, "No epics eligible for closure\n");
  await bdOk(dir, ["close", child]);
  assert.equal((await bdOk(dir, ["epic", "close-eligible", "--dry-run"])).stdout, `Would close ${epic}: epic\n`);
  assert.equal((await bdOk(dir, ["show", epic, "--json"])).json()[0].status, "open");
  assert.deepEqual(
    (await bdOk(dir, ["epic", "close-eligible", "--json"])).json().map((
      i: { id: string; status: string },
    ) => [i.id, i.status]),
    [[epic, "closed"]],
  );
});

Deno.test("lint reports missing template sections with exit 1, and passes complete issues", async () => {
  const dir = await workspace("l");
  const bug = await createIssue(dir, "crash", "-t", "bug", "-d", "## Steps to Reproduce\n1. run it");
  const done = await createIssue(dir, "task", "--acceptance", "it works");
  const r = await bd(dir, ["lint"]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stdout,
    `Template warnings (1 issues, 1 warnings):\n\n${bug} [bug]: crash\n  ⚠ Missing: Acceptance Criteria\n`,
  );
  assert.equal((await bdOk(dir, ["lint", done])).stdout, "✓ No template warnings found (1 issues checked)\n");
  const json = await bd(dir, ["lint", "--json"]);
  assert.deepEqual(JSON.parse(json.stdout), [{
    id: bug,
    issue_type: "bug",
    title: "crash",
    missing: ["Acceptance Criteria"],
  }]);
});

Deno.test("info, where and doctor (drift, stale files, missing merge driver; --fix repairs)", async () => {
  const { dirs: [dir] } = await clones(["a"], { initArgs: ["--skip-merge-driver"] });
  const id = (await bdIn(dir, ["create", "x", "--json"])).json().id;
  const info = (await bdIn(dir, ["info", "--json"])).json();
  assert.equal(info.prefix, "g");
  assert.equal(info.issues, 1);
  assert.equal((await bdIn(dir, ["where"])).stdout, join(dir, ".beads") + "\n");
  Deno.writeTextFileSync(join(dir, ".beads", ".issues.jsonl.123.456.tmp"), "partial");
  await bdIn(dir, ["update", id, "--notes", "n", "--no-auto-flush"]);
  const before = await bd(dir, ["doctor", "--json"], { env: { HOME: dir } });
  const checks = Object.fromEntries(
    JSON.parse(before.stdout).checks.map((c: { name: string; status: string }) => [c.name, c.status]),
  );
  assert.deepEqual(checks, {
    schema: "ok",
    integrity: "ok",
    "stale-files": "warning",
    jsonl: "warning",
    "jsonl-lines": "ok",
    gitignore: "ok",
    dependencies: "ok",
    cycles: "ok",
    statuses: "ok",
    "merge-driver": "warning",
    hooks: "ok",
  });
  const fixed = (await bdIn(dir, ["doctor", "--fix"])).stdout;
  assert.match(fixed, /→ fixed: rewrote issues\.jsonl from the database/);
  assert.match(fixed, /→ fixed: configured \.gitattributes, git config merge\.beads\.driver/);
  assert.match(fixed, /→ fixed: removed 1 temp file/);
  assert.match((await bdIn(dir, ["doctor"])).stdout, /✓ All checks passed/);
});

Deno.test("graph as text, dot and mermaid; list --format dot", async () => {
  const dir = await workspace("gr");
  const a = await createIssue(dir, "base");
  const b = await createIssue(dir, "needs base");
  await bdOk(dir, ["dep", "add", b, a]);
  const text = (await bdOk(dir, ["graph", b])).stdout;
  assert.match(text, new RegExp(`└→ ${a} \\(blocks\\)`));
  const dot = (await bdOk(dir, ["graph", "--format", "dot"])).stdout;
  assert.match(dot, /^digraph bd \{/);
  assert.match(dot, new RegExp(`"${b}" -> "${a}" \\[label="blocks", style=solid\\];`));
  assert.match(
    dot,
    new RegExp(`"${b}" \\[label="${b}\\\\nneeds base", fillcolor="#f7c5c5"\\];`),
    "blocked nodes are red",
  );
  const mermaid = (await bdOk(dir, ["graph", "--format", "mermaid"])).stdout;
  assert.match(mermaid, /^graph TD\n/);
  assert.match(mermaid, /-->\|blocks\|/);
  assert.match((await bdOk(dir, ["list", "--format", "dot"])).stdout, /^digraph bd \{/);
  assert.equal((await bd(dir, ["graph", "--format", "png"])).code, 2);
});

Deno.test("setup writes a delimited AGENTS.md section (and CLAUDE.md when present), idempotently; --check finds drift", async () => {
  const dir = await workspace("s", ["--skip-agents"]); // init would have written AGENTS.md already
  Deno.writeTextFileSync(join(dir, "CLAUDE.md"), "# Project notes\n\nKeep this.\n");
  const first = (await bdOk(dir, ["setup", "--json"])).json();
  assert.deepEqual(first.map((r: { action: string }) => r.action), ["created", "updated"]);
  const agents = Deno.readTextFileSync(join(dir, "AGENTS.md"));
  assert.match(
    agents,
    /<!-- BEGIN BD[^\n]*-->\n## Issue tracking with bd\n[\s\S]*bd ready --json[\s\S]*<!-- END BD -->\n$/,
  );
  assert.match(Deno.readTextFileSync(join(dir, "CLAUDE.md")), /^# Project notes\n\nKeep this\.\n\n<!-- BEGIN BD/);
  assert.deepEqual((await bdOk(dir, ["onboard", "--json"])).json().map((r: { action: string }) => r.action), [
    "unchanged",
    "unchanged",
  ]);
  assert.equal((await bdOk(dir, ["setup", "--check"])).code, 0);
  Deno.writeTextFileSync(join(dir, "AGENTS.md"), agents.replace("bd ready --json", "bd ready"));
  assert.equal((await bd(dir, ["setup", "--check"])).code, 1);
  await bdOk(dir, ["setup"]);
  assert.equal(Deno.readTextFileSync(join(dir, "AGENTS.md")), agents);
});

Deno.test("hooks: chained with an existing hook; pre-commit stages issues.jsonl only; post-merge imports", async () => {
  const { root, dirs: [a, b] } = await clones(["a", "b"], { initArgs: ["--skip-hooks"] });
  assert.deepEqual((await bdIn(a, ["hooks", "list", "--json"])).json().map((h: { state: string }) => h.state), [
    "none",
    "none",
    "none",
  ], "init --skip-hooks installed none");
  const existing = join(a, ".git", "hooks", "pre-commit");
  Deno.writeTextFileSync(existing, `#!/bin/sh\necho ran > "${join(root, "old-hook-ran")}"\n`, { mode: 0o755 });
  const states = (await bdIn(a, ["hooks", "install", "--json"])).json();
  assert.deepEqual(states.map((h: { state: string; chained: boolean }) => [h.state, h.chained]), [["installed", true], [
    "installed",
    false,
  ], ["installed", false]]);
  await bdIn(a, ["create", "in db only", "--no-auto-flush"]);
  Deno.writeTextFileSync(join(a, "other.txt"), "not staged by bd\n");
  Deno.writeTextFileSync(join(a, "README.md"), "readme\n");
  await git(a, "add", "README.md");
  const commit = await gitRun(a, "commit", "-q", "-m", "readme");
  assert.equal(commit.code, 0, commit.out);
  assert.ok(Deno.statSync(join(root, "old-hook-ran")).isFile, "the existing hook ran first");
  const files = await git(a, "show", "--name-only", "--format=", "HEAD");
  assert.deepEqual(files.split("\n").sort(), [".beads/issues.jsonl", "README.md"]);
  assert.match(await git(a, "status", "--porcelain"), /\?\? other\.txt/);
  await git(a, "push", "-q");
  await bdIn(b, ["hooks", "install"]);
  await git(b, "pull", "-q", "--no-rebase", "--no-edit");
  assert.deepEqual(
    (await bdIn(b, ["list", "--json", "--no-auto-import"])).json().map((i: { title: string }) => i.title).filter((
      t: string,
    ) => t === "in db only"),
    ["in db only"],
    "post-merge imported",
  );
  const removed = (await bdIn(a, ["hooks", "uninstall", "--json"])).json();
  assert.deepEqual(removed.map((h: { state: string }) => h.state), ["other", "none", "none"]);
  assert.match(Deno.readTextFileSync(existing), /old-hook-ran/, "the previous hook is back");
});

Deno.test("orphans: open issues that commit messages mention", async () => {
  const { dirs: [dir] } = await clones(["a"]);
  const done = (await bdIn(dir, ["create", "done in code", "--json"])).json().id;
  const closed = (await bdIn(dir, ["create", "closed", "--json"])).json().id;
  await bdIn(dir, ["close", closed]);
  Deno.writeTextFileSync(join(dir, "f.txt"), "x\n");
  await git(dir, "add", "f.txt");
  await git(dir, "commit", "-q", "-m", `Implement it (${done}, ${closed})`);
  assert.deepEqual((await bdIn(dir, ["orphans", "--json"])).json().map((i: { id: string }) => i.id), [done]);
  assert.match(
    (await bdIn(dir, ["orphans"])).stdout,
    new RegExp(`Found 1 orphaned issue\\(s\\):\\n\\n1\\. ${done}: done in code\\n   Status: open`),
  );
});

Deno.test("init configures the merge driver in a git repository, but not for a workspace git ignores", async () => {
  const { root } = await clones(["a"]);
  const repo = join(root, "a");
  assert.match(Deno.readTextFileSync(join(repo, ".gitattributes")), /^\.beads\/issues\.jsonl merge=beads$/m);
  const driver = await git(repo, "config", "--get", "merge.beads.driver");
  assert.match(driver, /^\S.* merge %A %O %A %B$/);
  assert.doesNotMatch(driver, /^bd merge/, "the shim on PATH is not this program: the path is recorded");
  const other = await Deno.makeTempDir();
  await git(other, "init", "-q");
  Deno.writeTextFileSync(join(other, ".gitignore"), "scratch/\n");
  await Deno.mkdir(join(other, "scratch"));
  const r = (await bdIn(join(other, "scratch"), ["init", "--prefix", "s", "--json"])).json();
  assert.equal(r.merge_driver, null);
  assert.equal((await gitRun(other, "config", "--get", "merge.beads.driver")).code, 1);
  assert.throws(() => Deno.statSync(join(other, ".gitattributes")));
});

Deno.test("bd merge: exit 0 and a merged file; malformed input: exit 1, a report naming the line, OUTPUT untouched", async () => {
  const dir = await Deno.makeTempDir();
  const line = (id: string, title: string, at: string) =>
    JSON.stringify({ id, title, status: "open", priority: 2, issue_type: "task", created_at: at, updated_at: at });
  Deno.writeTextFileSync(join(dir, "base"), line("m-1", "base", "2026-01-01T00:00:00Z") + "\n");
  Deno.writeTextFileSync(join(dir, "ours"), line("m-1", "ours", "2026-01-02T00:00:00Z") + "\n");
  Deno.writeTextFileSync(
    join(dir, "theirs"),
    line("m-1", "base", "2026-01-01T00:00:00Z") + "\n" + line("m-2", "new", "2026-01-03T00:00:00Z") + "\n",
  );
  const ok = await bd(dir, ["merge", "ours", "base", "ours", "theirs"]);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, "", "silent like bd's");
  const merged = Deno.readTextFileSync(join(dir, "ours")).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(merged.map((o) => [o.id, o.title]), [["m-1", "ours"], ["m-2", "new"]]);
  Deno.writeTextFileSync(join(dir, "bad"), "{not json\n");
  const before = Deno.readTextFileSync(join(dir, "ours"));
  const bad = await bd(dir, ["merge", "ours", "base", "ours", "bad", "--json"]);
  assert.equal(bad.code, 1);
  assert.match(JSON.parse(bad.stderr).error, /right, line 1: invalid JSON/);
  assert.equal(Deno.readTextFileSync(join(dir, "ours")), before);
  assert.equal((await bd(dir, ["merge", "a", "b"])).code, 2);
});
