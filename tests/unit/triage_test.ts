/**
 * Triage on known graphs with asserted answers, and on random graphs against a brute-force oracle
 * that spells the rule out: X blocks Y when Y has a blocks dependency on X, or Y descends from an
 * issue X blocks; chains are paths in that relation.
 */
import assert from "node:assert/strict";
import { blockedNodes, longestChain, triageGraph, type TriageInput, unblocksAll } from "../../src/core/triage_graph.ts";
import { initWorkspace } from "../../src/core/init.ts";
import { rng } from "../../scripts/gen_data.ts";

function analyse(input: TriageInput) {
  const g = triageGraph(input);
  const unblocks = unblocksAll(g);
  const by = (id: string) => unblocks[g.index.get(id)!];
  const chain = longestChain(g, (i) => i).map((i) => g.ids[i]);
  return { g, by, chain };
}

const ids = (n: number, p = "x") => Array.from({ length: n }, (_, i) => `${p}${i}`);

Deno.test("triage: a chain — each unblocks those after it; the critical path is the chain", () => {
  const { by, chain } = analyse({
    ids: ids(4),
    blocks: [{ from: "x0", to: "x1" }, { from: "x1", to: "x2" }, { from: "x2", to: "x3" }],
    parents: [],
  });
  assert.deepEqual(["x0", "x1", "x2", "x3"].map(by), [3, 2, 1, 0]);
  assert.deepEqual(chain, ["x0", "x1", "x2", "x3"]);
});

Deno.test("triage: a hub blocking five unblocks five; a diamond's shared descendant counts once", () => {
  const hub = analyse({ ids: ids(6), blocks: [1, 2, 3, 4, 5].map((i) => ({ from: "x0", to: `x${i}` })), parents: [] });
  assert.equal(hub.by("x0"), 5);
  assert.equal(hub.chain.length, 2);
  // x0 blocks x1 and x2, both block x3, which blocks x4.
  const diamond = analyse({
    ids: ids(5),
    blocks: [
      { from: "x0", to: "x1" },
      { from: "x0", to: "x2" },
      { from: "x1", to: "x3" },
      { from: "x2", to: "x3" },
      { from: "x3", to: "x4" },
    ],
    parents: [],
  });
  assert.equal(diamond.by("x0"), 4, "x3 and x4 once each");
  assert.deepEqual(diamond.chain.length, 4);
});

Deno.test("triage: children of a blocked parent are blocked by its blocker; a parent does not block its own children", () => {
  const { g, by, chain } = analyse({
    ids: ["b", "e", "e.1", "e.2", "k", "k1"],
    blocks: [{ from: "b", to: "e" }, { from: "e.2", to: "k" }],
    parents: [{ child: "e.1", parent: "e" }, { child: "e.2", parent: "e" }, { child: "k1", parent: "k" }],
  });
  assert.equal(by("b"), 5, "e, its children e.1 and e.2, and through e.2: k and its child k1");
  assert.equal(by("e"), 0, "an epic holds up nothing by being open");
  assert.equal(by("e.2"), 2);
  assert.deepEqual(chain, ["b", "e.2", "k"], "b blocks e.2 through e; e.2 blocks k");
  const blocked = blockedNodes(g);
  assert.deepEqual(g.ids.filter((_, i) => blocked[i]), ["e", "e.1", "e.2", "k", "k1"]);
});

Deno.test("triage: a cycle does not hang the analysis; its members count each other once", () => {
  const { by, chain } = analyse({
    ids: ids(4),
    blocks: [{ from: "x0", to: "x1" }, { from: "x1", to: "x2" }, { from: "x2", to: "x0" }, { from: "x2", to: "x3" }],
    parents: [{ child: "x0", parent: "x3" }, { child: "x3", parent: "x0" }],
  });
  assert.equal(by("x0"), 3);
  assert.ok(chain.length >= 1 && new Set(chain).size === chain.length, "a chain never repeats an issue");
});

