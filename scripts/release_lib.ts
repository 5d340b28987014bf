/**
 * What `deno task release` makes, as plain functions the tests call: the five targets and their
 * file names, SHA256SUMS, and the npm packages (one per platform holding its binary, and the main
 * package `bd-tracker` that depends on them optionally and installs the right one's binary as its
 * own `bd`, copying files only — it never downloads anything).
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

export const NPM_NAME = "bd-tracker";

export interface Target {
  /** `linux-x64`, `darwin-arm64`, ... */
  name: string;
  /** Bun's --target. */
  bun: string;
  /** The npm package that carries Bun's runtime for this target (cross-compilation, offline). */
  bunPackage: string;
  /** The release file name. */
  file: string;
  /** npm's `os` and `cpu` for the platform package. */
  os: string;
  cpu: string;
}

const target = (os: string, cpu: string, bunOs: string, bunCpu: string): Target => ({
  name: `${os === "win32" ? "windows" : os}-${cpu}`,
  bun: `bun-${bunOs}-${bunCpu === "aarch64" ? "arm64" : bunCpu}`,
  bunPackage: `@oven/bun-${bunOs}-${bunCpu}`,
  file: `bd-${os === "win32" ? "windows" : os}-${cpu}${os === "win32" ? ".exe" : ""}`,
  os,
  cpu,
});

export const TARGETS: Target[] = [
  target("linux", "x64", "linux", "x64"),
  target("linux", "arm64", "linux", "aarch64"),
  target("darwin", "x64", "darwin", "x64"),
  target("darwin", "arm64", "darwin", "aarch64"),
  target("win32", "x64", "windows", "x64"),
];

/** The platform package of a target: `bd-tracker-linux-x64`, ..., `bd-tracker-win32-x64`. */
export const platformPackage = (t: Target) => `${NPM_NAME}-${t.os}-${t.cpu}`;

/** The file inside a platform package (and the main package's bin target): `bin/bd.exe` everywhere. */
export const PACKAGE_BINARY = "bin/bd.exe";

/** SHA256SUMS text (`sha256sum -c` reads it): one `<hex>  <name>` line per file, by name. */
export function sha256sums(files: string[]): string {
  return files.map((f) => [basename(f), createHash("sha256").update(readFileSync(f)).digest("hex")] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, hex]) => `${hex}  ${name}\n`).join("");
}

/** Checks SHA256SUMS text against the files in `dir`; returns the names that do not match. */
export function checkSums(text: string, dir: string): string[] {
  return text.trim().split("\n").flatMap((line) => {
    const [hex, name] = line.split("  ");
    const actual = createHash("sha256").update(readFileSync(join(dir, name))).digest("hex");
    return actual === hex ? [] : [name];
  });
}

/**
 * The main package's `bin/bd.exe` as shipped: a POSIX sh launcher that needs nothing on PATH (not
 * even node), used where npm ran no install script (`--ignore-scripts`). It finds the platform
 * package next to the main one (global, local and nested layouts) and execs its binary, telling
 * bd to record this launcher's path for git (BD_SELF), which stays valid across `npm update`.
 */
export function shLauncher(): string {
  const dirs = TARGETS.filter((t) => t.os !== "win32").map(platformPackage);
  return `#!/bin/sh
# bd's npm launcher (replaced by the native binary when npm runs install scripts).
d=\${0%/*}
for p in ${dirs.join(" ")}; do
  for c in "$d/../../$p" "$d/../node_modules/$p" "$d/../lib/node_modules/$p" "$d/../$p"; do
    if [ -x "$c/${PACKAGE_BINARY}" ]; then
      BD_SELF=\${BD_SELF:-$0}
      export BD_SELF
      exec "$c/${PACKAGE_BINARY}" "$@"
    fi
  done
done
echo "bd: no bd binary for this platform next to $0 (install ${NPM_NAME} without --omit=optional)" >&2
exit 1
`;
}

