/** The release task's own logic: names, sums, the npm packages' layout, the launcher and the install script. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkSums,
  NPM_NAME,
  PACKAGE_BINARY,
  platformPackage,
  sha256sums,
  TARGETS,
  writePackages,
} from "../../scripts/release_lib.ts";

Deno.test("release: five targets with the agreed file names, Bun targets and npm platforms", () => {
  assert.deepEqual(TARGETS.map((t) => t.file), [
    "bd-linux-x64",
    "bd-linux-arm64",
    "bd-darwin-x64",
    "bd-darwin-arm64",
    "bd-windows-x64.exe",
  ]);
  assert.deepEqual(TARGETS.map((t) => t.bun), [
    "bun-linux-x64",
    "bun-linux-arm64",
    "bun-darwin-x64",
    "bun-darwin-arm64",
    "bun-windows-x64",
  ]);
  assert.deepEqual(TARGETS.map((t) => t.bunPackage), [
    "@oven/bun-linux-x64",
    "@oven/bun-linux-aarch64",
    "@oven/bun-darwin-x64",
    "@oven/bun-darwin-aarch64",
    "@oven/bun-windows-x64",
  ]);
  assert.deepEqual(TARGETS.map(platformPackage), [
    "bd-tracker-linux-x64",
    "bd-tracker-linux-arm64",
    "bd-tracker-darwin-x64",
    "bd-tracker-darwin-arm64",
    "bd-tracker-win32-x64",
  ]);
});

Deno.test("release: SHA256SUMS lists every file by name in sha256sum's format, and a changed file is caught", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(dir, "bd-linux-x64"), "one");
  Deno.writeTextFileSync(join(dir, "bd-darwin-arm64"), "two");
  const text = sha256sums([join(dir, "bd-linux-x64"), join(dir, "bd-darwin-arm64")]);
  assert.equal(
    text,
    "3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3  bd-darwin-arm64\n" +
      "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed  bd-linux-x64\n",
  );
  assert.deepEqual(checkSums(text, dir), []);
  Deno.writeTextFileSync(join(dir, "bd-linux-x64"), "changed");
  assert.deepEqual(checkSums(text, dir), ["bd-linux-x64"]);
});

/** A stand-in binary: prints its argv, so the launcher's exec is visible. */
function fakeBinary(dir: string): string {
  const path = join(dir, "fake-bd");
  Deno.writeTextFileSync(path, '#!/bin/sh\necho "fake bd $*" "self=$BD_SELF"\n', { mode: 0o755 });
  return path;
}

Deno.test("release: the npm packages — platform packages with os/cpu, a main package that depends on them optionally", () => {
  const root = Deno.makeTempDirSync();
  const bin = fakeBinary(root);
  const layout = writePackages(join(root, "pkg"), "9.9.9", new Map([["linux-x64", bin], ["windows-x64", bin]]));
  const pkg = (dir: string) => JSON.parse(Deno.readTextFileSync(join(dir, "package.json")));
  assert.deepEqual(layout.platforms.map((d) => pkg(d).name), ["bd-tracker-linux-x64", "bd-tracker-win32-x64"]);
  assert.deepEqual([pkg(layout.platforms[1]).os, pkg(layout.platforms[1]).cpu], [["win32"], ["x64"]]);
  assert.ok(Deno.statSync(join(layout.platforms[0], PACKAGE_BINARY)).mode! & 0o100, "the binary is executable");
  const main = pkg(layout.main);
  assert.equal(main.name, NPM_NAME);
  assert.deepEqual(main.bin, { bd: PACKAGE_BINARY });
  assert.deepEqual(Object.keys(main.optionalDependencies), TARGETS.map(platformPackage));
  assert.ok(Object.values(main.optionalDependencies).every((v) => v === "9.9.9"));
  assert.equal(main.scripts.preinstall, "node install.js");
  const install = Deno.readTextFileSync(join(layout.main, "install.js"));
  assert.doesNotMatch(install, /https?:|fetch\(|require\("https?"\)|child_process"\)\.exec\(/, "copies only");
});

Deno.test("release: the sh launcher finds the platform binary in global, local and nested layouts, with nothing on PATH", async () => {
  const root = Deno.makeTempDirSync();
  const bin = fakeBinary(root);
  const layout = writePackages(join(root, "pkg"), "1.0.0", new Map([["linux-x64", bin]]));
  const launcher = Deno.readTextFileSync(join(layout.main, PACKAGE_BINARY));
  const place = (main: string, platform: string) => {
    Deno.mkdirSync(join(main, "bin"), { recursive: true });
    Deno.writeTextFileSync(join(main, PACKAGE_BINARY), launcher, { mode: 0o755 });
    Deno.mkdirSync(join(platform, "bin"), { recursive: true });
    Deno.copyFileSync(bin, join(platform, PACKAGE_BINARY));
    Deno.chmodSync(join(platform, PACKAGE_BINARY), 0o755);
  };
  const run = async (path: string) => {
    const r = await new Deno.Command(path, { args: ["ready", "--json"], clearEnv: true, env: { PATH: "/nonexistent" } })
      .output();
    return { code: r.code, out: new TextDecoder().decode(r.stdout), err: new TextDecoder().decode(r.stderr) };
  };
  // npm install -g: prefix/lib/node_modules/{bd-tracker,bd-tracker-linux-x64}, prefix/bin/bd -> launcher.
  const g = join(root, "global");
  place(join(g, "lib/node_modules/bd-tracker"), join(g, "lib/node_modules/bd-tracker-linux-x64"));
  Deno.mkdirSync(join(g, "bin"));
  Deno.symlinkSync("../lib/node_modules/bd-tracker/bin/bd.exe", join(g, "bin/bd"));
  const viaLink = await run(join(g, "bin/bd"));
  assert.equal(viaLink.code, 0, viaLink.err);
  assert.match(viaLink.out, /^fake bd ready --json self=.*global\/bin\/bd$/m, "BD_SELF names the stable link");
  // npm install (local): node_modules/.bin/bd -> ../bd-tracker/bin/bd.exe, both packages in node_modules.
  const l = join(root, "local/node_modules");
  place(join(l, "bd-tracker"), join(l, "bd-tracker-linux-x64"));
  Deno.mkdirSync(join(l, ".bin"));
  Deno.symlinkSync("../bd-tracker/bin/bd.exe", join(l, ".bin/bd"));
  assert.equal((await run(join(l, ".bin/bd"))).code, 0);
  assert.equal((await run(join(l, "bd-tracker", PACKAGE_BINARY))).code, 0, "the launcher itself");
  // Nested: the platform package under the main one.
  const n = join(root, "nested/bd-tracker");
  place(n, join(n, "node_modules/bd-tracker-linux-x64"));
  assert.equal((await run(join(n, PACKAGE_BINARY))).code, 0);
  // No platform package: a clear message, exit 1.
  const lonely = join(root, "lonely/bd-tracker");
  Deno.mkdirSync(join(lonely, "bin"), { recursive: true });
  Deno.writeTextFileSync(join(lonely, PACKAGE_BINARY), launcher, { mode: 0o755 });
  const none = await run(join(lonely, PACKAGE_BINARY));
  assert.equal(none.code, 1);
  assert.match(none.err, /no bd binary for this platform/);
});
