/**
 * A damaged database (issue 32): SQLite's "malformed" and "not a database" are a CORRUPT error that
 * names the fix, never "a bug in bd", and nothing is written; bd doctor names the damage, and
 * doctor --fix moves the file aside (kept) and rebuilds it from issues.jsonl, carrying over the
 * applications' tables where SQLite can still read them.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { bd, bdOk, workspaceWithIssues } from "../helpers.ts";

async function damagedWorkspace(damage: (path: string) => void): Promise<{ dir: string; db: string; jsonl: string }> {
  const dir = await workspaceWithIssues(300, "dm");
  const db = join(dir, ".beads", "dm.db");
  const conn = new DatabaseSync(db);
  conn.exec(
    `CREATE TABLE myapp_runs (id INTEGER PRIMARY KEY, issue_id TEXT REFERENCES issues(id) ON DELETE CASCADE, note TEXT);
    CREATE INDEX myapp_runs_issue ON myapp_runs(issue_id);`,
  );
  const add = conn.prepare("INSERT INTO myapp_runs (issue_id, note) VALUES (?, ?)");
  for (let i = 0; i < 40; i++) add.run(`dm-w${String(i).padStart(4, "0")}`, `run ${i}`);
  conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  conn.close();
  damage(db);
  return { dir, db, jsonl: Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")) };
}

/** Overwrites the pages after the first few (the issues' table) with junk. */
function overwriteMiddle(path: string) {
  const f = Deno.openSync(path, { read: true, write: true });
  const size = f.statSync().size;
  f.seekSync(4096 * 3, Deno.SeekMode.Start);
  // Seeded junk: the same damage every run.
  const junk = new Uint8Array(Math.min(4096 * 24, size - 4096 * 4));
  for (let i = 0, x = 12345; i < junk.length; i++) junk[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  f.writeSync(junk);
  f.close();
}

for (
  const [name, damage] of [
    ["overwritten in the middle", overwriteMiddle],
    ["truncated", (p: string) => Deno.truncateSync(p, 4096 * 5)],
    ["replaced by garbage (not a database)", (p: string) => Deno.writeTextFileSync(p, "garbage ".repeat(2000))],
  ] as const
) {
  Deno.test(`a database ${name}: CORRUPT (no write), doctor names it, doctor --fix rebuilds it from issues.jsonl`, async () => {
    const { dir, db, jsonl } = await damagedWorkspace(damage);
    const reads = await bd(dir, ["list", "--json", "--limit", "0"]);
    assert.equal(reads.code, 1);
    assert.equal(reads.stdout, "");
    const err = JSON.parse(reads.stderr);
    assert.equal(err.code, "CORRUPT", reads.stderr);
    assert.match(err.error, /damaged.*bd doctor --fix/);
    assert.doesNotMatch(err.error, /bug in bd/);
    const write = await bd(dir, ["create", "must not be written", "--json"]);
    assert.equal(write.code, 1);
    assert.equal(JSON.parse(write.stderr).code, "CORRUPT");
    assert.equal(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")), jsonl, "the JSONL is untouched");

    const told = await bd(dir, ["doctor", "--json"]);
    assert.equal(told.code, 1);
    const check = told.json().checks.find((c: { name: string }) => c.name === "database" || c.name === "integrity");
    assert.equal(check.status, "error");

    const fixed = await bd(dir, ["doctor", "--fix", "--json"]);
    assert.equal(fixed.code, 0, fixed.stderr);
    const report = fixed.json().recovered;
    assert.equal(report.issues, 300);
    assert.ok(Deno.statSync(report.moved_to).isFile, "the damaged file is kept");
    assert.ok(report.moved_to.startsWith(`${db}.damaged-`));
    const back = (await bdOk(dir, ["list", "--json", "--limit", "0", "--all"])).json();
    assert.equal(back.length, 300, "every issue is back");
    assert.equal(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")), jsonl, "the JSONL is as it was");
    await bdOk(dir, ["create", "written after the repair"]);
    const runs = report.extension_tables.find((t: { table: string }) => t.table === "myapp_runs");
    if (name === "replaced by garbage (not a database)") {
      assert.equal(runs, undefined, "nothing readable to carry over");
    } else if (runs?.rows !== undefined) {
      const conn = new DatabaseSync(db);
      assert.equal(Number(conn.prepare("SELECT count(*) AS n FROM myapp_runs").get()!.n), runs.rows);
      conn.close();
    } else assert.ok(runs === undefined || typeof runs.error === "string", "said what could not be read");
    assert.match((await bdOk(dir, ["doctor"])).stdout, /All checks passed|✓ database|✓ integrity/);
  });
}
