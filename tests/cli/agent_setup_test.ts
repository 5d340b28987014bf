/** bd setup claude and bd prime --hook-json: Claude Code's SessionStart hook, from any install. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, workspace } from "../helpers.ts";

const settingsOf = (dir: string) => JSON.parse(Deno.readTextFileSync(join(dir, ".claude", "settings.json")));
const commandsOf = (settings: { hooks?: { SessionStart?: { hooks: { command: string }[] }[] } }) =>
  (settings.hooks?.SessionStart ?? []).flatMap((e) => e.hooks.map((h) => h.command));

Deno.test("bd setup claude adds the SessionStart hook, keeps every other setting, and changes nothing the second time", async () => {
  const dir = await workspace();
  await bdOk(dir, ["remember", "always run the tests", "--key", "tests"]);
  Deno.mkdirSync(join(dir, ".claude"));
  const mine = {
    model: "opus",
    permissions: { allow: ["Bash(ls)"] },
    hooks: {
      SessionStart: [{ matcher: "", hooks: [{ type: "command", command: "echo mine" }] }],
      Stop: [{ matcher: "", hooks: [{ type: "command", command: "echo stop" }] }],
    },
  };
  Deno.writeTextFileSync(join(dir, ".claude", "settings.json"), JSON.stringify(mine));
  assert.equal((await bdOk(dir, ["setup", "claude", "--json"])).json().files[0].action, "updated");
  const once = Deno.readTextFileSync(join(dir, ".claude", "settings.json"));
  assert.equal((await bdOk(dir, ["setup", "claude", "--json"])).json().files[0].action, "unchanged");
  assert.equal(Deno.readTextFileSync(join(dir, ".claude", "settings.json")), once, "byte for byte the same");
  const s = settingsOf(dir);
  assert.equal(s.model, "opus");
  assert.deepEqual(s.permissions, mine.permissions);
  assert.deepEqual(s.hooks.Stop, mine.hooks.Stop);
  const [theirs, ours] = commandsOf(s);
  assert.equal(theirs, "echo mine");
  assert.match(ours, /^\S.* prime --hook-json$/);
  assert.doesNotMatch(ours, /^bd /, "the shim on PATH is not this program: its path is recorded");
  // The hook runs from Claude's shell with bd off PATH, and prints the envelope with the memories.
  const run = await new Deno.Command("sh", {
    args: ["-c", ours],
    cwd: dir,
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      HOME: dir,
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  const envelope = JSON.parse(new TextDecoder().decode(run.stdout));
  assert.equal(envelope.hookSpecificOutput.hookEventName, "SessionStart");
  assert.match(envelope.hookSpecificOutput.additionalContext, /bd workflow primer[\s\S]*always run the tests/);
  assert.equal((await bd(dir, ["setup", "claude", "--check"])).code, 0);
});

Deno.test("bd setup claude: --check finds a bd that moved, a new run replaces it, --remove takes it out, --print writes nothing", async () => {
  const dir = await workspace();
  assert.equal((await bd(dir, ["setup", "claude", "--check"])).code, 1, "not installed yet");
  const printed = (await bdOk(dir, ["setup", "claude", "--print", "--json"])).json();
  assert.equal(printed.files[0].action, "created");
  assert.match(printed.files[0].command, /prime --hook-json$/);
  assert.throws(() => Deno.statSync(join(dir, ".claude")), "--print wrote nothing");
  Deno.mkdirSync(join(dir, ".claude"));
  const stale = {
    hooks: { SessionStart: [{ matcher: "", hooks: [{ type: "command", command: "/gone/bd prime --hook-json" }] }] },
  };
  Deno.writeTextFileSync(join(dir, ".claude", "settings.json"), JSON.stringify(stale));
  const check = await bd(dir, ["setup", "claude", "--check"]);
  assert.equal(check.code, 1);
  assert.match(check.stdout, /drift \(\/gone\/bd prime --hook-json\)/);
  await bdOk(dir, ["setup", "claude"]);
  const commands = commandsOf(settingsOf(dir));
  assert.equal(commands.length, 1, "the moved bd's hook was replaced, not kept beside");
  assert.notEqual(commands[0], "/gone/bd prime --hook-json");
  assert.equal((await bdOk(dir, ["setup", "claude", "--remove", "--json"])).json().files[0].action, "removed");
  assert.deepEqual(commandsOf(settingsOf(dir)), []);
  const home = await Deno.makeTempDir();
  await bdOk(dir, ["setup", "claude", "--global"], { env: { HOME: home } });
  assert.equal(commandsOf(JSON.parse(Deno.readTextFileSync(join(home, ".claude", "settings.json")))).length, 1);
  const list = (await bdOk(dir, ["setup", "--list", "--json"])).json().map((r: { name: string }) => r.name);
  assert.deepEqual(list, ["agents", "claude", "gemini", "codex", "factory", "cursor", "copilot", "aider", "mcp"]);
  const broken = join(dir, ".claude", "settings.json");
  Deno.writeTextFileSync(broken, "{not json");
  const refused = await bd(dir, ["setup", "claude"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /not a JSON object/);
  assert.equal(Deno.readTextFileSync(broken), "{not json", "left as it was");
});

Deno.test("bd setup recipes: gemini, codex, factory, cursor, copilot and aider write what those agents read, idempotently, and --remove takes it out", async () => {
  const dir = await workspace("r", ["--skip-agents"]);
  const read = (f: string) => Deno.readTextFileSync(join(dir, f));
  const files = async (recipe: string) =>
    (await bdOk(dir, ["setup", recipe, "--json"])).json().files.map((f: { file: string; action: string }) => [
      f.file.slice(dir.length + 1),
      f.action,
    ]);
  assert.deepEqual(await files("codex"), [["AGENTS.md", "created"]]);
  assert.deepEqual(await files("factory"), [["AGENTS.md", "unchanged"]]);
  assert.deepEqual(await files("cursor"), [[".cursor/rules/beads.mdc", "created"]]);
  assert.match(read(".cursor/rules/beads.mdc"), /^---\nalwaysApply: true\n---\n\n<!-- BEGIN BD/);
  Deno.mkdirSync(join(dir, ".github"));
  Deno.writeTextFileSync(join(dir, ".github", "copilot-instructions.md"), "# Ours\n\nUse tabs.\n");
  assert.deepEqual(await files("copilot"), [[".github/copilot-instructions.md", "updated"]]);
  assert.match(read(".github/copilot-instructions.md"), /^# Ours\n\nUse tabs\.\n\n<!-- BEGIN BD/);
  assert.deepEqual(await files("aider"), [[".aider/BEADS.md", "created"], [".aider.conf.yml", "created"]]);
  assert.match(read(".aider.conf.yml"), /read:\n {2}- \.aider\/BEADS\.md/);
  assert.deepEqual(await files("gemini"), [[".gemini/settings.json", "created"]]);
  assert.match(JSON.parse(read(".gemini/settings.json")).hooks.SessionStart[0].hooks[0].command, /prime --hook-json$/);
  for (const r of ["codex", "cursor", "copilot", "aider", "gemini"]) {
    assert.equal((await bd(dir, ["setup", r, "--check"])).code, 0, `${r} is current`);
    assert.ok(
      (await files(r)).every(([, action]: string[]) => action === "unchanged"),
      `${r}: a second run changes nothing`,
    );
  }
  await bdOk(dir, ["setup", "copilot", "--remove"]);
  assert.equal(read(".github/copilot-instructions.md"), "# Ours\n\nUse tabs.\n", "only bd's section went");
  await bdOk(dir, ["setup", "aider", "--remove"]);
  assert.throws(() => Deno.statSync(join(dir, ".aider.conf.yml")));
  Deno.writeTextFileSync(join(dir, ".aider.conf.yml"), "model: gpt\n");
  const mine = await bd(dir, ["setup", "aider"]);
  assert.equal(mine.code, 1, "a config of the user's own is not rewritten");
  assert.match(mine.stderr, /add '\.aider\/BEADS\.md' under its read: list/);
  assert.equal(read(".aider.conf.yml"), "model: gpt\n");
  assert.equal((await bd(dir, ["setup", "cursor", "--global"])).code, 2);
  assert.equal((await bd(dir, ["setup", "copilot", "--check"])).code, 1, "removed: not current");
});

Deno.test("bd setup claude adds a PostToolUse heartbeat that renews the agent's leases from any shell, and tells it of a lost claim", async () => {
  const dir = await workspace();
  await bdOk(dir, ["setup", "claude"]);
  const s = settingsOf(dir);
  const beat = s.hooks.PostToolUse[0].hooks[0].command as string;
  assert.match(beat, /^\S.* heartbeat --hook-json$/);
  const hook = async (actor: string) => {
    const out = await new Deno.Command("sh", {
      args: ["-c", beat],
      cwd: dir,
      clearEnv: true,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: dir,
        BD_ACTOR: actor,
        ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = out.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify({ hook_event_name: "PostToolUse", tool_name: "Bash" })));
    await w.close();
    const r = await out.output();
    return { code: r.code, stdout: new TextDecoder().decode(r.stdout), stderr: new TextDecoder().decode(r.stderr) };
  };
  assert.deepEqual(await hook("agent"), { code: 0, stdout: "", stderr: "" }, "no lease: nothing to say");
  const id = (await bdOk(dir, ["create", "long job", "--json"])).json().id;
  const first = (await bdOk(dir, ["update", id, "--claim", "--lease", "2s", "--json"], { env: { BD_ACTOR: "agent" } }))
    .json()[0].lease_expires_at;
  await new Promise((r) => setTimeout(r, 1200));
  assert.deepEqual(await hook("agent"), { code: 0, stdout: "", stderr: "" });
  const renewed = (await bdOk(dir, ["show", id, "--json"])).json()[0].lease_expires_at;
  assert.ok(Date.parse(renewed) > Date.parse(first) + 1000, `the tool call renewed the lease: ${first} → ${renewed}`);
  await new Promise((r) => setTimeout(r, 2300));
  await bdOk(dir, ["update", id, "--claim", "--lease", "1h"], { env: { BD_ACTOR: "other" } });
  const told = await hook("agent");
  assert.equal(told.code, 0, "never fails the tool call");
  const envelope = JSON.parse(told.stdout);
  assert.equal(envelope.hookSpecificOutput.hookEventName, "PostToolUse");
  assert.match(
    envelope.hookSpecificOutput.additionalContext,
    new RegExp(`claim on ${id} lapsed and other took it over`),
  );
  assert.equal((await bd(dir, ["setup", "claude", "--check"])).code, 0);
});
