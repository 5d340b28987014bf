/** Many agents at once, faults and crashes: bd keeps its data and says clearly what went wrong. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { bd, bdCommand, bdOk, createIssue, startServer, workspace, workspaceWithIssues } from "../helpers.ts";

const shell = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
const BD = bdCommand().map(shell).join(" ");
const lines = (t: string) => t.split("\n").filter(Boolean);

async function sh(dir: string, script: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    cwd: dir,
    env: { NO_COLOR: "1", PATH: Deno.env.get("PATH")!, HOME: Deno.env.get("HOME") ?? "/tmp", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

function integrity(dir: string, db = "test.db"): string {
  const conn = new DatabaseSync(join(dir, ".beads", db), { timeout: 10_000 });
  const r = String(conn.prepare("PRAGMA integrity_check").get()!.integrity_check);
  conn.close();
  return r;
}

const readyWorkspace = (n: number) => workspaceWithIssues(n);

Deno.test("16 agents running `ready --claim` until nothing is ready: each of 300 issues claimed exactly once", async () => {
  const dir = await readyWorkspace(300);
  const agent =
    `while :; do out=$(${BD} ready --claim --json) || { echo "FAILED: $?" >&2; exit 1; }; [ "$out" = "[]" ] && break; echo "$out"; done`;
  const results = await Promise.all(Array.from({ length: 16 }, (_, i) => sh(dir, agent, { BD_ACTOR: `agent-${i}` })));
  const claimed: { id: string; assignee: string }[] = [];
  for (const [i, r] of results.entries()) {
    assert.equal(r.code, 0, `agent-${i}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /locked/i);
    for (const l of lines(r.stdout)) {
      const [issue] = JSON.parse(l);
      assert.equal(issue.assignee, `agent-${i}`);
      claimed.push(issue);
    }
  }
  assert.equal(claimed.length, 300);
  assert.equal(new Set(claimed.map((c) => c.id)).size, 300);
  const jsonl = lines(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"))).map((l) => JSON.parse(l));
  assert.equal(jsonl.length, 300);
  assert.ok(jsonl.every((i) => i.status === "in_progress" && i.assignee?.startsWith("agent-")));
  assert.equal(integrity(dir), "ok");
});

Deno.test("mixed writers (CLI processes and a server taking mutations) lose no acknowledged write", async () => {
  const dir = await workspace();
  const server = await startServer(dir);
  const url = server.url;
  const until = Date.now() + 3000;
  const cli = (w: number) =>
    sh(
      dir,
      `end=$(( $(date +%s%N) + 3000000000 )); i=0; while [ $(date +%s%N) -lt $end ]; do ${BD} create "cli ${w} $i" --silent || exit 1; i=$((i+1)); done`,
      { BD_ACTOR: `cli-${w}` },
    );
  const http = async () => {
    const ids: string[] = [];
    while (Date.now() < until) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `mutation { createIssue(input: { title: "http" }) { issue { id } } }` }),
      });
      const body = await res.json();
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      ids.push(body.data.createIssue.issue.id);
    }
    return ids;
  };
  const [a, b, c, viaHttp] = await Promise.all([cli(0), cli(1), cli(2), http()]);
  await server.stop();
  for (const r of [a, b, c]) assert.equal(r.code, 0, r.stderr);
  const acknowledged = [...lines(a.stdout), ...lines(b.stdout), ...lines(c.stdout), ...viaHttp];
  assert.ok(acknowledged.length > 10, `only ${acknowledged.length} writes`);
  assert.equal(integrity(dir), "ok");
  const conn = new DatabaseSync(join(dir, ".beads", "test.db"));
  const inDb = new Set(conn.prepare("SELECT id FROM issues").all().map((r) => String(r.id)));
  const created = new Set(
    conn.prepare("SELECT issue_id FROM events WHERE event_type = 'created'").all().map((r) => String(r.issue_id)),
  );
  conn.close();
  const inFile = new Set(
    lines(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"))).map((l) => JSON.parse(l).id),
  );
  for (const id of acknowledged) {
    assert.ok(inDb.has(id), `${id} in the database`);
    assert.ok(inFile.has(id), `${id} in the JSONL`);
    assert.ok(created.has(id), `${id} has its created event`);
  }
  assert.equal(inDb.size, acknowledged.length);
});

Deno.test("kill -9 of writers mid-transaction or mid-flush never corrupts the database or the JSONL", async () => {
  const dir = await workspace();
  for (let round = 0; round < 6; round++) {
    // setsid: the loop and the bd it is running form one process group, killed together.
    const child = new Deno.Command("setsid", {
      args: ["bash", "-c", `for i in $(seq 1 40); do ${BD} create "round ${round} $i" -q || exit 1; done`],
      cwd: dir,
      env: { NO_COLOR: "1", PATH: Deno.env.get("PATH")! },
      stdout: "null",
      stderr: "null",
    }).spawn();
    await new Promise((r) => setTimeout(r, 150 + round * 70));
    await sh(dir, `kill -9 -- -${child.pid}`);
    await child.status;
  }
  assert.equal(integrity(dir), "ok");
  const file = lines(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")));
  for (const l of file) JSON.parse(l); // every line complete
  // The next write brings the JSONL in line with everything committed.
  await createIssue(dir, "after the crashes");
  const count = (await bdOk(dir, ["count", "--json"])).json().count;
  assert.equal(lines(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"))).length, count);
  assert.equal(
    Deno.readDirSync(join(dir, ".beads")).toArray().filter((e) => e.name.endsWith(".tmp")).length,
    0,
    "no temp files left",
  );
});

Deno.test("a full disk (file size limit) fails the write cleanly and keeps what was there", async () => {
  const dir = await workspace();
  await createIssue(dir, "kept");
  const big = "x".repeat(2_000_000);
  const child = new Deno.Command("bash", {
    args: ["-c", `ulimit -f 400; trap '' XFSZ; exec ${BD} create big --body-file -`],
    cwd: dir,
    env: { NO_COLOR: "1", PATH: Deno.env.get("PATH")! },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(big)).catch(() => {});
  await w.close().catch(() => {});
  const out = await child.output();
  assert.equal(out.code, 1);
  assert.equal(new TextDecoder().decode(out.stdout), "");
  assert.match(new TextDecoder().decode(out.stderr), /^Error: .*(disk|full|limit)/);
  assert.equal(integrity(dir), "ok");
  assert.deepEqual((await bdOk(dir, ["list", "--json"])).json().map((i: { title: string }) => i.title), ["kept"]);
});

Deno.test("a read-only database gives a clear error; reads still work", async () => {
  const dir = await workspace();
  await createIssue(dir, "kept");
  const db = join(dir, ".beads", "test.db");
  const lock = await sh(dir, `chattr +i ${shell(db)}`);
  if (lock.code !== 0) throw new Error(`chattr is needed for this test (root ignores file modes): ${lock.stderr}`);
  try {
    const r = await bd(dir, ["create", "nope", "--json"]);
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.stderr.trim()).error, /read-only/);
  } finally {
    await sh(dir, `chattr -i ${shell(db)}`);
  }
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 1);
});

Deno.test("a JSONL with a truncated last line: the line is kept out with a warning, kept for mending, and doctor --fix restores it", async () => {
  const dir = await workspace();
  await createIssue(dir, "one");
  await createIssue(dir, "two");
  const path = join(dir, ".beads", "issues.jsonl");
  const text = Deno.readTextFileSync(path);
  const truncated = text.slice(0, text.length - 20);
  Deno.writeTextFileSync(path, truncated);
  const read = await bd(dir, ["list", "--json"]);
  assert.equal(read.code, 0);
  assert.equal(read.json().length, 2);
  assert.match(read.stderr, /Warning: 1 line\(s\) of .* kept out of the database.*line 2: invalid JSON/);
  const write = await bdOk(dir, ["create", "three", "--json"]);
  assert.equal(write.json().title, "three");
  const after = Deno.readTextFileSync(path);
  assert.ok(after.includes(truncated.split("\n")[1]), "the damaged line is left for the user to see");
  const doctor = (await bd(dir, ["doctor", "--json"])).json();
  assert.match(doctor.checks.find((c: { name: string }) => c.name === "jsonl-lines").message, /invalid JSON/);
  // Recovery: the database still has the issue whole; doctor --fix writes it back.
  await bdOk(dir, ["doctor", "--fix"]);
  const lines = Deno.readTextFileSync(path).split("\n").filter(Boolean);
  assert.equal(lines.length, 3);
  for (const l of lines) JSON.parse(l);
  assert.equal((await bdOk(dir, ["list", "--json"])).json().length, 3);
});

Deno.test("the database deleted while serve runs: requests get a clear error, nothing is silently lost", async () => {
  const dir = await workspace();
  const server = await startServer(dir);
  try {
    const url = server.url;
    const mutate = async () =>
      await (await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `mutation { createIssue(input: { title: "x" }) { issue { id } } }` }),
      })).json();
    assert.equal((await mutate()).errors, undefined);
    for (const f of ["test.db", "test.db-wal", "test.db-shm"]) {
      await Deno.remove(join(dir, ".beads", f)).catch(() => {});
    }
    const r = await mutate();
    assert.match(r.errors[0].message, /was deleted while bd was running/);
    assert.equal(r.errors[0].extensions.code, "INTERNAL");
  } finally {
    await server.stop();
  }
});
