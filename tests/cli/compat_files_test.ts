/**
 * issues.jsonl files as released bds wrote them, one fixture per era (written from bd's history,
 * no project's data): each imports with nothing lost, exports byte-stable, merges between two
 * clones, and keeps `ready` right.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, workspace } from "../helpers.ts";

type Obj = Record<string, unknown>;
const T0 = "2025-10-01T10:00:00Z";
const jsonl = (...records: Obj[]) => records.map((r) => JSON.stringify(r) + "\n").join("");

/** The founding document's era: plain issues, dependencies with created_by, no labels array. */
const founding = jsonl(
  { id: "f-1", title: "Epic", status: "open", priority: 1, issue_type: "epic", created_at: T0, updated_at: T0 },
  {
    id: "f-2",
    title: "Blocked task",
    status: "open",
    priority: 2,
    issue_type: "task",
    created_at: T0,
    updated_at: T0,
    dependencies: [
      { issue_id: "f-2", depends_on_id: "f-3", type: "blocks", created_at: T0, created_by: "alice" },
      { issue_id: "f-2", depends_on_id: "f-1", type: "parent-child", created_at: T0, created_by: "alice" },
    ],
  },
  {
    id: "f-3",
    title: "Blocker",
    status: "in_progress",
    priority: 1,
    issue_type: "bug",
    created_at: T0,
    updated_at: T0,
  },
  {
    id: "f-4",
    title: "Done",
    status: "closed",
    priority: 3,
    issue_type: "chore",
    created_at: T0,
    updated_at: T0,
    closed_at: T0,
  },
);

/** Late 2025: content_hash and source_repo on every issue, several prefixes, labels. */
const late2025 = jsonl(
  {
    id: "bd-a1b",
    content_hash: "3f1c9e",
    title: "Hash IDs",
    status: "open",
    priority: 2,
    issue_type: "feature",
    created_at: T0,
    updated_at: T0,
    source_repo: ".",
    labels: ["core"],
  },
  {
    id: "ext-9",
    content_hash: "aa01",
    title: "From another repo",
    status: "hooked",
    priority: 1,
    issue_type: "task",
    created_at: T0,
    updated_at: T0,
    source_repo: "../other",
  },
);

/** Early 2026: tombstones and compaction fields; dependency metadata; two edges to one target. */
const early2026 = jsonl(
  {
    id: "e-1",
    title: "Replaced design",
    status: "open",
    priority: 2,
    issue_type: "task",
    created_at: T0,
    updated_at: T0,
    compaction_level: 1,
    compacted_at: T0,
    original_size: 2048,
  },
  {
    id: "e-2",
    title: "Depends twice on e-1",
    status: "open",
    priority: 2,
    issue_type: "task",
    created_at: T0,
    updated_at: T0,
    dependencies: [
      { issue_id: "e-2", depends_on_id: "e-1", type: "blocks", created_at: T0, created_by: "bd", metadata: "{}" },
      {
        issue_id: "e-2",
        depends_on_id: "e-1",
        type: "supersedes",
        created_at: "2025-10-02T10:00:00Z",
        created_by: "carol",
        thread_id: "t-77",
      },
    ],
  },
  {
    id: "e-3",
    title: "gone",
    status: "tombstone",
    priority: 2,
    issue_type: "task",
    created_at: T0,
    updated_at: T0,
    deleted_at: "2025-10-03T10:00:00Z",
    deleted_by: "dave",
    delete_reason: "duplicate",
    original_type: "bug",
  },
);

/** Mid 2026: "_type" on every line, memories, defaults left out (status, type, priority 0). */
const mid2026 = jsonl(
  { _type: "issue", id: "m-1", title: "Defaults omitted", created_at: T0, updated_at: T0 },
  {
    _type: "issue",
    id: "m-2",
    title: "Waits on m-1",
    priority: 1,
    created_at: T0,
    updated_at: T0,
    dependencies: [{ issue_id: "m-2", depends_on_id: "m-1", type: "blocks", created_at: T0 }],
    dependency_count: 1,
    comment_count: 0,
  },
  { _type: "memory", key: "run-tests-with-race", value: "always run tests with -race" },
  { _type: "memory", key: "auth-jwt", value: "auth uses JWT, not sessions" },
  { _type: "agent_state", agent: "a1", state: "idle" },
);