/** The rule spelled out: materialised "blocks" pairs, reach by DFS, longest path by memoised DFS. */
function oracle(input: TriageInput) {
  const kids = new Map<string, string[]>();
  for (const p of input.parents) kids.set(p.parent, [...(kids.get(p.parent) ?? []), p.child]);
  const desc = (a: string): string[] => (kids.get(a) ?? []).flatMap((c) => [c, ...desc(c)]);
  const edges = new Map<string, Set<string>>(input.ids.map((id) => [id, new Set()]));
  for (const e of input.blocks) for (const t of [e.to, ...desc(e.to)]) edges.get(e.from)!.add(t);
  const reach = (x: string) => {
    const seen = new Set<string>();
    const go = (v: string) => {
      for (const w of edges.get(v)!) if (!seen.has(w)) seen.add(w), go(w);
    };
    go(x);
    seen.delete(x);
    return seen.size;
  };
  const memo = new Map<string, number>();
  const longest = (v: string): number => {
    if (!memo.has(v)) memo.set(v, 1 + Math.max(0, ...[...edges.get(v)!].map(longest)));
    return memo.get(v)!;
  };
  return { edges, reach, longest: Math.max(0, ...input.ids.map(longest)) };
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  Deno.test(`triage equals the brute-force rule on a random graph (seed ${seed})`, () => {
    const rand = rng(seed);
    const n = 8 + Math.floor(rand() * 25);
    const input: TriageInput = { ids: [], blocks: [], parents: [] };
    for (let i = 0; i < n; i++) {
      // Some issues are hierarchical children (p.N); edges only run from earlier to later issues: a DAG.
      const parent = i > 0 && rand() < 0.2 ? input.ids[Math.floor(rand() * i)] : undefined;
      input.ids.push(parent && !parent.includes(".") ? `${parent}.${i}` : `n${i}`);
    }
    for (let k = 0; k < n * 1.5; k++) {
      const a = Math.floor(rand() * n), b = Math.floor(rand() * n);
      if (a >= b) continue;
      if (rand() < 0.7) input.blocks.push({ from: input.ids[a], to: input.ids[b] });
      else input.parents.push({ child: input.ids[b], parent: input.ids[a] });
    }
    // The store's parent rule: an issue without a parent-child edge hangs under its ID's prefix.
    const withEdge = new Set(input.parents.map((p) => p.child));
    for (const id of input.ids) {
      const byId = /^(.+)\.\d+$/.exec(id)?.[1];
      if (byId && !withEdge.has(id) && input.ids.includes(byId)) input.parents.push({ child: id, parent: byId });
    }
    const o = oracle(input);
    const { g, by, chain } = analyse(input);
    for (const id of input.ids) assert.equal(by(id), o.reach(id), `unblocks of ${id}`);
    assert.equal(chain.length, o.longest, "the critical path is a longest chain");
    for (let i = 1; i < chain.length; i++) {
      assert.ok(o.edges.get(chain[i - 1])!.has(chain[i]), `${chain[i - 1]} blocks ${chain[i]}`);
    }
    assert.equal(g.ids.length, n);
  });
}

Deno.test("triage through the service: closed issues drop out; cycles are reported; ready --sort impact and Issue counts agree", () => {
  const dir = Deno.makeTempDirSync({ prefix: "bd-triage-" });
  const b = initWorkspace({ cwd: dir, env: {}, prefix: "t", actor: "t", autoFlush: false }).beads;
  const id = (title: string, extra: Record<string, unknown> = {}) => b.create({ title, ...extra }).id;
  const hub = id("hub", { priority: 3 });
  const waiting = [1, 2, 3, 4, 5].map((n) => id(`waits ${n}`));
  for (const w of waiting) b.addDependency(w, hub);
  const small = id("small win", { priority: 0 });
  b.addDependency(id("after small"), small);
  const done = id("done blocker");
  b.addDependency(id("freed"), done);
  b.closeIssue(done);
  const t = b.triage({ limit: 0 });
  assert.equal(t.bottlenecks[0].id, hub);
  assert.equal(t.bottlenecks[0].unblocks, 5);
  assert.deepEqual(t.bottlenecks[0].blocks.sort(), waiting.sort());
  assert.ok(!t.bottlenecks.some((x) => x.id === done), "a closed issue drops out");
  assert.deepEqual(t.quick_wins.map((q) => q.id), [hub, small], "by unblocks first, then priority");
  const ready = b.ready({ sort: "impact", limit: 3 }).map((i) => i.id);
  assert.deepEqual(ready.slice(0, 2), [hub, small]);
  assert.equal(ready.length, 3);
  assert.equal(b.claimNextReady({ sort: "impact" })!.id, hub, "claim takes the same order");
  assert.equal(b.unblocksOf([hub]).get(hub), 5);
  assert.deepEqual(t.cycles, []);
  b.closeIssue(hub);
  assert.equal(b.unblocksOf([hub]).get(hub), 0, "the kept counts follow the graph");
  assert.equal(b.ready({ sort: "impact", limit: 1 })[0].id, small);
});
