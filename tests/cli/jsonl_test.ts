import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdCommand, bdOk, createIssue, REAL_EXPORT, workspace } from "../helpers.ts";

const jsonlOf = (dir: string) => Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"));
const lines = (text: string) => text.split("\n").filter(Boolean);

Deno.test("every mutating command leaves issues.jsonl current, sorted by ID, compact, with relations", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "A", "-l", "x");
  const b = await createIssue(dir, "B");
  await bdOk(dir, ["dep", "add", a, b]);
  await bdOk(dir, ["comments", "add", a, "hello"]);
  const ls = lines(jsonlOf(dir));
  assert.equal(ls.length, 2);
  const ids = ls.map((l) => JSON.parse(l).id);
  assert.deepEqual(ids, [...ids].sort());
  const rec = JSON.parse(ls.find((l) => l.includes(`"id":"${a}"`))!);
  assert.deepEqual(rec.labels, ["x"]);
  assert.equal(rec.dependencies[0].depends_on_id, b);
  assert.equal(rec.comments[0].text, "hello");
  assert.ok(!ls[0].includes(": "), "compact JSON");
  // export to stdout gives the same text
  assert.equal((await bdOk(dir, ["export"])).stdout, jsonlOf(dir));
});

Deno.test("export --status and -o write filtered files atomically; an empty export never replaces data unasked", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "A");
  await createIssue(dir, "B");
  await bdOk(dir, ["close", a]);
  await bdOk(dir, ["export", "-o", "closed.jsonl", "--status", "closed"]);
  assert.deepEqual(lines(Deno.readTextFileSync(join(dir, "closed.jsonl"))).map((l) => JSON.parse(l).id), [a]);
  const empty = await workspace("other");
  Deno.writeTextFileSync(join(empty, "keep.jsonl"), '{"id":"x-1","title":"keep me"}\n');
  const refused = await bd(empty, ["export", "-o", "keep.jsonl", "--json"]);
  assert.equal(refused.code, 1);
  assert.equal(JSON.parse(refused.stderr).code, "CONFLICT");
  assert.match(Deno.readTextFileSync(join(empty, "keep.jsonl")), /keep me/);
  await bdOk(empty, ["export", "-o", "keep.jsonl", "--force"]);
  assert.equal(Deno.readTextFileSync(join(empty, "keep.jsonl")), "");
});

