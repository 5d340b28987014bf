/**
 * The npm packages of the release, built around dist/bd (the linux-x64 binary) and installed from
 * their `npm pack` tarballs with `npm install -g --prefix` into an empty directory, offline: with
 * install scripts (bd is the binary itself) and with --ignore-scripts (the sh launcher runs it).
 * Either way `bd` runs with only the prefix's bin on PATH, and the merge driver it records keeps
 * working after an `npm update` to a newer version. Needs BD_BIN (scripts/test sets it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";
import { NPM_NAME, writePackages } from "../../scripts/release_lib.ts";

const BIN = Deno.env.get("BD_BIN");

async function sh(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = await new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    ...(opts.env ? { env: opts.env, clearEnv: true } : {}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout), err = new TextDecoder().decode(r.stderr);
  assert.equal(r.code, 0, `${cmd} ${args.join(" ")}: ${err || out}`);
  return out;
}

const packed = new Map<string, Promise<string[]>>();

/** The tarballs of one version, packed from dist/bd (once per version). */
function pack(version: string): Promise<string[]> {
  if (!packed.has(version)) packed.set(version, packOnce(version));
  return packed.get(version)!;
}

async function packOnce(version: string): Promise<string[]> {
  const root = await Deno.makeTempDir({ prefix: "bd-npm-" });
  const layout = writePackages(join(root, "pkg"), version, new Map([["linux-x64", join(ROOT, BIN!)]]));
  const tarballs: string[] = [];
  for (const dir of [...layout.platforms, layout.main]) {
    const name = (await sh("npm", ["pack", "--pack-destination", root, "--loglevel=error", dir])).trim().split("\n")
      .pop()!;
    tarballs.push(join(root, name));
  }
  return tarballs;
}

async function install(prefix: string, tarballs: string[], scripts: boolean) {
  await sh("npm", [
    "install",
    "-g",
    "--prefix",
    prefix,
    "--offline",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...(scripts ? [] : ["--ignore-scripts"]),
    ...tarballs,
  ]);
}

for (const scripts of [true, false]) {
  Deno.test({
    name: `npm install -g of the tarballs (${
      scripts ? "install script: bd is the binary" : "--ignore-scripts: the launcher"
    }) gives a bd that works with only its PATH`,
    ignore: !BIN,
    async fn() {
      const prefix = await Deno.makeTempDir({ prefix: "bd-prefix-" });
      await install(prefix, await pack("1.0.0"), scripts);
      const bd = join(prefix, "bin", "bd");
      const real = Deno.realPathSync(bd);
      const head = new Uint8Array(4);
      const f = Deno.openSync(real);
      f.readSync(head);
      f.close();
      const isElf = head[0] === 0x7f && head[1] === 0x45;
      assert.equal(isElf, scripts, scripts ? "the install script put the binary in place" : "the launcher stayed");
      const work = await Deno.makeTempDir({ prefix: "bd-npm-work-" });
      const env = { PATH: join(prefix, "bin"), HOME: work };
      const run = (...args: string[]) => sh("bd", args, { cwd: work, env });
      assert.match(await run("version"), /^bd version /);
      await run("init", "--prefix", "np", "-q");
      const id = (await run("create", "installed through npm", "--silent")).trim();
      assert.deepEqual(JSON.parse(await run("ready", "--json")).map((i: { id: string }) => i.id), [id]);

      // In a git repository, the merge driver recorded by this bd still runs after npm update.
      const repo = await Deno.makeTempDir({ prefix: "bd-npm-git-" });
      const gitEnv = { PATH: `${join(prefix, "bin")}:/usr/bin:/bin`, HOME: work, GIT_CONFIG_NOSYSTEM: "1" };
      await sh("git", ["init", "-q"], { cwd: repo, env: gitEnv });
      await sh("bd", ["init", "--prefix", "g", "-q"], { cwd: repo, env: gitEnv });
      const driver = (await sh("git", ["config", "--get", "merge.beads.driver"], { cwd: repo, env: gitEnv })).trim();
      await install(prefix, await pack("1.0.1"), scripts);
      assert.match(
        await sh("git", ["-c", `alias.probe=!${driver.replace(/ merge %A %O %A %B$/, "")} version`, "probe"], {
          cwd: repo,
          env: gitEnv,
        }),
        /^bd version /,
        `the recorded driver (${driver}) runs after the update`,
      );
      const pkg = JSON.parse(Deno.readTextFileSync(join(prefix, "lib", "node_modules", NPM_NAME, "package.json")));
      assert.equal(pkg.version, "1.0.1");
    },
  });
}
