/** bd completion: scripts generated from the command table; the bash one is run in bash. */
import assert from "node:assert/strict";
import { bd, bdOk, workspace } from "../helpers.ts";

async function complete(script: string, words: string[]): Promise<string[]> {
  const file = await Deno.makeTempFile({ suffix: ".bash" });
  await Deno.writeTextFile(file, script);
  const set = `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}`;
  const out = await new Deno.Command("bash", {
    args: ["-c", `source '${file}'; ${set}; _bd; printf '%s\\n' "\${COMPREPLY[@]}"`],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean).sort();
}

Deno.test("bd completion bash completes commands, subcommands and each command's flags (run in bash)", async () => {
  const dir = await workspace();
  const script = (await bdOk(dir, ["completion", "bash"])).stdout;
  assert.deepEqual(await complete(script, ["bd", "tri"]), ["triage"]);
  assert.deepEqual(await complete(script, ["bd", "dep", "a"]), ["add"]);
  assert.deepEqual(await complete(script, ["bd", "dep", "add", "--ty"]), ["--type"]);
  assert.deepEqual(await complete(script, ["bd", "close", "--suggest"]), ["--suggest-next"]);
  assert.deepEqual(await complete(script, ["bd", "done", "--claim"]), ["--claim-next"], "aliases too");
  assert.ok((await complete(script, ["bd", "list", "--"])).includes("--json"), "global flags everywhere");
});

Deno.test("bd completion zsh, fish and powershell name every command; an unknown shell is a usage error", async () => {
  const dir = await workspace();
  const help = (await bdOk(dir, ["--help"])).stdout;
  const commands = [...help.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]).filter((c) => c !== "bd");
  assert.ok(commands.length > 40);
  const zsh = (await bdOk(dir, ["completion", "zsh"])).stdout;
  assert.match(zsh, /^#compdef bd\n/);
  assert.match(zsh, /bashcompinit/);
  const fish = (await bdOk(dir, ["completion", "fish"])).stdout;
  const ps = (await bdOk(dir, ["completion", "powershell"])).stdout;
  for (const c of commands) {
    assert.match(fish, new RegExp(`-a ${c}\\b`), `fish: ${c}`);
    assert.match(ps, new RegExp(`'${c}'`), `powershell: ${c}`);
  }
  assert.match(fish, /-l suggest-next -d/);
  const bad = await bd(dir, ["completion", "tcsh"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown shell "tcsh": use bash, zsh, fish, powershell/);
});
