/**
 * What bd writes and reads about paths, run with node:path's win32 functions: this machine cannot
 * start Windows, but the logic that must hold there can be checked here.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { gitRelativePath } from "../../src/core/sync/git.ts";
import { worktreeLink } from "../../src/core/sync/git_worktree.ts";
import { commandProgram, shellQuote } from "../../src/core/sync/self_command.ts";
import { driverCommand, driverProgram } from "../../src/core/sync/merge_driver.ts";
import { parseJsonl } from "../../src/core/sync/jsonl.ts";
import { mergeJsonl } from "../../src/core/sync/jsonl_merge.ts";

const win = path.win32;

Deno.test("windows: .gitattributes and hook paths are repository-relative with forward slashes", () => {
  assert.equal(gitRelativePath("C:\\work\\repo", "C:\\work\\repo\\.beads\\issues.jsonl", win), ".beads/issues.jsonl");
  assert.equal(
    gitRelativePath("C:\\work\\repo", "C:\\work\\repo\\sub dir\\.beads\\issues.jsonl", win),
    "sub dir/.beads/issues.jsonl",
  );
  assert.equal(gitRelativePath("/work/repo", "/work/repo/.beads/issues.jsonl", path.posix), ".beads/issues.jsonl");
});

Deno.test("windows: a merge driver under C:\\Program Files is quoted for git's shell and read back", () => {
  const program = shellQuote("C:\\Program Files\\bd\\bd.exe", "win32");
  assert.equal(program, "'C:/Program Files/bd/bd.exe'");
  const driver = driverCommand(program);
  assert.equal(driver, "'C:/Program Files/bd/bd.exe' merge %A %O %A %B");
  assert.equal(driverProgram(driver), program);
  assert.equal(commandProgram(driver), "C:/Program Files/bd/bd.exe");
  assert.equal(shellQuote("C:\\Users\\o'brien\\bd.exe", "win32"), "'C:/Users/o'\\''brien/bd.exe'");
});

Deno.test("windows: a linked worktree's .git file (as git for Windows writes it) leads to the main worktree", () => {
  const link = worktreeLink("C:\\src\\agent2", "gitdir: C:/src/main/.git/worktrees/agent2\n", () => "../..\n", win);
  assert.deepEqual(link, { commonDir: "C:\\src\\main\\.git", mainRoot: "C:\\src\\main" });
  const bare = worktreeLink("D:\\w\\a", "gitdir: D:/repos/proj.git/worktrees/a", () => "../..", win);
  assert.deepEqual(
    bare,
    { commonDir: "D:\\repos\\proj.git", mainRoot: undefined },
    "a bare repository has no main worktree",
  );
  const relative = worktreeLink("/src/agent2", "gitdir: ../main/.git/worktrees/agent2", () => "../..", path.posix);
  assert.deepEqual(relative, { commonDir: "/src/main/.git", mainRoot: "/src/main" });
});

Deno.test("windows: issues.jsonl with CRLF line ends (a Windows editor) imports and merges like LF", () => {
  const a =
    '{"id":"w-1","title":"one","status":"open","priority":1,"issue_type":"task","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z"}';
  const b =
    '{"id":"w-2","title":"two","status":"open","priority":2,"issue_type":"task","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z"}';
  const crlf = `${a}\r\n${b}\r\n`;
  const { records, rejected } = parseJsonl(crlf);
  assert.deepEqual(rejected, []);
  assert.deepEqual(records.map((r) => r.kind === "issue" ? r.issue.title : ""), ["one", "two"]);
  const merged = mergeJsonl(`${a}\n`, crlf, `${a}\n`);
  assert.equal(merged.text, `${a}\n${b}\n`, "the merge writes LF and loses nothing");
});