/**
 * The install script (npm runs it before linking the package's bin): copies this platform's
 * binary over the launcher, so that `bd` starts as fast as the binary itself; checks it runs.
 * It only copies files that npm already installed and never downloads; on any problem it leaves
 * the launcher in place and says why.
 */
export function installScript(): string {
  const map = Object.fromEntries(TARGETS.map((t) => [`${t.os}-${t.cpu}`, platformPackage(t)]));
  return `// bd-tracker's install script: copy files only, never download.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const packages = ${JSON.stringify(map)};
const name = packages[process.platform + "-" + process.arch];
const target = path.join(__dirname, ${JSON.stringify(PACKAGE_BINARY)});
try {
  if (!name) throw new Error("no bd binary is built for " + process.platform + "-" + process.arch);
  const source = require.resolve(name + "/" + ${JSON.stringify(PACKAGE_BINARY)}, { paths: [__dirname] });
  // The copy keeps an .exe name: Windows runs a binary by its extension.
  const temp = path.join(__dirname, "bin", "bd.new.exe");
  fs.copyFileSync(source, temp);
  fs.chmodSync(temp, 0o755);
  execFileSync(temp, ["version"], { stdio: "ignore", env: { ...process.env, BD_SELF: target } });
  fs.renameSync(temp, target);
} catch (e) {
  try { fs.unlinkSync(path.join(__dirname, "bin", "bd.new.exe")); } catch {}
  console.warn("bd: kept the launcher (bd still works, through it): " + (e && e.message ? e.message : e));
}
`;
}

export interface PackageLayout {
  /** Directories, ready for `npm pack`. */
  main: string;
  platforms: string[];
}

/** Writes the npm packages' directories under `root` for the targets whose binary is given. */
export function writePackages(root: string, version: string, binaries: Map<string, string>): PackageLayout {
  const platforms: string[] = [];
  const optional: Record<string, string> = {};
  for (const t of TARGETS) {
    optional[platformPackage(t)] = version;
    const binary = binaries.get(t.name);
    if (!binary) continue;
    const dir = join(root, platformPackage(t));
    mkdirSync(join(dir, "bin"), { recursive: true });
    copyFileSync(binary, join(dir, PACKAGE_BINARY));
    chmodSync(join(dir, PACKAGE_BINARY), 0o755);
    json(join(dir, "package.json"), {
      name: platformPackage(t),
      version,
      description: `bd, the dependency-aware issue tracker: the ${t.os}-${t.cpu} binary (installed by ${NPM_NAME})`,
      os: [t.os],
      cpu: [t.cpu],
      files: ["bin"],
      preferUnplugged: true,
    });
    platforms.push(dir);
  }
  const main = join(root, NPM_NAME);
  mkdirSync(join(main, "bin"), { recursive: true });
  writeFileSync(join(main, PACKAGE_BINARY), shLauncher(), { mode: 0o755 });
  writeFileSync(join(main, "install.js"), installScript());
  writeFileSync(
    join(main, "README.md"),
    `# bd\n\nThe dependency-aware issue tracker for AI coding agents, as one native binary.\n\n    npm install -g ${NPM_NAME}\n    bd init && bd ready\n\nThe binary comes from the package of your platform (an optional dependency); an install\nscript copies it into place (it never downloads). With --ignore-scripts a launcher runs it.\n`,
  );
  json(join(main, "package.json"), {
    name: NPM_NAME,
    version,
    description: "bd, the dependency-aware issue tracker for AI coding agents: one native binary",
    keywords: ["issue-tracker", "agents", "beads", "bd", "cli"],
    // The bin file is named bd.exe on every platform so that npm's Windows shim runs the binary
    // itself; on other systems npm links it as plain `bd`.
    bin: { bd: PACKAGE_BINARY },
    // preinstall: npm links bins after it, so the link (and Windows' shim) sees the binary.
    scripts: { preinstall: "node install.js" },
    optionalDependencies: optional,
    files: ["bin", "install.js", "README.md"],
  });
  return { main, platforms };
}

function json(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