Deno.test("import upserts by ID with last-writer-wins, merges relations and keeps unknown fields", async () => {
  const dir = await workspace();
  const file = join(dir, "in.jsonl");
  Deno.writeTextFileSync(
    file,
    [
      {
        id: "test-1",
        title: "Old title",
        status: "hooked",
        priority: 1,
        issue_type: "molecule",
        created_at: "2025-01-01T00:00:00Z",
        updated_at: "2025-01-01T00:00:00Z",
        owner: "o",
        work_type: "x",
        ephemeral: true,
        labels: ["a"],
        dependencies: [{
          issue_id: "test-1",
          depends_on_id: "test-future",
          type: "supersedes",
          created_at: "2025-01-01T00:00:00Z",
          created_by: "z",
          metadata: { k: 1 },
        }],
      },
      {
        id: "test-2",
        title: "Two",
        status: "open",
        priority: 2,
        issue_type: "task",
        created_at: "2025-01-01T00:00:00Z",
        updated_at: "2025-01-01T00:00:00Z",
        comments: [{ id: 7, issue_id: "test-2", author: "amy", text: "hi", created_at: "2025-01-01T00:00:00Z" }],
      },
    ].map((o) => JSON.stringify(o)).join("\n") + "\n",
  );
  const r = await bdOk(dir, ["import", "-i", file, "--json"]);
  assert.deepEqual(r.json(), {
    created: 2,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    skipped: 0,
    memories: 0,
    other_records: 0,
    settings: 0,
    dry_run: false,
  });
  const [one] = (await bdOk(dir, ["show", "test-1", "--json"])).json();
  assert.equal(one.status, "hooked");
  assert.equal(one.work_type, "x");
  assert.equal(one.ephemeral, true);
  // Newer update wins for fields; an older one does not; labels merge.
  const newer = {
    id: "test-1",
    title: "New title",
    status: "open",
    priority: 0,
    issue_type: "task",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-02-01T00:00:00Z",
    labels: ["b"],
  };
  const older = {
    id: "test-2",
    title: "Stale",
    status: "closed",
    priority: 2,
    issue_type: "task",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
  };
  const summary = (await bdOk(dir, ["import", "-i", "-", "--json"], {
    stdin: JSON.stringify(newer) + "\n" + JSON.stringify(older) + "\n",
  })).json();
  assert.equal(summary.updated, 1);
  assert.equal(summary.unchanged, 1);
  const [merged] = (await bdOk(dir, ["show", "test-1", "--json"])).json();
  assert.equal(merged.title, "New title");
  assert.deepEqual(merged.labels, ["a", "b"]);
  assert.equal((await bdOk(dir, ["show", "test-2", "--json"])).json()[0].title, "Two");
  // The dangling dependency (to an issue not present) and its unknown type survive export.
  const line = JSON.parse(lines(jsonlOf(dir)).find((l) => l.includes('"id":"test-1"'))!);
  assert.deepEqual(line.dependencies[0], {
    issue_id: "test-1",
    depends_on_id: "test-future",
    type: "supersedes",
    created_at: "2025-01-01T00:00:00Z",
    created_by: "z",
    metadata: { k: 1 },
  });
  // dry-run reports and changes nothing; --skip-existing leaves existing issues alone
  const dry = (await bdOk(dir, ["import", "-i", "-", "--dry-run", "--json"], {
    stdin: JSON.stringify({ ...newer, title: "Dry", updated_at: "2026-01-01T00:00:00Z" }),
  })).json();
  assert.equal(dry.updated, 1);
  assert.equal(dry.dry_run, true);
  assert.equal((await bdOk(dir, ["show", "test-1", "--json"])).json()[0].title, "New title");
  const skip = (await bdOk(dir, ["import", "-i", "-", "--skip-existing", "--json"], {
    stdin: JSON.stringify({ ...newer, title: "Skip", updated_at: "2026-01-01T00:00:00Z" }),
  })).json();
  assert.equal(skip.skipped, 1);
});

Deno.test("a malformed line is reported with its line number; --strict refuses the whole file and changes nothing", async () => {
  const dir = await workspace();
  const good = JSON.stringify({
    id: "test-ok",
    title: "fine",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  });
  for (
    const [bad, reason] of [["{not json", /line 2: invalid JSON/], ['{"title":"no id"}', /line 2: missing "id"/], [
      '{"id":"test-x"}',
      /line 2: issue test-x has no title/,
    ], [
      '{"id":"test-y","title":"t","priority":"high"}',
      /line 2: issue "test-y": priority "high" is not an integer from 0 to 4/,
    ]] as const
  ) {
    const r = await bd(dir, ["import", "-i", "-", "--strict"], { stdin: `${good}\n${bad}\n` });
    assert.equal(r.code, 1);
    assert.match(r.stderr, reason);
    const taken = await bdOk(dir, ["import", "-i", "-", "--json", "--dry-run"], { stdin: `${good}\n${bad}\n` });
    assert.equal(taken.json().created, 1, "without --strict the good line goes in");
    assert.match(`line ${taken.json().rejected[0].line}: ${taken.json().rejected[0].reason}`, reason);
  }
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 0);
  // Invalid UTF-8 is replaced, never a crash.
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('{"id":"test-u","title":"bad '),
    0xff,
    0xfe,
    ...new TextEncoder().encode('"}\n'),
  ]);
  Deno.writeFileSync(join(dir, "bad.jsonl"), bytes);
  await bdOk(dir, ["import", "-i", "bad.jsonl"]);
  assert.match((await bdOk(dir, ["show", "test-u", "--json"])).json()[0].title, /^bad /);
});

Deno.test("tombstones delete on import, and the deletion travels to other workspaces", async () => {
  const src = await workspace("t");
  const dst = await workspace("t");
  const a = await createIssue(src, "doomed");
  await createIssue(src, "stays");
  await bdOk(dst, ["import", "-i", join(src, ".beads", "issues.jsonl")]);
  assert.equal((await bdOk(dst, ["count", "--json"])).json().count, 2);
  await bdOk(src, ["delete", a, "--force"]);
  const r = (await bdOk(dst, ["import", "-i", join(src, ".beads", "issues.jsonl"), "--json"])).json();
  assert.equal(r.deleted, 1);
  assert.equal((await bdOk(dst, ["count", "--json"])).json().count, 1);
  assert.ok(jsonlOf(dst).includes('"status":"tombstone"'));
});

