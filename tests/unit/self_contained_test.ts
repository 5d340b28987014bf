/**
 * A clone needs nothing beside it: no test, benchmark or script reads outside the repository root.
 * The static check reads every source file for paths that climb out of the root; the dynamic one
 * copies the repository's files into an empty folder and runs there the tests that read data files.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../helpers.ts";

const SELF = fileURLToPath(import.meta.url);

/** The repository's files as a clone has them: tracked, plus untracked ones git does not ignore. */
function repositoryFiles(): string[] {
  const out = new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
    stdout: "piped",
  }).outputSync();
  assert.equal(out.code, 0, "git ls-files");
  return new TextDecoder().decode(out.stdout).split("\0").filter((f) => f && existsFile(join(ROOT, f)));
}

function existsFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function existsDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

const isSource = (f: string) =>
  /\.(ts|tsx|js|mjs|sh)$/.test(f) || (f.startsWith("scripts/") && !f.includes(".")) || f.startsWith(".ci/");

const outside = (path: string) => {
  const rel = relative(ROOT, path);
  return rel === ".." || rel.startsWith("../") || resolve(path) === resolve(ROOT, "..");
};

/** The places in one file's text that reach outside the root, as "line: text". */
export function escapes(file: string, text: string): string[] {
  const found: string[] = [];
  const lines = text.split("\n");
  const climbFromRoot = new RegExp(String.raw`\b(join|resolve)\(\s*[\w.]*ROOT\w*\s*,\s*["']\.\.["']`, "i");
  const steering = new RegExp(String.raw`\.\.(["']\s*,\s*["']|/)shared\b`);
  const relativeRef = /(?:from\s+|import\(\s*|new URL\(\s*)["'](\.\.?\/[^"']*|\.\.?)["']/g;
  lines.forEach((line, n) => {
    const where = `${file}:${n + 1}: ${line.trim()}`;
    if (climbFromRoot.test(line) || steering.test(line)) found.push(where);
    for (const m of line.matchAll(relativeRef)) {
      if (outside(resolve(dirname(join(ROOT, file)), m[1]))) found.push(where);
    }
  });
  return found;
}

Deno.test("self-contained: no source, test or script names a path outside the repository", () => {
  const files = repositoryFiles().filter(isSource).filter((f) => join(ROOT, f) !== SELF);
  assert.ok(files.length > 100, `found only ${files.length} source files`);
  const found = files.flatMap((f) => escapes(f, Deno.readTextFileSync(join(ROOT, f))));
  assert.deepEqual(found, [], "these read outside the repository (copy the data into tests/fixtures/)");
});

Deno.test("self-contained: the check itself catches the ways out", () => {
  // The examples are assembled, so that this file itself names no path outside the repository.
  const up = "..", beside = "shared";
  const bad = [
    `const SEED = join(ROOT, "${up}", "${beside}", "data", "legacy-seed.db");`,
    `const P = "${up}/${beside}/data/x.jsonl";`,
    `const text = Deno.readTextFileSync(new URL("../../../elsewhere.txt", import.meta.url));`,
    `import { x } from "../../../outside.ts";`,
  ];
  for (const line of bad) assert.equal(escapes("tests/unit/x_test.ts", line).length, 1, line);
  const good = [
    `const FIXTURES = join(ROOT, "tests", "fixtures");`,
    `import { x } from "../../src/model/types.ts";`,
    `await git(main, "worktree", "add", join(main, "..", name));`,
    `const ROOT = new URL("..", import.meta.url).pathname;`,
  ];
  for (const line of good) assert.deepEqual(escapes("tests/unit/x_test.ts", line), [], line);
});

Deno.test("self-contained: in a copy with nothing beside it, the tests that read real data files pass", async () => {
  const parent = await Deno.makeTempDir({ prefix: "bd-fresh-" });
  const copy = join(parent, "bd");
  try {
    for (const f of repositoryFiles()) {
      await Deno.mkdir(dirname(join(copy, f)), { recursive: true });
      await Deno.copyFile(join(ROOT, f), join(copy, f));
    }
    // Installed packages are not the repository's files; the copy shares this checkout's.
    if (existsDir(join(ROOT, "node_modules"))) {
      await Deno.symlink(join(ROOT, "node_modules"), join(copy, "node_modules"));
    }
    const fixtureTests = ["tests/cli/adoption_test.ts", "tests/cli/jsonl_test.ts"];
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--allow-all", "--quiet", "--filter", "/founding era|real beads export/", ...fixtureTests],
      cwd: copy,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /ok \| 2 passed/, text);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