const ERAS: [string, string, { ready: string[]; notReady: string[] }][] = [
  ["founding document", founding, { ready: ["f-1"], notReady: ["f-2", "f-3", "f-4"] }],
  ["late 2025", late2025, { ready: ["bd-a1b"], notReady: ["ext-9"] }],
  ["early 2026", early2026, { ready: ["e-1"], notReady: ["e-2"] }],
  ["mid 2026", mid2026, { ready: ["m-1"], notReady: ["m-2"] }],
];

async function importInto(text: string): Promise<string> {
  const dir = await workspace("x");
  Deno.writeTextFileSync(join(dir, "in.jsonl"), text);
  await bdOk(dir, ["import", "-i", "in.jsonl"]);
  return dir;
}

for (const [era, text, expect] of ERAS) {
  Deno.test(`a file from the ${era} imports without loss, exports byte-stable, merges and keeps ready right`, async () => {
    const a = await importInto(text);
    const exported = (await bdOk(a, ["export"])).stdout;
    assert.equal((await bdOk(a, ["export"])).stdout, exported, "export is stable");
    // Nothing lost: every field of every input record is in the export (derived counts aside).
    const out = new Map(
      exported.trim().split("\n").map((l) => {
        const o = JSON.parse(l);
        return [o.id ?? o.key ?? JSON.stringify(o), o];
      }),
    );
    for (const line of text.trim().split("\n")) {
      const rec = JSON.parse(line);
      const got = out.get(rec.id ?? rec.key ?? JSON.stringify(rec));
      assert.ok(got, `record kept: ${line}`);
      for (const [k, v] of Object.entries(rec)) {
        if (["dependency_count", "dependent_count", "comment_count"].includes(k)) continue;
        if (k === "dependencies") {
          const edges = (v as Obj[]).map((d) => ({ ...d, issue_id: rec.id }));
          assert.deepEqual(
            (got.dependencies as Obj[]).map((d) => JSON.stringify(Object.entries(d).sort())).sort(),
            edges.map((d) => JSON.stringify(Object.entries(d).sort())).sort(),
          );
        } else assert.deepEqual(got[k], v, `${rec.id ?? rec.key}.${k}`);
      }
    }
    // Round trip: the export imported elsewhere exports the same bytes.
    const b = await importInto(exported);
    assert.equal((await bdOk(b, ["export"])).stdout, exported);
    // Ready sees every blocks edge.
    const ready = (await bdOk(a, ["ready", "--json", "--limit", "0"])).json().map((i: Obj) => i.id);
    for (const id of expect.ready) assert.ok(ready.includes(id), `${id} is ready`);
    for (const id of expect.notReady) assert.ok(!ready.includes(id), `${id} is not ready`);
    // Two clones edit different issues; bd merge joins their files; both import the result.
    const [first] = expect.ready;
    await bdOk(a, ["update", first, "--title", "edited in A"]);
    await bdOk(b, ["remember", "a memory from B", "--key", "from-b"]);
    const dir = await Deno.makeTempDir();
    const files = {
      base: exported,
      left: (await bdOk(a, ["export"])).stdout,
      right: (await bdOk(b, ["export"])).stdout,
    };
    for (const [name, content] of Object.entries(files)) Deno.writeTextFileSync(join(dir, name), content);
    await bdOk(dir, ["merge", "out", "base", "left", "right"]);
    const merged = Deno.readTextFileSync(join(dir, "out"));
    for (const ws of [a, b]) await bdOk(ws, ["import", "-i", join(dir, "out")]);
    assert.equal((await bdOk(a, ["export"])).stdout, (await bdOk(b, ["export"])).stdout);
    assert.match(merged, /edited in A/);
    assert.match(merged, /"key":"from-b"/);
  });
}