Deno.test("auto-import: a changed issues.jsonl (e.g. after git pull) is imported by the next command", async () => {
  const dir = await workspace();
  const a = await createIssue(dir, "A");
  const text = jsonlOf(dir);
  const edited = JSON.parse(lines(text)[0]);
  edited.title = "Edited by a teammate";
  edited.updated_at = new Date(Date.now() + 1000).toISOString();
  const extra = {
    id: "test-zzz",
    title: "From the remote",
    status: "open",
    priority: 1,
    issue_type: "bug",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  };
  Deno.writeTextFileSync(
    join(dir, ".beads", "issues.jsonl"),
    JSON.stringify(edited) + "\n" + JSON.stringify(extra) + "\n",
  );
  const listed = (await bdOk(dir, ["list", "--json"])).json();
  assert.deepEqual(listed.map((i: { title: string }) => i.title).sort(), ["Edited by a teammate", "From the remote"]);
  assert.equal((await bdOk(dir, ["show", a, "--no-auto-import", "--json"])).json()[0].title, "Edited by a teammate");
  // --no-auto-import leaves a changed file alone
  Deno.writeTextFileSync(join(dir, ".beads", "issues.jsonl"), jsonlOf(dir).replace("From the remote", "Changed again"));
  const before = (await bdOk(dir, ["show", "test-zzz", "--no-auto-import", "--json"])).json()[0].title;
  assert.equal(before, "From the remote");
});

Deno.test("init in a workspace with issues.jsonl but no database rebuilds the database from it", async () => {
  const dir = await workspace("re");
  await createIssue(dir, "one");
  await createIssue(dir, "two", "-l", "keep");
  const text = jsonlOf(dir);
  Deno.removeSync(join(dir, ".beads", "re.db"));
  const r = (await bdOk(dir, ["init", "--json"])).json();
  assert.equal(r.prefix, "re");
  assert.equal(r.imported.created, 2);
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 2);
  assert.equal(jsonlOf(dir), text);
});

Deno.test("the real beads export imports whole, answers sensibly, and round-trips unchanged", async () => {
  const dir = await workspace("bd");
  const r = (await bdOk(dir, ["import", "-i", REAL_EXPORT, "--json"])).json();
  assert.equal(r.created, 873); // 894 lines, 21 of them other versions of the same IDs
  const extra = r.duplicates.reduce((n: number, d: { lines: number[] }) => n + d.lines.length - 1, 0);
  assert.equal(extra, 21, "each repeated ID is reported, with the line that stands");
  assert.equal(r.rejected, undefined, "a real file has no line bd refuses");
  const stats = (await bdOk(dir, ["stats", "--json"])).json();
  assert.equal(stats.total_issues, 873);
  assert.equal(stats.open_issues + stats.closed_issues, 873);
  const ready = (await bdOk(dir, ["ready", "--json", "--limit", "0"])).json();
  assert.ok(ready.length > 50 && ready.length < stats.open_issues);
  const blocked = (await bdOk(dir, ["blocked", "--json"])).json();
  assert.ok(blocked.length > 0);
  for (const b of blocked) assert.ok(!ready.some((i: { id: string }) => i.id === b.id));
  const [shown] = (await bdOk(dir, ["show", "bd-fb95094c.8", "--json"])).json();
  assert.equal(shown.parent, "bd-fb95094c");
  // Export then re-import changes nothing, and every field of every record survives.
  const exported = (await bdOk(dir, ["export"])).stdout;
  const again = (await bdOk(dir, ["import", "-i", "-", "--json"], { stdin: exported })).json();
  assert.deepEqual([again.created, again.updated, again.deleted, again.unchanged], [0, 0, 0, 873]);
  const out = new Map(lines(exported).map((l) => [JSON.parse(l).id, JSON.parse(l)]));
  const latest = new Map<string, Record<string, unknown>>();
  for (const l of lines(Deno.readTextFileSync(REAL_EXPORT))) {
    const o = JSON.parse(l);
    const prev = latest.get(o.id);
    if (!prev || Date.parse(o.updated_at) > Date.parse(prev.updated_at as string)) latest.set(o.id, o);
  }
  for (const [id, src] of latest) {
    const got = out.get(id)!;
    for (const [k, v] of Object.entries(src)) {
      if (k === "dependencies") {
        for (const d of v as { depends_on_id: string }[]) {
          assert.ok(
            (got.dependencies as { depends_on_id: string }[]).some((x) => x.depends_on_id === d.depends_on_id),
            `${id} dep ${d.depends_on_id}`,
          );
        }
      } else assert.deepEqual(got[k], v, `${id}.${k}`);
    }
    if (!("priority" in src)) assert.equal(got.priority, 0, "beads omits priority 0");
  }
});

