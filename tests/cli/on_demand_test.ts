/**
 * A workspace whose database is old and whose issues.jsonl changed needs the migrations and the
 * importer, which load on demand (core/on_demand.ts, issue 31): the CLI loads them and runs the
 * command again from the start, with stdin read once and nothing printed twice.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/main.ts";
import { bdOk } from "../helpers.ts";

/** An old database (another tool's table in it, no bd schema) and a JSONL file with one issue. */
function untouchedWorkspace(): string {
  const dir = Deno.makeTempDirSync({ prefix: "bd-on-demand-" });
  mkdirSync(join(dir, ".beads"));
  const db = new DatabaseSync(join(dir, ".beads", "od.db"));
  db.exec("CREATE TABLE app_notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO app_notes (text) VALUES ('kept')");
  db.close();
  const issue = {
    id: "od-1",
    title: "from the file",
    status: "open",
    priority: 1,
    issue_type: "task",
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:00.000Z",
  };
  writeFileSync(join(dir, ".beads", "issues.jsonl"), JSON.stringify(issue) + "\n");
  return dir;
}

Deno.test("in process: the first command on such a workspace migrates, imports and answers once", async () => {
  const dir = untouchedWorkspace();
  let stdout = "", stderr = "";
  const sink = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  assert.equal(await run(["list", "--json"], { BD_ACTOR: "od" }, dir, sink), 0, stderr);
  assert.deepEqual((JSON.parse(stdout) as { id: string }[]).map((i) => i.id), ["od-1"]);
  assert.equal(stdout.trim().split("\n").length, 1, "one answer");
  const db = new DatabaseSync(join(dir, ".beads", "od.db"), { readOnly: true });
  assert.equal(db.prepare("SELECT text FROM app_notes").get()!.text, "kept");
  db.close();
});

Deno.test("bd (source or binary): a command that read stdin before the open runs again with the same stdin", async () => {
  const dir = untouchedWorkspace();
  const created = (await bdOk(dir, ["create", "via stdin", "--stdin", "--json"], { stdin: "the description" })).json();
  assert.equal(created.description, "the description");
  const shown = (await bdOk(dir, ["show", created.id, "--json"])).json();
  assert.equal(shown[0].description, "the description");
  const listed = (await bdOk(dir, ["list", "--json"])).json() as { id: string }[];
  assert.deepEqual(listed.map((i) => i.id).sort(), ["od-1", created.id].sort());
});
