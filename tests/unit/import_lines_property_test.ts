/**
 * Property (issue 32): whatever mixture of good and bad lines a file holds, an import takes every
 * good line and none of the bad ones, reports each bad one by its line, and leaves what the
 * database already had untouched. Seeded, so a failure names its case and replays.
 */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import { exportText, flushJsonl } from "../../src/core/sync/jsonl_io.ts";
import { importText, importWorkspaceText } from "../../src/core/sync/jsonl_import.ts";
import { rng } from "../../scripts/gen_data.ts";

const T = "2025-01-01T00:00:00Z";

/** Ways a line goes bad: each returns the line for a record with this ID and title. */
const SPOILERS: ((id: string, title: string) => string)[] = [
  (id, title) => JSON.stringify({ id: `${id}\u0000`, title, status: "open", priority: 1, created_at: T }),
  (id, title) => JSON.stringify({ id, title, priority: -1, created_at: T }),
  (id, title) => JSON.stringify({ id, title, priority: 2.5, created_at: T }),
  (id, title) => JSON.stringify({ id, title, priority: "high", created_at: T }),
  (id) => JSON.stringify({ id, title: "t".repeat(5001), created_at: T }),
  (id, title) => JSON.stringify({ id, title, created_at: "yesterday" }),
  (id, title) => JSON.stringify({ id, title, status: "x); DELETE FROM issues; --", created_at: T }),
  (id, title) => JSON.stringify({ id, title, issue_type: "<script>", created_at: T }),
  (_id, title) => JSON.stringify({ id: "noprefix", title, created_at: T }),
  (id, title) => JSON.stringify({ id, title, created_at: T, dependencies: [{ depends_on_id: id }] }),
  (id) => JSON.stringify({ id, title: "   ", created_at: T }),
  (id, title) => `{"id":"${id}","title":"${title}"`,
  () => "[1,2,3]",
];

function goodLine(id: string, title: string, priority: number): string {
  return JSON.stringify({ id, title, status: "open", priority, issue_type: "task", created_at: T, updated_at: T });
}

const open = () =>
  initWorkspace({ cwd: Deno.makeTempDirSync({ prefix: "bd-lines-" }), env: {}, prefix: "pr", actor: "t" }).beads;

Deno.test("random mixtures of good and bad lines: the good always arrive, the bad never, each reported", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = rng(seed);
    const beads = open();
    const kept = beads.create({ title: "here before", priority: 3 });
    const before = exportText(beads);
    const lines: string[] = [];
    const good = new Map<string, string>();
    const badLines: number[] = [];
    const n = 5 + Math.floor(rand() * 60);
    for (let i = 0; i < n; i++) {
      const id = `pr-${seed}x${i}`;
      if (rand() < 0.4) {
        lines.push(SPOILERS[Math.floor(rand() * SPOILERS.length)](id, `bad ${i}`));
        badLines.push(lines.length);
      } else {
        const title = `good ${i}`;
        lines.push(goodLine(id, title, Math.floor(rand() * 5)));
        good.set(id, title);
      }
      if (rand() < 0.1) lines.push(""); // blank lines are skipped, and still counted
    }
    const summary = importText(beads, lines.join("\n") + "\n");
    const why = `seed ${seed}`;
    assert.equal(summary.created, good.size, why);
    assert.deepEqual((summary.rejected ?? []).map((r) => r.line), badLines, why);
    const all = beads.list({ status: ["open"] }, { limit: 10_000 }).issues;
    assert.deepEqual(
      new Map(all.filter((i) => i.id !== kept.id).map((i) => [i.id, i.title])),
      good,
      `${why}: exactly the good lines are in the database`,
    );
    for (const id of good.keys()) assert.ok(beads.issue(id), `${why}: ${id} can be shown`);
    assert.equal(beads.issue(kept.id).priority, 3, `${why}: what was there is untouched`);
    assert.ok(exportText(beads).includes(before.trim()), why);
    beads.close();
  }
});

Deno.test("the workspace's own file: bad lines stay out of the database, and the file keeps them through a rewrite", () => {
  const rand = rng(7);
  const beads = open();
  const lines: string[] = [];
  const bad: string[] = [];
  for (let i = 0; i < 30; i++) {
    const id = `pr-w${String(i).padStart(2, "0")}`;
    if (rand() < 0.3) {
      const line = SPOILERS[Math.floor(rand() * (SPOILERS.length - 2))](id, `bad ${i}`);
      lines.push(line);
      bad.push(line);
    } else lines.push(goodLine(id, `good ${i}`, 2));
  }
  const text = lines.join("\n") + "\n";
  Deno.writeTextFileSync(beads.paths.jsonlPath, text);
  const summary = importWorkspaceText(beads, text);
  assert.equal(summary.rejected?.length, bad.length);
  assert.equal(summary.created, 30 - bad.length);
  beads.create({ title: "a write" });
  flushJsonl(beads, { full: true });
  const file = Deno.readTextFileSync(beads.paths.jsonlPath);
  for (const line of bad) assert.ok(file.includes(line), `kept: ${line.slice(0, 60)}`);
  beads.close();
});
