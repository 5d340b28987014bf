// deno-lint-ignore-file no-regex-spaces -- bd's layouts align columns with runs of spaces
import assert from "node:assert/strict";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

Deno.test("init creates .beads/<prefix>.db, issues.jsonl and a .gitignore for the database files", async () => {
  const dir = await Deno.makeTempDir();
  const r = await bdOk(dir, ["init", "--prefix", "myapp"]);
  assert.match(r.stdout, /✓ bd initialized successfully!\n\n  Backend: sqlite\n  Database: .*\n  Issue prefix: /);
  const names = [...Deno.readDirSync(`${dir}/.beads`)].map((e) => e.name).sort();
  assert.ok(names.includes("myapp.db"));
  assert.ok(names.includes("issues.jsonl"));
  const gi = await Deno.readTextFile(`${dir}/.beads/.gitignore`);
  for (const p of ["*.db", "*.db-wal", "*.db-shm"]) assert.ok(gi.includes(p));
  const again = await bd(dir, ["init", "--prefix", "myapp", "--json"]);
  assert.equal(again.code, 1);
  assert.equal(JSON.parse(again.stderr.trim()).code, "CONFLICT");
});

Deno.test("init without --prefix names the database beads.db and takes the prefix from the directory", async () => {
  const parent = await Deno.makeTempDir();
  const dir = `${parent}/My Project`;
  await Deno.mkdir(dir);
  await bdOk(dir, ["init"]);
  assert.ok(Deno.statSync(`${dir}/.beads/beads.db`).isFile);
  assert.match(await createIssue(dir, "x"), /^my-project-[0-9a-z]{3}$/);
});

Deno.test("init --sequential numbers issues prefix-1, prefix-2", async () => {
  const dir = await workspace("seq", ["--sequential"]);
  assert.equal(await createIssue(dir, "one"), "seq-1");
  assert.equal(await createIssue(dir, "two"), "seq-2");
});

Deno.test("discovery walks up from a subdirectory; --db, BEADS_DIR and BEADS_DB choose explicitly", async () => {
  const dir = await workspace("walk");
  const id = await createIssue(dir, "found me");
  await Deno.mkdir(`${dir}/a/b/c`, { recursive: true });
  assert.equal((await bdOk(`${dir}/a/b/c`, ["show", id, "--json"])).json()[0].title, "found me");
  const elsewhere = await Deno.makeTempDir();
  assert.equal((await bdOk(elsewhere, ["--db", `${dir}/.beads/walk.db`, "show", id, "--json"])).json()[0].id, id);
  assert.equal(
    (await bdOk(elsewhere, ["show", id, "--json"], { env: { BEADS_DIR: `${dir}/.beads` } })).json()[0].id,
    id,
  );
  assert.equal(
    (await bdOk(elsewhere, ["show", id, "--json"], { env: { BEADS_DB: `${dir}/.beads/walk.db` } })).json()[0].id,
    id,
  );
  // BEADS_DB with init creates the database at that path.
  const target = `${elsewhere}/custom/place.db`;
  await Deno.mkdir(`${elsewhere}/custom`);
  await bdOk(elsewhere, ["init", "--prefix", "env"], { env: { BEADS_DB: target } });
  assert.ok(Deno.statSync(target).isFile);
});

Deno.test("global flags work before and after the command, as --flag=value and --flag value", async () => {
  const dir = await workspace();
  const a = (await bdOk(dir, ["--json", "--actor", "ann", "create", "one"])).json();
  assert.equal(a.created_by, "ann");
  const b = (await bdOk(dir, ["create", "two", "--actor=bob", "--json"])).json();
  assert.equal(b.created_by, "bob");
  const q = await bdOk(dir, ["-q", "list", "--limit", "1"]);
  assert.equal(q.stderr, "");
  const sandbox = await bdOk(dir, ["create", "three", "--sandbox", "--json"]);
  const jsonl = await Deno.readTextFile(`${dir}/.beads/issues.jsonl`);
  assert.ok(!jsonl.includes(sandbox.json().id), "--sandbox does not flush");
  await bdOk(dir, ["create", "four", "--no-auto-flush"]);
  assert.equal((await Deno.readTextFile(`${dir}/.beads/issues.jsonl`)).trim().split("\n").length, 2);
  await bdOk(dir, ["create", "five"]);
  assert.equal((await Deno.readTextFile(`${dir}/.beads/issues.jsonl`)).trim().split("\n").length, 5);
});

