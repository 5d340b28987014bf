/**
 * Real git for the sync and merge tests: a bare "remote" and clones in temp dirs (never the
 * network), and a `bd` on PATH (a shim that runs the bd under test) for git's merge driver.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bdCommand, bdOk } from "./helpers.ts";
import { generate } from "../scripts/gen_data.ts";

let shimDir: string | undefined;

/** A directory holding `bd`, a script that runs the bd under test (binary or source). */
export function bdShimDir(): string {
  if (shimDir) return shimDir;
  shimDir = Deno.makeTempDirSync({ prefix: "bd-shim-" });
  const quoted = bdCommand().map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  Deno.writeTextFileSync(join(shimDir, "bd"), `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
  return shimDir;
}

let home: string | undefined;

/** The environment for git and bd in a clone: an empty HOME (no user config), bd on PATH. */
export function gitEnv(cwd: string): Record<string, string> {
  home ??= Deno.makeTempDirSync({ prefix: "bd-home-" });
  const realHome = Deno.env.get("HOME") ?? "/root";
  return {
    GIT_CONFIG_NOSYSTEM: "1",
    HOME: home,
    DENO_DIR: Deno.env.get("DENO_DIR") || join(realHome, ".cache", "deno"),
    PATH: `${bdShimDir()}:${Deno.env.get("PATH")}`,
    NO_COLOR: "1",
    BD_ACTOR: cwd.split("/").pop()!,
  };
}

/** Runs git; returns its output (stdout + stderr) and exit code. */
export async function gitRun(cwd: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command("git", { args, cwd, env: gitEnv(cwd), stdout: "piped", stderr: "piped" })
    .output();
  return { code: out.code, out: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr) };
}

/** Runs git and fails the test unless it exits 0. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await gitRun(cwd, ...args);
  assert.equal(r.code, 0, `git ${args.join(" ")}: ${r.out}`);
  return r.out.trim();
}

/** A bare remote in a new temp dir. */
export async function bareRemote(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "bd-git-" });
  await git(root, "init", "-q", "--bare", "-b", "main", "remote.git");
  return root;
}

/** Clones the remote of `root` into `root/name` with its own identity. */
export async function clone(root: string, name: string): Promise<string> {
  await git(root, "clone", "-q", join(root, "remote.git"), name);
  const dir = join(root, name);
  await git(dir, "config", "user.name", name);
  await git(dir, "config", "user.email", `${name}@example.test`);
  return dir;
}

/** bd in a clone (its actor, bd on PATH). */
export const bdIn = (dir: string, args: string[]) => bdOk(dir, args, { env: gitEnv(dir) });

/**
 * Clones sharing a bare remote: the first initialises the tracker (with `issues` generated issues
 * when given, prefix `g`), commits and pushes it; the others clone and `bd init` from the file.
 */
export async function clones(names: string[], opts: { issues?: number; initArgs?: string[] } = {}) {
  const root = await bareRemote();
  const dirs: string[] = [];
  for (const [i, name] of names.entries()) {
    const dir = await clone(root, name);
    if (i === 0) {
      await git(dir, "checkout", "-q", "-b", "main");
      if (opts.issues) {
        await Deno.mkdir(join(dir, ".beads"));
        Deno.writeTextFileSync(join(dir, ".beads", "issues.jsonl"), generate(opts.issues, 11, "g").join("\n") + "\n");
      }
      await bdIn(dir, ["init", "--prefix", "g", "-q", ...(opts.initArgs ?? [])]);
      await git(
        dir,
        "add",
        "-A",
        ".beads",
        ...(opts.initArgs?.includes("--skip-merge-driver") ? [] : [".gitattributes"]),
      );
      await git(dir, "commit", "-q", "-m", "start tracking");
      await git(dir, "push", "-q", "-u", "origin", "main");
    } else {
      await bdIn(dir, ["init", "-q", ...(opts.initArgs ?? [])]);
    }
    dirs.push(dir);
  }
  return { root, dirs };
}

export const jsonlOf = (dir: string) => Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"));

/** Asserts git is clean of half-done operations: no rebase, merge or conflict markers. */
export async function assertGitClean(dir: string): Promise<void> {
  const gitDir = await git(dir, "rev-parse", "--absolute-git-dir");
  for (const f of ["rebase-merge", "rebase-apply", "MERGE_HEAD"]) {
    let exists = true;
    try {
      Deno.statSync(join(gitDir, f));
    } catch {
      exists = false;
    }
    assert.ok(!exists, `${f} is left in ${gitDir}`);
  }
  assert.doesNotMatch(jsonlOf(dir), /^(<<<<<<<|=======|>>>>>>>)/m, "no conflict markers in issues.jsonl");
  assert.equal(await git(dir, "diff", "--name-only", "--diff-filter=U"), "", "no unmerged paths");
}