Deno.test("8 processes creating 50 issues each at once: 400 issues in the DB and 400 lines in the JSONL", async () => {
  const dir = await workspace("c");
  const [cmd, ...pre] = bdCommand();
  const script = `for i in $(seq 1 50); do "$@" create "issue $i from $WORKER" -q --silent || exit 1; done`;
  const procs = Array.from({ length: 8 }, (_, w) =>
    new Deno.Command("bash", {
      args: ["-c", script, "worker", cmd, ...pre],
      cwd: dir,
      env: { NO_COLOR: "1", BD_ACTOR: `agent-${w}`, WORKER: String(w), PATH: Deno.env.get("PATH")! },
      stdout: "piped",
      stderr: "piped",
    }).output());
  const results = await Promise.all(procs);
  for (const r of results) assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  const created = results.flatMap((r) => lines(new TextDecoder().decode(r.stdout)));
  assert.equal(new Set(created).size, 400);
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 400);
  const file = lines(jsonlOf(dir));
  assert.equal(file.length, 400);
  assert.deepEqual(new Set(file.map((l) => JSON.parse(l).id)), new Set(created));
});

Deno.test("a kill during a large import leaves the database as it was", async () => {
  const dir = await workspace("k");
  await createIssue(dir, "existing");
  const big = Array.from(
    { length: 20000 },
    (_, i) =>
      JSON.stringify({
        id: `k-imp${i}`,
        title: `imported ${i}`,
        description: "x".repeat(200),
        created_at: "2025-01-01T00:00:00Z",
        updated_at: "2025-01-01T00:00:00Z",
        labels: ["l1", "l2"],
      }),
  ).join("\n");
  Deno.writeTextFileSync(join(dir, "big.jsonl"), big + "\n");
  const [cmd, ...pre] = bdCommand();
  const child = new Deno.Command(cmd, {
    args: [...pre, "import", "-i", "big.jsonl"],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  await new Promise((r) => setTimeout(r, 350));
  child.kill("SIGKILL");
  await child.status;
  const count = (await bdOk(dir, ["count", "--json"])).json().count;
  assert.ok(count === 1 || count === 20001, `all or nothing, got ${count}`);
  const integrity = await import("node:sqlite");
  const db = new integrity.DatabaseSync(join(dir, ".beads", "k.db"));
  assert.equal(db.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
  db.close();
});

Deno.test("export -o onto the workspace's own JSONL writes it once, counts the issues and leaves it current", async () => {
  const dir = await workspace();
  await createIssue(dir, "one");
  await bdOk(dir, ["create", "two", "--no-auto-flush"]);
  await bdOk(dir, ["create", "three", "--no-auto-flush"]);
  assert.equal(lines(jsonlOf(dir)).length, 1, "the unflushed issues are only in the database");
  const out = await bdOk(dir, ["export", "-o", ".beads/issues.jsonl", "--json"]);
  assert.equal(out.json().issues, 3);
  assert.equal(jsonlOf(dir), (await bdOk(dir, ["export"])).stdout);
  // Recorded as current: the next write patches it in place and it still equals the export.
  await createIssue(dir, "four");
  assert.equal(lines(jsonlOf(dir)).length, 4);
  assert.equal(jsonlOf(dir), (await bdOk(dir, ["export"])).stdout);
});