Deno.test("the actor comes from --actor, BD_ACTOR, BEADS_ACTOR, git user.name, USER, then unknown", async () => {
  const dir = await workspace();
  const created = async (env: Record<string, string>, extra: string[] = []) =>
    (await bdOk(dir, ["create", "x", "--json", ...extra], { env })).json().created_by;
  assert.equal(await created({ BD_ACTOR: "bd-actor", BEADS_ACTOR: "beads-actor" }), "bd-actor");
  assert.equal(await created({ BD_ACTOR: "", BEADS_ACTOR: "beads-actor" }), "beads-actor");
  assert.equal(await created({ BD_ACTOR: "" }, ["--actor", "flag"]), "flag");
  const home = await Deno.makeTempDir();
  await Deno.writeTextFile(`${home}/.gitconfig`, "[user]\n\tname = Git Person\n");
  assert.equal(await created({ BD_ACTOR: "", HOME: home, USER: "u" }), "Git Person");
  const empty = await Deno.makeTempDir();
  assert.equal(await created({ BD_ACTOR: "", HOME: empty, USER: "plainuser", GIT_CONFIG_NOSYSTEM: "1" }), "plainuser");
  assert.equal(await created({ BD_ACTOR: "", HOME: empty, GIT_CONFIG_NOSYSTEM: "1" }), "unknown");
});

Deno.test("help is generated from the command table", async () => {
  const dir = await Deno.makeTempDir();
  const main = await bdOk(dir, ["--help"]);
  // cobra's layout, which scripts grep (the npm package's own test looks for "Available Commands:").
  assert.match(
    main.stdout,
    /^Issues chained together like beads\..*\n\nUsage:\n  bd \[flags\]\n  bd \[command\]\n\nAvailable Commands:\n/,
  );
  for (const c of ["create", "ready", "dep", "label", "serve", "quickstart", "merge", "remember"]) {
    assert.match(main.stdout, new RegExp(`\n  ${c} +\\S`), c);
  }
  assert.match(main.stdout, /\nWorking With Issues:\n/);
  assert.match(main.stdout, /\nFlags:\n.*--json/s);
  assert.match(main.stdout, /\nUse "bd \[command\] --help" for more information about a command\.\n$/);
  const one = await bdOk(dir, ["ready", "--help"]);
  assert.match(one.stdout, /\nUsage:\n  bd ready \[flags\]\n/);
  assert.match(one.stdout, /\nFlags:\n  -h, --help +help for ready\n/);
  assert.match(one.stdout, /--claim/);
  assert.match(one.stdout, /--sort KEY/);
  assert.match(one.stdout, /\nGlobal Flags:\n/);
  const create = (await bdOk(dir, ["help", "create"])).stdout;
  assert.match(
    create,
    /\nUsage:\n  bd create \[TITLE\] \[flags\]\n\nAliases:\n  create, new\n\nExamples:\n  bd create /,
  );
  assert.match(
    (await bdOk(dir, ["dep", "--help"])).stdout,
    /Usage:\n  bd dep \[command\]\n\nAvailable Commands:\n  add /,
  );
});

Deno.test("version, quickstart and prime need no workspace", async () => {
  const dir = await Deno.makeTempDir();
  assert.match((await bdOk(dir, ["version"])).stdout, /^bd version \d+\.\d+\.\d+ \(deno\)\n$/);
  assert.match((await bdOk(dir, ["quickstart"])).stdout, /bd init/);
  assert.match((await bdOk(dir, ["prime"])).stdout, /bd ready --json/);
});
