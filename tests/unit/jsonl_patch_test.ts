/**
 * The JSONL kept current in place against its oracle: after random write sequences the file equals
 * the full export byte for byte; a patch torn by a crash is detected and repaired, never imported.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { initWorkspace } from "../../src/core/init.ts";
import { Beads } from "../../src/core/service.ts";
import { exportText } from "../../src/core/sync/jsonl_io.ts";
import { applyEditsInPlace, type Edit, patchMarker, spliceEdits } from "../../src/core/sync/jsonl_patch.ts";
import { closeSync, ftruncateSync, openSync } from "node:fs";
import { BdError } from "../../src/model/errors.ts";
import { remember } from "../../src/core/memories.ts";
import { rng } from "../../scripts/gen_data.ts";

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  Deno.test(`the in-place JSONL equals the full export after random writes (seed ${seed})`, () => {
    const dir = Deno.makeTempDirSync({ prefix: "bd-patch-" });
    const b = initWorkspace({ cwd: dir, env: {}, prefix: "p", actor: "prop" }).beads;
    const path = join(dir, ".beads", "issues.jsonl");
    const rand = rng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(b.create({ title: `issue ${i}`, description: "x".repeat(i * 7) }).id);
    for (let step = 0; step < 200; step++) {
      const r = rand();
      const a = pick(ids);
      try {
        if (r < 0.3) b.update(a, { notes: "n".repeat(Math.floor(rand() * 400)), title: `t${step}` });
        else if (r < 0.45) ids.push(b.create({ title: `new ${step}`, ...(rand() < 0.3 ? { parent: a } : {}) }).id);
        else if (r < 0.55) {
          b.delete(a);
          ids.splice(ids.indexOf(a), 1);
        } else if (r < 0.65) b.addLabel(a, pick(["x", "y", "z"]));
        else if (r < 0.75) b.addDependency(a, pick(ids), pick(["blocks", "related"]));
        else if (r < 0.85) b.addComment(a, `comment ${step}`);
        else if (r < 0.92) remember(b, `memory ${step % 5}`, `k${step % 7}`);
        else b.closeIssue(a);
      } catch (e) {
        if (!(e instanceof BdError)) throw e;
      }
      assert.equal(Deno.readTextFileSync(path), exportText(b), `after step ${step}`);
    }
    b.close();
  });
}

/** Applies `edits` to `file` through a real file in place, moving bytes `chunk` at a time. */
function patchedInPlace(file: Uint8Array, edits: Edit[], chunk?: number): Uint8Array {
  const path = Deno.makeTempFileSync({ prefix: "bd-inplace-" });
  Deno.writeFileSync(path, file);
  const fd = openSync(path, "r+");
  try {
    ftruncateSync(fd, applyEditsInPlace(fd, file.length, edits, chunk));
  } finally {
    closeSync(fd);
  }
  return Deno.readFileSync(path);
}

/** The oracle: the same edits applied by building the whole new file in memory. */
function patchedInMemory(file: Uint8Array, edits: Edit[]): Uint8Array {
  const parts: number[] = [];
  let next = 0;
  for (const e of edits) {
    parts.push(...file.subarray(next, e.start), ...e.bytes);
    next = e.end;
  }
  parts.push(...file.subarray(next));
  return Uint8Array.from(parts);
}

Deno.test("spliceEdits over a file with no final newline, removals and inserts at both ends", () => {
  const enc = new TextEncoder();
  const file = enc.encode('{"id":"b"}\n{"id":"d"}');
  const changed = new Map<string, string | null>([["a", '{"id":"a"}'], ["d", null], ["e", '{"id":"e"}']]);
  assert.equal(
    new TextDecoder().decode(patchedInPlace(file, spliceEdits(file, changed))),
    '{"id":"a"}\n{"id":"b"}\n{"id":"e"}\n',
  );
});

for (const seed of [11, 12, 13, 14, 15, 16]) {
  Deno.test(`moving bytes in place equals rebuilding the file, for edits that grow and shrink it (seed ${seed})`, () => {
    const rand = rng(seed);
    const int = (n: number) => Math.floor(rand() * n);
    for (let round = 0; round < 60; round++) {
      const file = Uint8Array.from({ length: rand() < 0.2 ? 0 : int(400) }, () => 97 + int(26));
      // Disjoint edits in file order: each replaces [start, end) with 0..40 new bytes.
      // Often at a point already cut: edits that touch, and several inserts at one place.
      const cuts: number[] = [];
      for (let k = int(6) * 2; k > 0; k--) cuts.push(cuts.length && rand() < 0.4 ? cuts.at(-1)! : int(file.length + 1));
      cuts.sort((a, b) => a - b);
      const edits: Edit[] = [];
      for (let k = 0; k + 1 < cuts.length; k += 2) {
        edits.push({
          start: cuts[k],
          end: cuts[k + 1],
          bytes: Uint8Array.from({ length: int(41) }, () => 48 + int(10)),
        });
      }
      const chunk = 1 + int(16);
      assert.deepEqual(
        patchedInPlace(file, edits, chunk),
        patchedInMemory(file, edits),
        `round ${round}, chunk ${chunk}, edits ${JSON.stringify(edits.map((e) => [e.start, e.end, e.bytes.length]))}`,
      );
    }
  });
}

Deno.test("a patch torn by a crash is detected and the file rewritten from the database, not imported", () => {
  const dir = Deno.makeTempDirSync({ prefix: "bd-torn-" });
  const b = initWorkspace({ cwd: dir, env: {}, prefix: "p", actor: "t" }).beads;
  for (let i = 0; i < 20; i++) b.create({ title: `issue ${i}` });
  const path = join(dir, ".beads", "issues.jsonl");
  const whole = exportText(b);
  b.close();
  // What a writer killed in the middle of a patch leaves: a torn tail and the marker.
  Deno.writeTextFileSync(path, whole.slice(0, whole.length / 2) + '{"id":"p-tor');
  Deno.writeTextFileSync(patchMarker(path), String(Deno.statSync(path).ino));
  const again = Beads.open({ cwd: dir, env: {} });
  assert.equal(again.importProblem, undefined, "the torn file is not imported");
  assert.equal(Deno.readTextFileSync(path), whole);
  assert.equal(again.count({ includeClosed: true }), 20);
  assert.throws(() => Deno.statSync(patchMarker(path)), "the marker is gone");
  again.close();
});
