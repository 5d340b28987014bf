/**
 * The migrations and the importer load on demand (core/on_demand.ts, issue 31): an open that needs
 * one before it is loaded stops with CodeNotLoaded and changes nothing, and works once it is
 * loaded. Each test file runs in its own isolate, and this one imports neither module statically,
 * so the first opens here really find them missing (tests/cli/on_demand_test.ts: the CLI's retry).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/store/open.ts";
import { SCHEMA_VERSION } from "../../src/store/schema.ts";
import { CodeNotLoaded } from "../../src/model/errors.ts";
import { Beads, loadOnDemand } from "../../src/core/service.ts";

const notLoaded = (what: string) => (e: unknown) => e instanceof CodeNotLoaded && e.what === what;

Deno.test("an old database: the open stops before changing a byte, and migrates once the migrations are loaded", async () => {
  const path = join(Deno.makeTempDirSync({ prefix: "bd-on-demand-db-" }), "old.db");
  const db = new DatabaseSync(path);
  db.exec("CREATE TABLE app_notes (id INTEGER PRIMARY KEY, text TEXT); PRAGMA user_version = 0;");
  db.close();
  const before = readFileSync(path);
  assert.throws(() => openDatabase(path), notLoaded("migrations"));
  assert.deepEqual(readFileSync(path), before, "the database is byte for byte as it was");
  await loadOnDemand("migrations");
  const migrated = openDatabase(path);
  assert.equal(Number(migrated.get<{ user_version: number }>("PRAGMA user_version")!.user_version), SCHEMA_VERSION);
  migrated.close();
});

Deno.test("a changed issues.jsonl: the open stops before importing, and imports once the importer is loaded", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "bd-on-demand-ws-" });
  mkdirSync(join(dir, ".beads"));
  await loadOnDemand("migrations");
  openDatabase(join(dir, ".beads", "od.db")).close();
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
  assert.throws(() => Beads.open({ cwd: dir, env: {} }), notLoaded("import"));
  const untouched = new DatabaseSync(join(dir, ".beads", "od.db"), { readOnly: true });
  assert.equal(untouched.prepare("SELECT count(*) AS n FROM issues").get()!.n, 0);
  untouched.close();
  await loadOnDemand("import");
  const beads = Beads.open({ cwd: dir, env: {} });
  assert.equal(beads.issue("od-1").title, "from the file");
  beads.close();
});
