/**
 * The order of `ready` (contract §6) against an oracle written from the rule, at every limit:
 * `hybrid` lists issues created in the last 48 hours by priority, then older ones oldest first;
 * `priority` and `oldest` are one order each. Issues in a custom active status and claims whose
 * lease lapsed are ready too, and take their places in the same orders.
 */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import type { Issue } from "../../src/model/types.ts";

const HOUR = 3600e3;

function open(): Beads {
  const dir = Deno.makeTempDirSync({ prefix: "bd-ready-order-" });
  return initWorkspace({ cwd: dir, env: {}, prefix: "r", actor: "order", autoFlush: false }).beads;
}

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Issues of every priority, half created hours ago and half days ago, some blocked. */
function seed(b: Beads, n: number): void {
  const rnd = lcg(7);
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    const recent = rnd() < 0.5;
    const ago = recent ? (1 + Math.floor(rnd() * 40)) * HOUR : (3 + Math.floor(rnd() * 60)) * 24 * HOUR;
    const id = b.create({ title: `issue ${k}`, priority: Math.floor(rnd() * 5) }).id;
    // Ties in time are broken by ID: some share their creation instant with the previous issue.
    const at = k > 0 && rnd() < 0.1 ? null : new Date(Date.now() - ago).toISOString();
    if (at) b.db.run("UPDATE issues SET created_at = ? WHERE id = ?", at, id);
    else {b.db.run(
        "UPDATE issues SET created_at = (SELECT created_at FROM issues WHERE id = ?) WHERE id = ?",
        ids[k - 1],
        id,
      );}
    ids.push(id);
  }
  for (let k = 0; k < n; k += 9) b.addDependency(ids[k], ids[k + 1], "blocks");
}

/** The ready order from the rule, given which issues are ready. */
function oracle(issues: Issue[], sort: "hybrid" | "priority" | "oldest"): string[] {
  const t = (i: Issue) => Date.parse(i.created_at);
  const byAge = (a: Issue, b: Issue) => t(a) - t(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byPriority = (a: Issue, b: Issue) => a.priority - b.priority || byAge(a, b);
  if (sort === "priority") return [...issues].sort(byPriority).map((i) => i.id);
  if (sort === "oldest") return [...issues].sort(byAge).map((i) => i.id);
  const cutoff = Date.now() - 48 * HOUR;
  const recent = issues.filter((i) => t(i) >= cutoff).sort(byPriority);
  const older = issues.filter((i) => t(i) < cutoff).sort(byAge);
  return [...recent, ...older].map((i) => i.id);
}

function checkEveryLimit(b: Beads, when: string): void {
  const ready = b.ready({ limit: 0 });
  assert.ok(ready.length > 20, `enough ready issues ${when}`);
  for (const sort of ["hybrid", "priority", "oldest"] as const) {
    const want = oracle(ready, sort);
    assert.deepEqual(b.ready({ sort, limit: 0 }).map((i) => i.id), want, `ready --sort ${sort} ${when}`);
    for (let limit = 1; limit <= want.length + 1; limit++) {
      assert.deepEqual(
        b.ready({ sort, limit }).map((i) => i.id),
        want.slice(0, limit),
        `ready --sort ${sort} --limit ${limit} ${when}`,
      );
    }
  }
}

Deno.test("ready's orders match the rule at every limit: hybrid's recent walk, then its older one", () => {
  const b = open();
  seed(b, 60);
  checkEveryLimit(b, "(open issues only)");
});

Deno.test("ready's orders hold with custom active statuses and lapsed claims merged in", () => {
  const b = open();
  seed(b, 60);
  b.configSet("status.custom", "triaged:active,parked:frozen");
  // Statuses and claims go to issues that are ready now (not blocked), so each must stay or leave.
  const before = b.ready({ limit: 0 }).map((i) => i.id).sort();
  // Three disjoint sets: by position in the ready list, every fourth, its neighbour, and a few others.
  const triaged = before.filter((_, k) => k % 4 === 0);
  const parked = before.filter((_, k) => k % 4 === 1);
  const claimed = before.filter((_, k) => k % 4 === 2).slice(0, 3);
  for (const id of triaged) b.update(id, { status: "triaged" });
  for (const id of parked) b.update(id, { status: "parked" });
  for (const id of claimed) b.as("worker").claim(id, { leaseSeconds: 60 });
  // Two leases lapse (ready again for anyone); the third is still held.
  b.db.run(
    "UPDATE claim_leases SET expires_at = ? WHERE issue_id IN (?, ?)",
    "2020-01-01T00:00:00.000Z",
    ...claimed.slice(0, 2),
  );
  const ready = new Set(b.ready({ limit: 0 }).map((i) => i.id));
  assert.equal(claimed.length, 3);
  assert.ok(ready.has(claimed[0]) && ready.has(claimed[1]) && !ready.has(claimed[2]), "lapsed claims are ready");
  assert.ok(triaged.every((id) => ready.has(id)), "an active custom status is ready");
  assert.ok(!parked.some((id) => ready.has(id)), "a frozen one is not");
  checkEveryLimit(b, "(with triaged issues and lapsed claims)");
});

Deno.test("hybrid with no issue from the last 48 hours is oldest first, at every limit", () => {
  const b = open();
  seed(b, 40);
  for (const i of b.list({}, { limit: 0 }).issues) {
    b.db.run(
      "UPDATE issues SET created_at = ? WHERE id = ?",
      new Date(Date.parse(i.created_at) - 5 * 86400e3).toISOString(),
      i.id,
    );
  }
  const ready = b.ready({ limit: 0 });
  assert.ok(ready.every((i) => Date.parse(i.created_at) < Date.now() - 48 * HOUR));
  checkEveryLimit(b, "(no recent issues)");
});
