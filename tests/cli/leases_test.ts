/**
 * Claim leases (contract §10), with second-scale leases on the real clock: a live lease keeps the
 * claim; a lapsed one makes the issue ready for anyone, the next claim takes it over (recorded),
 * the old holder's heartbeat hears "lease lost to X"; reclaim releases lapsed claims; expiry is
 * decided at read time alike in ready, list, show, stats and GraphQL. Then 16 claimers with
 * leases lapsing mid-run never hold one issue at once.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { bd, bdCommand, bdOk, createIssue, startServer, workspace, workspaceWithIssues } from "../helpers.ts";

type Obj = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const as = (actor: string) => ({ env: { BD_ACTOR: actor } });
const ids = (rows: Obj[]) => rows.map((r) => r.id as string).sort();

Deno.test("a lease keeps a claim while live; lapsed, the issue is ready for anyone and a claim takes it over", async () => {
  const dir = await workspace("ls");
  const a = await createIssue(dir, "leased work");
  const b = await createIssue(dir, "other work");
  // Long enough that the checks of the live lease finish before it lapses, on a loaded machine too.
  const claimed = (await bdOk(dir, ["update", a, "--claim", "--lease", "8s", "--json"], as("alice"))).json()[0];
  assert.equal(claimed.assignee, "alice");
  const until = Date.parse(claimed.lease_expires_at);
  assert.ok(until > Date.now() && until - Date.now() <= 8500, claimed.lease_expires_at);
  const readyBefore = (await bdOk(dir, ["stats", "--json"])).json().ready_issues;
  const keys = Object.keys(claimed);
  assert.equal(keys[keys.indexOf("lease_expires_at") - 1], "updated_at", "after the issue's own fields");
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json"], as("bob"))).json()), [b], "a live claim is not ready");
  const busy = await bd(dir, ["update", a, "--claim", "--json"], as("bob"));
  assert.equal(JSON.parse(busy.stderr).code, "CONFLICT");
  assert.match(JSON.parse(busy.stderr).error, /already claimed by alice \(lease until/);
  assert.equal((await bdOk(dir, ["show", a, "--json"])).json()[0].lease_expires_at, claimed.lease_expires_at);
  assert.equal(
    (await bdOk(dir, ["list", "--json"])).json().find((i: Obj) => i.id === a).lease_expires_at,
    claimed.lease_expires_at,
  );

  assert.ok(Date.now() < until, "the live lease's checks ran while it was live");
  await sleep(Math.max(0, until - Date.now()) + 300);
  // Lapsed: every reader says so, with nothing run in between.
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json"], as("bob"))).json()), [a, b].sort());
  assert.equal((await bdOk(dir, ["stats", "--json"])).json().ready_issues, readyBefore + 1);
  const server = await startServer(dir);
  try {
    const r = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ issue(id: "${a}") { status isReady leaseExpiresAt } ready { id } }` }),
    });
    const data = (await r.json()).data;
    assert.deepEqual([data.issue.status, data.issue.isReady], ["in_progress", true]);
    assert.equal(data.issue.leaseExpiresAt, claimed.lease_expires_at);
    assert.ok(data.ready.some((i: Obj) => i.id === a));
  } finally {
    await server.stop();
  }

  const taken =
    (await bdOk(dir, ["ready", "--claim", "--lease", "1h", "--sort", "oldest", "--json"], as("bob"))).json()[0];
  assert.deepEqual([taken.id, taken.assignee], [a, "bob"], "the lapsed claim is taken over");
  assert.ok(Date.parse(taken.lease_expires_at) > Date.now() + 3500e3);
  const db = new DatabaseSync(join(dir, ".beads", "ls.db"));
  const takeover = db.prepare(
    "SELECT actor, old_value, new_value FROM events WHERE issue_id = ? AND event_type = 'claim_taken_over'",
  ).all(a);
  db.close();
  assert.deepEqual(takeover.map((e) => [e.actor, e.old_value, e.new_value]), [["bob", "alice", "bob"]]);

  // The old holder hears of it: by ID, and once from a heartbeat with no ID (then it is told).
  const byId = await bd(dir, ["heartbeat", a, "--json"], as("alice"));
  assert.equal(byId.code, 1);
  assert.equal(JSON.parse(byId.stderr).error, `lease lost to bob: ${a} is theirs now`);
  const all = await bd(dir, ["heartbeat"], as("alice"));
  assert.equal(all.code, 1);
  assert.match(all.stderr, new RegExp(`lease lost to bob: ${a}`));
  assert.equal((await bd(dir, ["heartbeat"], as("alice"))).code, 0, "told once");
  const renewed = (await bdOk(dir, ["heartbeat", "--json"], as("bob"))).json();
  assert.deepEqual(renewed.map((r: Obj) => r.id), [a]);
  const claims = (await bdOk(dir, ["claims", "--json"])).json();
  assert.deepEqual(claims.map((c: Obj) => [c.id, c.holder, c.lapsed]), [[a, "bob", false]]);
  assert.doesNotMatch(
    Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")),
    /lease_expires_at|claim_leases/,
    "leases never travel",
  );
});

Deno.test("reclaim releases lapsed claims (open, unassigned); a live one is refused; a claim without a lease never lapses", async () => {
  const dir = await workspace("rc");
  const a = await createIssue(dir, "a");
  const b = await createIssue(dir, "b");
  const c = await createIssue(dir, "c");
  await bdOk(dir, ["update", a, "--claim", "--lease", "1s"], as("alice"));
  await bdOk(dir, ["update", b, "--claim", "--lease", "1h"], as("alice"));
  await bdOk(dir, ["update", c, "--claim"], as("alice"));
  await sleep(1300);
  const live = await bd(dir, ["reclaim", b, "--json"]);
  assert.equal(JSON.parse(live.stderr).code, "CONFLICT");
  const released = (await bdOk(dir, ["reclaim", "--json"])).json();
  assert.deepEqual(released.map((i: Obj) => [i.id, i.status, i.assignee ?? null, i.lease_expires_at ?? null]), [[
    a,
    "open",
    null,
    null,
  ]]);
  assert.deepEqual(ids((await bdOk(dir, ["ready", "--json"], as("bob"))).json()), [a], "c has no lease: still alice's");
  assert.equal((await bdOk(dir, ["show", c, "--json"])).json()[0].lease_expires_at, undefined);
  // Closing or handing over ends a lease.
  await bdOk(dir, ["close", b]);
  assert.deepEqual((await bdOk(dir, ["claims", "--json"])).json(), []);
});

Deno.test("the default lease: config claim.lease, else $BD_CLAIM_LEASE; bad lengths and --lease without --claim are refused", async () => {
  const dir = await workspace("df");
  const a = await createIssue(dir, "a");
  const b = await createIssue(dir, "b");
  const c = await createIssue(dir, "c");
  const ttl = (i: Obj) => Date.parse(i.lease_expires_at as string) - Date.now();
  const fromEnv = (await bdOk(dir, ["update", a, "--claim", "--json"], { env: { BD_CLAIM_LEASE: "10m" } })).json()[0];
  assert.ok(ttl(fromEnv) > 590e3 && ttl(fromEnv) <= 600e3, fromEnv.lease_expires_at);
  await bdOk(dir, ["config", "set", "claim.lease", "2h"]);
  const fromConfig =
    (await bdOk(dir, ["update", b, "--claim", "--json"], { env: { BD_CLAIM_LEASE: "10m" } })).json()[0];
  assert.ok(ttl(fromConfig) > 7190e3, "config wins over the environment");
  const none = (await bdOk(dir, ["update", c, "--claim", "--lease", "none", "--json"])).json()[0];
  assert.equal(none.lease_expires_at, undefined, "--lease none: never lapses");
  for (const bad of ["30", "5x", "-1m", "99d"]) {
    const r = await bd(dir, ["update", a, "--claim", "--lease", bad, "--json"]);
    assert.equal(JSON.parse(r.stderr).code, "VALIDATION", bad);
  }
  const alone = await bd(dir, ["update", a, "--lease", "1h", "--json"]);
  assert.equal(alone.code, 2);
});

// 300 issues against the binary; from source (each command ~20× slower to start) 100 keep it minutes-short.
const SWARM = Deno.env.get("BD_BIN") ? 300 : 100;

Deno.test(`16 claimers with 1 s leases, dropping some claims mid-run: ${SWARM} issues each closed once, and no claim ever overlapped a live one`, async () => {
  const dir = await workspaceWithIssues(SWARM, "sw");
  const BD = bdCommand().map((s) => `'${s.replaceAll("'", "'\\''")}'`).join(" ");
  // Every fourth claim is dropped (the agent "dies"): its lease lapses and another agent takes it over.
  const agent = `n=0; while :; do
    out=$(${BD} ready --claim --lease 1s --json) || { echo "FAILED: $?" >&2; exit 1; }
    if [ "$out" = "[]" ]; then [ -z "$(${BD} claims --json | grep '"id"')" ] && break; sleep 0.3; continue; fi
    id=$(echo "$out" | sed 's/.*"id":"\\([^"]*\\)".*/\\1/'); n=$((n+1))
    if [ $((n % 4)) -ne 0 ]; then ${BD} close "$id" -q >/dev/null 2>&1 || echo "LOST $id" >&2; fi
  done`;
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      new Deno.Command("bash", {
        args: ["-c", agent],
        cwd: dir,
        env: {
          NO_COLOR: "1",
          PATH: Deno.env.get("PATH")!,
          HOME: Deno.env.get("HOME") ?? "/tmp",
          BD_ACTOR: `agent-${i}`,
        },
        stdout: "piped",
        stderr: "piped",
      }).output()),
  );
  for (const [i, r] of results.entries()) {
    assert.equal(r.code, 0, `agent-${i}: ${new TextDecoder().decode(r.stderr)}`);
  }
  const db = new DatabaseSync(join(dir, ".beads", "sw.db"));
  try {
    const statuses = db.prepare("SELECT status, count(*) AS n FROM issues GROUP BY status").all();
    assert.deepEqual(statuses.map((s) => [s.status, Number(s.n)]), [["closed", SWARM]]);
    const closes = db.prepare(
      "SELECT issue_id, count(*) AS n FROM events WHERE event_type = 'closed' GROUP BY issue_id",
    )
      .all();
    assert.equal(closes.length, SWARM);
    assert.ok(closes.every((c) => Number(c.n) === 1), "each issue closed once");
    // Exclusivity: a claim by another agent only ever follows a takeover of a lapsed lease (≥ 1 s after).
    const events = db.prepare(
      `SELECT issue_id, event_type, actor, old_value, created_at FROM events
       WHERE event_type IN ('claimed', 'claim_taken_over') ORDER BY issue_id, id`,
    ).all() as { issue_id: string; event_type: string; actor: string; old_value: string | null; created_at: string }[];
    let takeovers = 0;
    const last = new Map<string, { actor: string; at: number }>();
    for (const e of events) {
      if (e.event_type === "claim_taken_over") {
        takeovers++;
        const prev = last.get(e.issue_id)!;
        assert.equal(e.old_value, prev.actor);
        assert.ok(Date.parse(e.created_at) - prev.at >= 990, `${e.issue_id}: taken over after the lease lapsed`);
        continue;
      }
      const prev = last.get(e.issue_id);
      if (prev && prev.actor !== e.actor) {
        const before = events.filter((x) => x.issue_id === e.issue_id && x.event_type === "claim_taken_over");
        assert.ok(before.length > 0, `${e.issue_id}: ${e.actor} claimed it from ${prev.actor} without a takeover`);
      }
      last.set(e.issue_id, { actor: e.actor, at: Date.parse(e.created_at) });
    }
    assert.ok(takeovers >= SWARM / 15, `dropped claims were taken over (${takeovers})`);
  } finally {
    db.close();
  }
});
