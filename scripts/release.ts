/**
 * Builds the release: dist/release/bd-{linux,darwin}-{x64,arm64} and bd-windows-x64.exe from the
 * same sources with the flags of scripts/compile_flags and the web UI's assets embedded, their
 * SHA256SUMS, and the npm packages as `npm pack` tarballs in dist/npm/. Each binary is checked:
 * its file type, its size, and that the assets are inside it. Offline: run it through
 * scripts/release (deno task release), which installs Bun's runtimes for the targets from npm.
 *
 * Usage: deno task release [--targets linux-x64,darwin-arm64] [--reproducible]
 *   --reproducible   build the linux-x64 binary again (elsewhere, under the same name) and report
 *                    whether the two are identical (they are: Bun embeds only the output's name)
 */
import { join } from "node:path";
import { readFileSync, statSync } from "node:fs";
import { sha256sums, TARGETS, writePackages } from "./release_lib.ts";
import { VERSION } from "../src/version.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const BUN = Deno.env.get("BD_BUN");
const CROSS = Deno.env.get("BD_CROSS");
if (!BUN || !CROSS) throw new Error("run this through scripts/release (deno task release)");
const flag = (name: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
};
const wanted = flag("--targets")?.split(",");
const targets = TARGETS.filter((t) => !wanted || wanted.includes(t.name));
if (wanted && targets.length !== wanted.length) {
  throw new Error(`unknown target in ${wanted.join(",")}: use ${TARGETS.map((t) => t.name).join(", ")}`);
}
const OUT = join(ROOT, "dist", "release");
const NPM = join(ROOT, "dist", "npm");
const FLAGS = readFileSync(join(ROOT, "scripts", "compile_flags"), "utf8").split("\n")
  .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

async function sh(cmd: string, args: string[], cwd = ROOT): Promise<string> {
  const r = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${out}`);
  return out;
}

async function build(t: (typeof TARGETS)[number], outfile: string): Promise<void> {
  const runtime = join(CROSS!, t.bunPackage, "bin", t.os === "win32" ? "bun.exe" : "bun");
  await sh(BUN!, [
    "build",
    ...FLAGS,
    "main.ts",
    "--asset",
    "src/web/assets",
    `--target=${t.bun}`,
    `--compile-executable-path=${runtime}`,
    "--outfile",
    outfile,
  ]);
}

/** The executable format a file's first bytes announce. */
function fileType(bytes: Uint8Array): string {
  const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
  if (head === "7f454c46") return bytes[18] === 0xb7 ? "ELF aarch64" : bytes[18] === 0x3e ? "ELF x86-64" : "ELF";
  if (head === "cffaedfe") {
    const cpu = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
    return cpu === 0x0100000c ? "Mach-O arm64" : cpu === 0x01000007 ? "Mach-O x86-64" : "Mach-O";
  }
  if (bytes[0] === 0x4d && bytes[1] === 0x5a) return "PE (Windows)";
  return `unknown (${head})`;
}

/** True when `haystack` contains `needle` (the embedded assets are stored as they are). */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  for (
    let i = haystack.indexOf(first);
    i >= 0 && i <= haystack.length - needle.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < needle.length && haystack[i + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

const EXPECTED_TYPE: Record<string, string> = {
  "linux-x64": "ELF x86-64",
  "linux-arm64": "ELF aarch64",
  "darwin-x64": "Mach-O x86-64",
  "darwin-arm64": "Mach-O arm64",
  "windows-x64": "PE (Windows)",
};

await Deno.remove(OUT, { recursive: true }).catch(() => {});
await Deno.mkdir(OUT, { recursive: true });
const assets = ["app.js", "app.css", "graphiql.html.gz"].map((name) => ({
  name,
  // A stretch from the middle of each asset: present in the binary only if the asset is.
  probe: ((b: Uint8Array) => b.subarray(Math.floor(b.length / 2), Math.floor(b.length / 2) + 256))(
    Deno.readFileSync(join(ROOT, "src", "web", "assets", name)),
  ),
}));
const files: string[] = [];
const binaries = new Map<string, string>();
for (const t of targets) {
  const path = join(OUT, t.file);
  const started = performance.now();
  await build(t, path);
  const bytes = Deno.readFileSync(path);
  const type = fileType(bytes);
  const missing = assets.filter((a) => !contains(bytes, a.probe)).map((a) => a.name);
  console.log(
    `${t.file}: ${type}, ${(statSync(path).size / 1e6).toFixed(1)} MB, assets ${
      missing.length ? `MISSING ${missing.join(", ")}` : "embedded"
    } (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (type !== EXPECTED_TYPE[t.name] || missing.length) throw new Error(`${t.file} is not what it should be`);
  files.push(path);
  binaries.set(t.name, path);
}
Deno.writeTextFileSync(join(OUT, "SHA256SUMS"), sha256sums(files));
console.log(`SHA256SUMS: ${files.length} files`);

await Deno.remove(NPM, { recursive: true }).catch(() => {});
const layout = writePackages(join(NPM, "pkg"), VERSION, binaries);
for (const dir of [...layout.platforms, layout.main]) {
  const out = await sh("npm", ["pack", "--pack-destination", NPM, "--loglevel=error", dir]);
  console.log(`npm: ${out.trim().split("\n").pop()}`);
}

if (Deno.args.includes("--reproducible")) {
  const t = TARGETS.find((x) => x.name === "linux-x64")!;
  // The same file name in another directory: Bun embeds the output's name in the binary.
  const dir = await Deno.makeTempDir({ prefix: "bd-release-" });
  const again = join(dir, t.file);
  await build(t, again);
  const [a, b] = [Deno.readFileSync(binaries.get(t.name) ?? join(OUT, t.file)), Deno.readFileSync(again)];
  let differing = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) differing++;
  console.log(
    differing === 0
      ? `reproducible: two builds of ${t.file} are byte for byte identical`
      : `not reproducible: two builds of ${t.file} differ in ${differing} of ${a.length} bytes`,
  );
  await Deno.remove(dir, { recursive: true });
}
