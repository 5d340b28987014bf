/**
 * The JSONL kept current in place against its oracle: after random write sequences the file equals
 * the full export byte for byte; a patch torn by a crash is detected and repaired, never imported.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { initWorkspace } from "../../src/core/init.ts";
import { Beads } from "../../src/core/service.ts";
import { exportText } from "../../src/core/sync.ts";
import { applyEdits, patchMarker, spliceEdits } from "../../src/core/jsonl_patch.ts";
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

Deno.test("spliceEdits over a file with no final newline, removals and inserts at both ends", () => {
  const enc = new TextEncoder();
  const file = enc.encode('{"id":"b"}\n{"id":"d"}');
  const changed = new Map<string, string | null>([["a", '{"id":"a"}'], ["d", null], ["e", '{"id":"e"}']]);
  const out = applyEdits(file, spliceEdits(file, changed));
  assert.equal(
    new TextDecoder().decode(Uint8Array.from(out.flatMap((p) => [...p]))),
    '{"id":"a"}\n{"id":"b"}\n{"id":"e"}\n',
  );
});

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
