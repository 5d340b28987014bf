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
  assert.equal((await bdOk(dir, ["setup", "claude", "--json"])).json().action, "installed");
  const once = Deno.readTextFileSync(join(dir, ".claude", "settings.json"));
  assert.equal((await bdOk(dir, ["setup", "claude", "--json"])).json().action, "unchanged");
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
  assert.match(printed.hooks.SessionStart[0].hooks[0].command, /prime --hook-json$/);
  assert.throws(() => Deno.statSync(join(dir, ".claude")), "--print wrote nothing");
  Deno.mkdirSync(join(dir, ".claude"));
  const stale = {
    hooks: { SessionStart: [{ matcher: "", hooks: [{ type: "command", command: "/gone/bd prime --hook-json" }] }] },
  };
  Deno.writeTextFileSync(join(dir, ".claude", "settings.json"), JSON.stringify(stale));
  const check = await bd(dir, ["setup", "claude", "--check"]);
  assert.equal(check.code, 1);
  assert.match(check.stdout, /not there any more/);
  await bdOk(dir, ["setup", "claude"]);
  const commands = commandsOf(settingsOf(dir));
  assert.equal(commands.length, 1, "the moved bd's hook was replaced, not kept beside");
  assert.notEqual(commands[0], "/gone/bd prime --hook-json");
  assert.equal((await bdOk(dir, ["setup", "claude", "--remove", "--json"])).json().action, "removed");
  assert.deepEqual(commandsOf(settingsOf(dir)), []);
  const home = await Deno.makeTempDir();
  await bdOk(dir, ["setup", "claude", "--global"], { env: { HOME: home } });
  assert.equal(commandsOf(JSON.parse(Deno.readTextFileSync(join(home, ".claude", "settings.json")))).length, 1);
  const list = (await bdOk(dir, ["setup", "--list", "--json"])).json().map((r: { name: string }) => r.name);
  assert.deepEqual(list, ["agents", "claude", "mcp"]);
  const broken = join(dir, ".claude", "settings.json");
  Deno.writeTextFileSync(broken, "{not json");
  const refused = await bd(dir, ["setup", "claude"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /not a JSON object/);
  assert.equal(Deno.readTextFileSync(broken), "{not json", "left as it was");
});
