import assert from "node:assert/strict";
import { findCycles } from "../../src/core/graph.ts";

Deno.test("findCycles reports one concrete cycle per strongly connected component", () => {
  const cycles = findCycles([
    { from: "a", to: "b" },
    { from: "b", to: "c" },
    { from: "c", to: "a" },
    { from: "x", to: "y" },
    { from: "d", to: "d" },
  ]);
  assert.deepEqual(cycles, [["a", "b", "c"], ["d"]]);
});

Deno.test("findCycles finds nothing in a DAG and survives long chains", () => {
  const edges = Array.from({ length: 20000 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
  assert.deepEqual(findCycles(edges), []);
  edges.push({ from: "n20000", to: "n0" });
  assert.equal(findCycles(edges)[0].length, 20001);
});
