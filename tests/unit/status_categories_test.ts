/**
 * Custom statuses and their categories (config status.custom): the parser's rules, and the ready,
 * blocked and default-list rules against an oracle written from the categories' definitions, on
 * random graphs of 2,500 issues and on random writes, including the config changing under them.
 */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import { BdError } from "../../src/model/errors.ts";
import { parseCustomStatuses, parseCustomStatusesLeniently } from "../../src/model/status_categories.ts";
import { BLOCKED_IDS_SQL } from "../../src/store/schema.ts";
import { refreshBlockedCache } from "../../src/store/query.ts";
import { rng } from "../../scripts/gen_data.ts";
import { createRandomTree } from "./random_tree.ts";

const isValidation = (e: unknown) => e instanceof BdError && e.code === "VALIDATION";

Deno.test("status.custom parses name:category entries and the legacy bare names", () => {
  assert.deepEqual(parseCustomStatuses(" in_review:active, qa-2:wip,shipped:done ,on_hold:frozen,legacy"), [
    { name: "in_review", category: "active" },
    { name: "qa-2", category: "wip" },
    { name: "shipped", category: "done" },
    { name: "on_hold", category: "frozen" },
    { name: "legacy", category: "unspecified" },
  ]);
  assert.deepEqual(parseCustomStatuses(""), []);
});

Deno.test("status.custom refuses a bad category, a bad name, a built-in, a repeat and too many", () => {
  const refused: [string, RegExp][] = [
    ["a:nope", /invalid category "nope" for status "a": use one of active, wip, done, frozen/],
    ["a:", /a colon must be followed by a category/],
    ["In_Review:active", /invalid status name "In_Review"/],
    ["9lives", /invalid status name/],
    ["two words", /invalid status name/],
    ["closed:active", /"closed" is a built-in status/],
    ["x:done,x:wip", /"x" is listed twice/],
    [Array.from({ length: 51 }, (_, i) => `s${i}`).join(","), /too many custom statuses \(51; the maximum is 50\)/],
  ];
  for (const [value, message] of refused) {
    assert.throws(
      () => parseCustomStatuses(value),
      (e) => isValidation(e) && message.test((e as Error).message),
      value,
    );
  }
  // A stored value another program wrote is read entry by entry, skipping the bad ones.
  assert.deepEqual(parseCustomStatusesLeniently("ok:done,bad:nope,Bad,ok:wip,later"), [
    { name: "ok", category: "done" },
    { name: "later", category: "unspecified" },
  ]);
});

const CONFIGS = [
  "in_review:active,shipped:done,on_hold:frozen,qa:wip,legacy",
  // The same names with other meanings: what was done now blocks, what was frozen is ready.
  "in_review:wip,shipped:active,on_hold:done,qa:frozen,legacy:done",
  "",
];
const STATUS_POOL = "open open in_progress blocked deferred closed in_review shipped on_hold qa legacy hooked".split(
  " ",
);

/** The default list hides closed and custom done or frozen statuses (built-in deferred stays listed). */
function listedByDefault(status: string, config: string): boolean {
  const custom = parseCustomStatuses(config).find((s) => s.name === status)?.category;
  return status !== "closed" && custom !== "done" && custom !== "frozen";
}

function categories(config: string): Map<string, string> {
  const m = new Map<string, string>([["open", "active"], ["in_progress", "wip"], ["blocked", "wip"], [
    "deferred",
    "frozen",
  ], ["closed", "done"]]);
  for (const s of parseCustomStatuses(config)) m.set(s.name, s.category);
  return m;
}

interface Row {
  id: string;
  status: string;
}

/** The rules computed from their definitions, over the issues and edges as they are. */
function oracle(b: Beads, config: string) {
  const cat = categories(config);
  const issues = b.db.all<Row>("SELECT id, status FROM issues");
  const status = new Map(issues.map((i) => [i.id, i.status]));
  const edges = b.db.all<{ issue_id: string; depends_on_id: string; type: string }>(
    "SELECT issue_id, depends_on_id, type FROM dependencies",
  );
  const blocked = new Set<string>();
  for (const e of edges) {
    const s = status.get(e.depends_on_id);
    if (e.type === "blocks" && s !== undefined && cat.get(s) !== "done") blocked.add(e.issue_id);
  }
  for (let changed = true; changed;) {
    changed = false;
    const grow = (id: string) => {
      if (!blocked.has(id)) (blocked.add(id), changed = true);
    };
    // Upstream's parent rule: the parent-child edges; the ID's prefix (P of P.N) only without one.
    for (const e of edges) if (e.type === "parent-child" && blocked.has(e.depends_on_id)) grow(e.issue_id);
    const withEdge = new Set(edges.filter((e) => e.type === "parent-child").map((e) => e.issue_id));
    for (const i of issues) {
      const byId = /^(.+)\.\d+$/.exec(i.id)?.[1];
      if (!withEdge.has(i.id) && byId !== undefined && blocked.has(byId)) grow(i.id);
    }
  }
  const ready = issues.filter((i) => cat.get(i.status) === "active" && !blocked.has(i.id)).map((i) => i.id).sort();
  const listed = issues.filter((i) => listedByDefault(i.status, config)).length;
  const activeBlocked = issues.filter((i) => blocked.has(i.id) && cat.get(i.status) !== "done").map((i) => i.id).sort();
  return { blocked: [...blocked].filter((id) => status.has(id)).sort(), ready, listed, activeBlocked };
}

