/**
 * The single binary alone: copied into an empty directory and run with an empty environment
 * (`env -i` plus only HOME and PATH). Needs BD_BIN (scripts/test builds dist/bd and sets it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { baseEnv, ROOT } from "../helpers.ts";

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
      // The web UI and GraphiQL come from files embedded in the binary (not from the source tree).
      const base = new URL("/", url);
      const page = async (path: string, accept = "*/*") => {
        const r = await fetch(new URL(path, base), { headers: { accept } });
        assert.equal(r.status, 200, path);
        return { type: r.headers.get("content-type") ?? "", text: await r.text() };
      };
      assert.match((await page("/")).text, /<script type="module" src="\/app.js">/);
      const js = await page("/app.js");
      assert.match(js.type, /javascript/);
      assert.equal(js.text, Deno.readTextFileSync(join(ROOT, "src", "web", "assets", "app.js")));
      assert.equal((await page("/app.css")).text, Deno.readTextFileSync(join(ROOT, "src", "web", "assets", "app.css")));
      assert.match((await page("/graphql", "text/html")).text, /<title>bd GraphQL<\/title>/);
    } finally {
      child.kill("SIGTERM");
      assert.equal((await child.status).code, 0);
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
    }
    // Nothing but the binary, the workspace it made and init's agent instructions.
    assert.deepEqual([...Deno.readDirSync(work)].map((e) => e.name).sort(), [".beads", "AGENTS.md", "bd"]);
  },
});

Deno.test({
  name: "dist/bd and bd from source share a workspace without either re-importing what the other wrote",
  ignore: !BIN,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bd-mixed-" });
    const bin = BIN!.startsWith("/") ? BIN! : join(ROOT, BIN!);
    const source = [
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      "--config",
      join(ROOT, "deno.json"),
      join(ROOT, "main.ts"),
    ];
    const run = async (cmd: string[], ...args: string[]) => {
      const out = await new Deno.Command(cmd[0], {
        args: [...cmd.slice(1), ...args],
        cwd: dir,
        env: baseEnv(),
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, `bd ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    };
    // The recorded JSONL state, and whether an import has hashed the file since the last flush.
    const state = () => {
      const db = new DatabaseSync(join(dir, ".beads", "mix.db"), { readOnly: true });
      try {
        const get = (k: string) =>
          (db.prepare("SELECT value FROM metadata WHERE key = ?").get(k) as { value: string } | undefined)?.value;
        return { stat: get("jsonl_stat"), hash: get("jsonl_hash") };
      } finally {
        db.close();
      }
    };
    await run([bin], "init", "--prefix", "mix", "--quiet");
    for (const [writer, reader] of [[[bin], source], [source, [bin]]]) {
      await run(writer, "create", "written by one runtime", "--silent");
      const written = state();
      assert.equal(written.hash, "", "a flush records the stat only");
      await run(reader, "list", "--json");
      assert.deepEqual(state(), written, "the other runtime saw the file unchanged and did not import it");
    }
  },
});

Deno.test({
  name: "dist/bd ignores the .env and bunfig.toml of the directory it runs in (no foreign code, no hidden settings)",
  ignore: !BIN,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bd-untrusted-" });
    const bin = BIN!.startsWith("/") ? BIN! : join(ROOT, BIN!);
    const run = async (...args: string[]) => {
      const out = await new Deno.Command(bin, {
        args,
        cwd: dir,
        env: { ...baseEnv(), BD_ACTOR: "the-user" },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
      };
    };
    assert.equal((await run("init", "--prefix", "u", "--quiet")).code, 0);
    // What a cloned repository may hold: a bunfig.toml that preloads its own code, a .env.
    await Deno.writeTextFile(join(dir, "bunfig.toml"), 'preload = ["./preload.js"]\n');
    await Deno.writeTextFile(join(dir, "preload.js"), 'console.error("PRELOAD RAN"); process.exit(42);\n');
    await Deno.writeTextFile(join(dir, ".env"), "BD_ACTOR=someone-else\nBEADS_DB=/nonexistent/other.db\n");
    const created = await run("create", "made here", "--json");
    assert.equal(created.code, 0, created.stderr);
    assert.doesNotMatch(created.stderr, /PRELOAD RAN/);
    assert.equal(JSON.parse(created.stdout).created_by, "the-user");
  },
});
