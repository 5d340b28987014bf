/**
 * user.name read from git's files equals what `git config user.name` says, for config texts of
 * every shape git accepts; what the reader does not model sends it to git (ASK_GIT).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ASK_GIT, gitUserName, userNameIn } from "../../src/core/sync/git_user.ts";

/** `git config user.name` with this HOME (no system config), run in `cwd`. */
function gitSays(cwd: string, home: string): string {
  const out = new Deno.Command("git", {
    args: ["config", "user.name"],
    cwd,
    env: { HOME: home, GIT_CONFIG_NOSYSTEM: "1", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  return out.code === 0 ? new TextDecoder().decode(out.stdout).replace(/\n$/, "") : "";
}

const CASES: string[] = [
  "[user]\n\tname = Ada Lovelace\n",
  "[user]\nname=Ada\n[user]\nname = Grace Hopper\n",
  '[user]\n  name = "  spaced  "  \n',
  "[user]\n\tname = Ada # a comment\n",
  "[user]\n\tname = Ada ; another\n",
  '[user]\n\tname = "Ada # not a comment"\n',
  '[user]\n\tname = Ada \\"Countess\\" of \\\\ Lovelace\n',
  "[user]\n\tname = Ada \\\n  Lovelace\n",
  "[USER]\n\tNAME = Shouting\n",
  "[user] name = same line\n",
  "[user]\r\n\tname = Windows Ada\r\n",
  "[core]\n\teditor = vi\n[user]\n\temail = a@b\n",
  '[remote "origin"]\n\tname = not a user\n[user]\n\tname = Right One\n',
  "# just comments\n; and more\n",
  "[user]\n\tname = Ada\tTab  Two\n",
  "",
];

Deno.test("user.name from the files equals git's answer for every config shape", () => {
  for (const text of CASES) {
    const home = Deno.makeTempDirSync({ prefix: "bd-gituser-" });
    Deno.writeTextFileSync(join(home, ".gitconfig"), text);
    const env = { HOME: home, GIT_CONFIG_NOSYSTEM: "1" };
    assert.equal(gitUserName(home, env), gitSays(home, home), JSON.stringify(text));
  }
});

Deno.test("the repository's config wins over the global one, from a subdirectory and from a worktree", () => {
  const home = Deno.makeTempDirSync({ prefix: "bd-gituser-home-" });
  Deno.writeTextFileSync(join(home, ".gitconfig"), "[user]\n\tname = Global Name\n");
  const repo = Deno.makeTempDirSync({ prefix: "bd-gituser-repo-" });
  const git = (cwd: string, ...args: string[]) =>
    assert.equal(
      new Deno.Command("git", {
        args,
        cwd,
        env: { HOME: home, GIT_CONFIG_NOSYSTEM: "1" },
        stdout: "null",
        stderr: "null",
      })
        .outputSync().code,
      0,
      args.join(" "),
    );
  git(repo, "init", "-q");
  const env = { HOME: home, GIT_CONFIG_NOSYSTEM: "1" };
  assert.equal(gitUserName(repo, env), "Global Name");
  git(repo, "config", "user.name", "Repo Name");
  Deno.mkdirSync(join(repo, "a", "b"), { recursive: true });
  assert.equal(gitUserName(join(repo, "a", "b"), env), "Repo Name");
  assert.equal(gitUserName(join(repo, "a", "b"), env), gitSays(join(repo, "a", "b"), home));
  git(repo, "-c", "user.email=x@y", "commit", "-q", "--allow-empty", "-m", "first");
  const wt = join(Deno.makeTempDirSync({ prefix: "bd-gituser-wt-" }), "tree");
  git(repo, "worktree", "add", "-q", wt);
  assert.equal(gitUserName(wt, env), "Repo Name");
  assert.equal(gitUserName(wt, env), gitSays(wt, home));
});

Deno.test("what the reader does not model is left to git", () => {
  assert.equal(userNameIn("[include]\n\tpath = other\n"), ASK_GIT);
  assert.equal(userNameIn('[includeIf "gitdir:~/work/"]\n\tpath = work\n'), ASK_GIT);
  assert.equal(userNameIn("[extensions]\n\tworktreeConfig = true\n", true), ASK_GIT);
  assert.equal(userNameIn("[user]\n\tname\n"), ASK_GIT);
  assert.equal(userNameIn('[user]\n\tname = "unterminated\n'), ASK_GIT);
  assert.equal(userNameIn("[user\n"), ASK_GIT);
  const home = Deno.makeTempDirSync();
  assert.equal(gitUserName(home, { HOME: home, GIT_CONFIG_GLOBAL: "/x" }), ASK_GIT);
  assert.equal(gitUserName(home, { HOME: home, GIT_CONFIG_COUNT: "1" }), ASK_GIT);
  assert.equal(gitUserName(home, {}), ASK_GIT, "no HOME");
});