function check(b: Beads, config: string, when: string) {
  b.db.write(() => refreshBlockedCache(b.db));
  const want = oracle(b, config);
  const cached = b.db.all<Row>("SELECT issue_id AS id FROM blocked_cache").map((r) => r.id).sort();
  const rule = [...new Set(b.db.all<Row>(`SELECT id FROM (${BLOCKED_IDS_SQL})`).map((r) => r.id))].sort();
  assert.deepEqual(rule, want.blocked, `the rule's blocked set, ${when}`);
  assert.deepEqual(cached, want.blocked, `the kept blocked set, ${when}`);
  for (const sort of ["hybrid", "priority", "oldest"] as const) {
    assert.deepEqual(b.ready({ limit: 0, sort }).map((i) => i.id).sort(), want.ready, `ready --sort ${sort}, ${when}`);
  }
  assert.equal(b.stats().ready_issues, want.ready.length, `the ready count, ${when}`);
  assert.equal(b.count({}), want.listed, `the default list's count, ${when}`);
  assert.equal(b.list({}, { limit: 0 }).issues.length, want.listed, `the default list, ${when}`);
  assert.deepEqual(
    b.blocked().map((i) => i.id).sort(),
    want.activeBlocked.filter((id) => listedByDefault(b.issue(id).status, config)),
    `bd blocked, ${when}`,
  );
  const views = b.db.all<Row>("SELECT id FROM ready_issues").map((r) => r.id).sort();
  assert.deepEqual(views, want.ready, `the ready_issues view, ${when}`);
}

function open(): Beads {
  const dir = Deno.makeTempDirSync({ prefix: "bd-statuses-" });
  return initWorkspace({ cwd: dir, env: {}, prefix: "p", actor: "prop", autoFlush: false }).beads;
}

Deno.test("ready, blocked and the default list follow the categories on 2,500 issues, as the config changes", () => {
  const b = open();
  const rand = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const rows: { id: string; status: string }[] = [];
  for (let i = 0; i < 2500; i++) {
    const parent = rows.length && rand() < 0.2 ? pick(rows).id : undefined;
    const id = parent && parent.split(".").length < 3 ? `${parent}.${i}` : `p-${i}`;
    rows.push({ id, status: pick(STATUS_POOL) });
  }
  const edges: [string, string, string][] = [];
  for (let i = 0; i < 3000; i++) {
    const a = pick(rows).id, c = pick(rows).id;
    if (a !== c) edges.push([a, c, rand() < 0.8 ? "blocks" : "parent-child"]);
  }
  b.db.write(() => {
    b.db.run(
      `INSERT INTO issues (id, title, status, created_at, updated_at)
       SELECT json_extract(value, '$.id'), 'n', json_extract(value, '$.status'), '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'
       FROM json_each(?)`,
      JSON.stringify(rows),
    );
    b.db.run(
      `INSERT OR IGNORE INTO dependencies (issue_id, depends_on_id, type)
       SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`,
      JSON.stringify(edges),
    );
  });
  check(b, "", "with no custom statuses");
  for (const config of CONFIGS) {
    b.configSet("status.custom", config);
    check(b, config, `after status.custom = "${config}"`);
  }
  b.configSet("status.custom", CONFIGS[0]);
  b.configUnset("status.custom");
  check(b, "", "after status.custom is unset");
});

for (const seed of [1, 2, 3, 4, 5, 6]) {
  Deno.test(`the kept blocked set and ready follow random writes into custom statuses (seed ${seed})`, () => {
    const b = open();
    const rand = rng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    let config = CONFIGS[0];
    b.configSet("status.custom", config);
    const ids = createRandomTree(b, 40, rand, 0.25);
    for (let step = 0; step < 150; step++) {
      const r = rand();
      const a = pick(ids), c = pick(ids);
      try {
        if (r < 0.3) b.addDependency(a, c, pick(["blocks", "blocks", "parent-child"]));
        else if (r < 0.75) b.update(a, { status: pick(["open", "in_review", "shipped", "on_hold", "qa", "legacy"]) });
        else if (r < 0.85) b.closeIssue(a);
        else if (r < 0.92) {
          // Another program writes a status with plain SQL: the triggers must notice.
          b.db.write(() =>
            b.db.run("UPDATE issues SET status = ? WHERE id = ?", pick(["shipped", "open", "hooked"]), a)
          );
        } else {
          config = pick(CONFIGS.slice(0, 2));
          b.configSet("status.custom", config);
        }
      } catch (e) {
        if (!(e instanceof BdError)) throw e; // cycles and statuses the current config lacks are refused
      }
      if (step % 10 === 0 || r >= 0.92) check(b, config, `step ${step}`);
    }
    check(b, config, "the end");
  });
}

Deno.test("update --status takes a configured custom status and refuses one nothing configures", () => {
  const b = open();
  const id = b.create({ title: "x" }).id;
  assert.throws(
    () => b.update(id, { status: "in_review" }),
    (e) => isValidation(e) && /invalid status "in_review".*status.custom/.test((e as Error).message),
  );
  b.configSet("status.custom", "in_review:active");
  assert.equal(b.update(id, { status: "in_review" }).status, "in_review");
  assert.deepEqual(b.ready({ limit: 0 }).map((i) => i.id), [id]);
});
