/** A large import runs as a bulk load (no graph triggers while loading); it must end exactly as a small one. */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import { exportText } from "../../src/core/sync/jsonl_io.ts";
import { importText } from "../../src/core/sync/jsonl_import.ts";
import { BLOCKED_IDS_SQL } from "../../src/store/schema.ts";
import { generate } from "../../scripts/gen_data.ts";

const open = () =>
  initWorkspace({ cwd: Deno.makeTempDirSync({ prefix: "bd-bulk-" }), env: {}, prefix: "bench", actor: "t" }).beads;

Deno.test("a bulk import equals the same records imported in small batches, triggers and blocked set included", () => {
  const lines = generate(6000, 5);
  const bulk = open();
  importText(bulk, lines.join("\n") + "\n"); // 6000 records: the bulk path
  const small = open();
  for (let i = 0; i < lines.length; i += 1000) importText(small, lines.slice(i, i + 1000).join("\n") + "\n");
  assert.equal(exportText(bulk), exportText(small));
  const triggers = (b: typeof bulk) =>
    b.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").map((r) =>
      r.name
    );
  assert.deepEqual(triggers(bulk), triggers(small));
  assert.equal(triggers(bulk).length, 9);
  for (const b of [bulk, small]) {
    const cached = b.db.all<{ id: string }>("SELECT issue_id AS id FROM blocked_cache ORDER BY id").map((r) => r.id);
    const oracle = b.db.all<{ id: string }>(`SELECT DISTINCT id FROM (${BLOCKED_IDS_SQL}) ORDER BY id`).map((r) =>
      r.id
    );
    assert.deepEqual(cached, oracle);
    const kept = b.db.all("SELECT scope, status, n FROM issue_counts WHERE n <> 0 ORDER BY 1, 2").map((r) => ({
      ...r,
    }));
    const counted = b.db.all(
      `SELECT 'all' AS scope, status, count(*) AS n FROM issues GROUP BY status UNION ALL
       SELECT 'blocked', i.status, count(*) FROM blocked_cache c JOIN issues i ON i.id = c.issue_id GROUP BY i.status
       UNION ALL SELECT 'top', '', count(*) FROM issues WHERE instr(id, '.') = 0 HAVING count(*) > 0
       ORDER BY 1, 2`,
    ).map((r) => ({ ...r }));
    assert.deepEqual(kept, counted, "the kept issue counts");
  }
  assert.deepEqual(bulk.ready({ limit: 50 }).map((i) => i.id), small.ready({ limit: 50 }).map((i) => i.id));
  // A second bulk import of the same file changes nothing.
  const again = importText(bulk, lines.join("\n") + "\n");
  assert.equal(again.created, 0);
  assert.equal(again.updated, 0);
  bulk.close();
  small.close();
});

Deno.test("a bulk import into an empty database leaves every index as it was, an application's too", () => {
  const b = open();
  // An application's own indexes on bd's tables: plain, partial with an expression, and unique.
  b.db.exec(`CREATE INDEX myapp_issue_title ON issues(lower(title)) WHERE status <> 'closed';
    CREATE INDEX myapp_labels ON labels(label, issue_id);
    CREATE UNIQUE INDEX myapp_issue_ref ON issues(external_ref);`);
  const indexes = () =>
    b.db.all<{ name: string; tbl: string; sql: string | null }>(
      "SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'index' ORDER BY name",
    );
  const before = indexes();
  assert.ok(before.length > 10);
  const lines = generate(6000, 7);
  // A load that fails part way (the application's unique index refuses the last record) rolls
  // the dropped indexes back with everything else.
  const dup = (l: string) => JSON.stringify({ ...JSON.parse(l), external_ref: "same-ref" });
  const broken = [dup(lines[0]), ...lines.slice(1, -1), dup(lines.at(-1)!)];
  assert.throws(() => importText(b, broken.join("\n") + "\n"), /same issues.external_ref already exists/);
  assert.deepEqual(indexes(), before);
  assert.equal(b.db.get<{ n: number }>("SELECT count(*) AS n FROM issues")!.n, 0);
  importText(b, lines.join("\n") + "\n");
  assert.deepEqual(indexes(), before);
  const check = b.db.all<Record<string, string>>("PRAGMA integrity_check");
  assert.deepEqual(check.map((r) => Object.values(r)[0]), ["ok"]);
  // The indexes hold every row: an indexed lookup finds what a scan finds.
  const open_ = b.db.get<{ n: number }>("SELECT count(*) AS n FROM issues NOT INDEXED WHERE status = 'open'")!.n;
  assert.equal(
    b.db.get<{ n: number }>("SELECT count(*) AS n FROM issues INDEXED BY idx_issues_status WHERE status = 'open'")!.n,
    open_,
  );
  b.close();
});
