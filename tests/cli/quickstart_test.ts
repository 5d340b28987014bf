import assert from "node:assert/strict";
import { join } from "node:path";
import { bdCommand, bdOk } from "../helpers.ts";

Deno.test("the quickstart walkthrough runs as written in a shell", async () => {
  const home = await Deno.makeTempDir();
  const text = (await bdOk(home, ["quickstart"])).stdout;
  const commands = text.split("\n").filter((l) => l.startsWith("     ")).map((l) => l.trim());
  assert.ok(commands.length >= 12, "the walkthrough has its command lines");
  const bin = await Deno.makeTempDir();
  const quoted = bdCommand().map((p) => `'${p.replaceAll("'", "'\\''")}'`).join(" ");
  await Deno.writeTextFile(join(bin, "bd"), `#!/bin/sh\nexec ${quoted} "$@"\n`);
  await Deno.chmod(join(bin, "bd"), 0o755);
  const out = await new Deno.Command("bash", {
    args: ["-e", "-c", commands.join("\n")],
    cwd: home,
    env: {
      PATH: `${bin}:${Deno.env.get("PATH")}`,
      HOME: home,
      NO_COLOR: "1",
      BD_ACTOR: "newcomer",
      GIT_AUTHOR_NAME: "newcomer",
      GIT_AUTHOR_EMAIL: "newcomer@example.test",
      GIT_COMMITTER_NAME: "newcomer",
      GIT_COMMITTER_EMAIL: "newcomer@example.test",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(stdout, /Added dependency: demo-\w+ depends on demo-\w+/);
  assert.match(stdout, /✓ Closed demo-\w+: Done/);
  assert.match(stdout, /Committed \.beads\/issues\.jsonl/);
  const log = await new Deno.Command("git", { args: ["log", "--oneline"], cwd: join(home, "bd-demo"), stdout: "piped" })
    .output();
  assert.match(new TextDecoder().decode(log.stdout), /bd sync/);
});
