/**
 * The single binary alone: copied into an empty directory and run with an empty environment
 * (`env -i` plus only HOME and PATH). Needs BD_BIN (scripts/test builds dist/bd and sets it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";

const BIN = Deno.env.get("BD_BIN");

Deno.test({
  name: "dist/bd works alone in an empty directory with an empty environment (CLI and serve)",
  ignore: !BIN,
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "bd-home-" });
    const work = await Deno.makeTempDir({ prefix: "bd-alone-" });
    const bin = join(work, "bd");
    await Deno.copyFile(BIN!.startsWith("/") ? BIN! : join(ROOT, BIN!), bin);
    await Deno.chmod(bin, 0o755);
    const env = { HOME: home, PATH: "/usr/bin:/bin" };
    const run = async (...args: string[]) => {
      const out = await new Deno.Command("env", {
        args: ["-i", `HOME=${home}`, `PATH=${env.PATH}`, "BD_ACTOR=alone", bin, ...args],
        cwd: work,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, `bd ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
      return stdout;
    };
    assert.match(await run("version"), /^bd version \d+\.\d+\.\d+ \(deno\)\n$/);
    await run("init", "--prefix", "solo");
    const a = JSON.parse(await run("create", "first", "--json")).id;
    const b = JSON.parse(await run("create", "second", "--json")).id;
    assert.equal(JSON.parse(await run("dep", "add", b, a, "--json")).status, "added");
    assert.deepEqual(JSON.parse(await run("ready", "--json")).map((i: { id: string }) => i.id), [a]);
    assert.equal(JSON.parse(await run("show", b, "--json"))[0].dependencies[0].id, a);
    const jsonl = await run("export");
    assert.equal(jsonl.trim().split("\n").length, 2);
    // serve, answering a GraphQL ready query over HTTP on 127.0.0.1
    const child = new Deno.Command("env", {
      args: ["-i", `HOME=${home}`, `PATH=${env.PATH}`, bin, "serve", "--port", "0", "--json"],
      cwd: work,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let line = "";
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        line += value;
      }
      reader.releaseLock();
      const { url } = JSON.parse(line);
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ ready { id } }" }),
      });
      assert.deepEqual(await res.json(), { data: { ready: [{ id: a }] } });
    } finally {
      child.kill("SIGTERM");
      assert.equal((await child.status).code, 0);
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
    }
    // Nothing but the binary and the workspace it made.
    assert.deepEqual([...Deno.readDirSync(work)].map((e) => e.name).sort(), [".beads", "bd"]);
  },
});