Deno.test("parallel edges of different types survive storage, show, GraphQL-facing JSON and dep remove asks for --type", async () => {
  const dir = await importInto(early2026);
  const [e2] = (await bdOk(dir, ["show", "e-2", "--json"])).json();
  assert.deepEqual(e2.dependencies.map((d: Obj) => d.dependency_type).sort(), ["blocks", "supersedes"]);
  assert.equal((await bdOk(dir, ["blocked", "--json"])).json().map((i: Obj) => i.id).includes("e-2"), true);
  const r = await bd(dir, ["dep", "remove", "e-2", "e-1", "--json"]);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stderr).error, /2 edges \(blocks, supersedes\).*--type/);
  const removed = (await bdOk(dir, ["dep", "remove", "e-2", "e-1", "--type", "supersedes", "--json"])).json();
  assert.equal(removed.type, "supersedes");
  const line = (await bdOk(dir, ["export"])).stdout.split("\n").find((l) => l.includes('"id":"e-2"'))!;
  assert.deepEqual(JSON.parse(line).dependencies.map((d: Obj) => [d.type, d.metadata]), [["blocks", "{}"]]);
  await bdOk(dir, ["dep", "add", "e-2", "e-1", "--type", "related"]);
  const [again] = (await bdOk(dir, ["show", "e-2", "--json"])).json();
  assert.deepEqual(again.dependencies.map((d: Obj) => d.dependency_type).sort(), ["blocks", "related"]);
});

Deno.test("memories: remember, memories, recall, forget, prime, and the JSONL lines they travel in", async () => {
  const dir = await workspace("mem");
  const m = (await bdOk(dir, ["remember", "Always run the tests with -race, please!", "--json"])).json();
  assert.deepEqual(m, {
    key: "always-run-the-tests-with-race-please",
    value: "Always run the tests with -race, please!",
    action: "remembered",
  });
  assert.equal((await bdOk(dir, ["remember", "auth uses JWT", "--key", "auth", "--json"])).json().action, "remembered");
  assert.equal(
    (await bdOk(dir, ["remember", "auth uses JWT now", "--key", "auth", "--json"])).json().action,
    "updated",
  );
  assert.deepEqual((await bdOk(dir, ["memories", "jwt", "--json"])).json(), { auth: "auth uses JWT now" });
  assert.equal((await bdOk(dir, ["recall", "auth"])).stdout, "auth uses JWT now\n");
  const file = Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl"));
  assert.equal(
    file,
    '{"_type":"memory","key":"always-run-the-tests-with-race-please","value":"Always run the tests with -race, please!"}\n' +
      '{"_type":"memory","key":"auth","value":"auth uses JWT now"}\n',
  );
  assert.match((await bdOk(dir, ["prime"])).stdout, /\*\*auth\*\*: auth uses JWT now/);
  // Stored as bd stores them: config kv.memory.<key>, hidden from config list unless --all.
  assert.equal(
    Object.keys((await bdOk(dir, ["config", "list", "--json"])).json()).some((k) => k.startsWith("kv.")),
    false,
  );
  assert.equal((await bdOk(dir, ["config", "list", "--all", "--json"])).json()["kv.memory.auth"], "auth uses JWT now");
  assert.equal((await bdOk(dir, ["prime", "--json"])).json().memories.length, 2);
  await bdOk(dir, ["forget", "auth"]);
  const gone = await bd(dir, ["recall", "auth", "--json"]);
  assert.equal(gone.code, 1);
  assert.equal(JSON.parse(gone.stderr).code, "NOT_FOUND");
  assert.doesNotMatch(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")), /"key":"auth"/);
  const empty = await bd(dir, ["remember", "  ", "--json"]);
  assert.equal(JSON.parse(empty.stderr).code, "VALIDATION");
});

Deno.test("a malformed line is reported with its line number (--strict rejects the whole import); unknown kinds are only noted", async () => {
  const dir = await workspace("bad");
  Deno.writeTextFileSync(join(dir, "in.jsonl"), mid2026 + '{"_type":"issue","title":"no id"}\n');
  const r = await bd(dir, ["import", "-i", "in.jsonl", "--json", "--strict"]);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stderr).error, /line 6: missing "id"/);
  assert.equal((await bdOk(dir, ["count", "--json"])).json().count, 0, "nothing was imported");
  const dry = (await bdOk(dir, ["import", "-i", "in.jsonl", "--json", "--dry-run"])).json();
  assert.deepEqual(dry.rejected, [{ line: 6, reason: 'missing "id"' }]);
  Deno.writeTextFileSync(join(dir, "in.jsonl"), mid2026);
  const ok = await bdOk(dir, ["import", "-i", "in.jsonl"]);
  assert.match(ok.stderr, /2 memories, 1 other records kept/);
  assert.match(ok.stderr, /Note: kept records of kinds bd does not know \(agent_state\)/);
});
