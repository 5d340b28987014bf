/**
 * `show`'s details (Beads.details) read the issues with their labels, every edge with the issue at
 * its other end, the comments and the parents in a statement each (issue 31). These hold them to
 * what the per-relation reads give: the same edges in the same order, missing issues as
 * `status: "missing"`, labels sorted, and the key order of the contract.
 */
import assert from "node:assert/strict";
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import * as rel from "../../src/store/relations.ts";
import * as issuesRepo from "../../src/store/issues.ts";

function open(): Beads {
  const dir = Deno.makeTempDirSync({ prefix: "bd-details-" });
  return initWorkspace({ cwd: dir, env: {}, prefix: "d", actor: "details", autoFlush: false }).beads;
}

Deno.test("details: edges both ways with the issues at their ends, in the per-relation reads' order", () => {
  const b = open();
  const ids = Array.from({ length: 8 }, (_, k) => b.create({ title: `issue ${k}`, priority: k % 5 }).id);
  // Edges point from a later issue to an earlier one (no cycles); two types between 1 and 0.
  const edges: [number, number, string][] = [
    [1, 0, "blocks"],
    [1, 0, "related"],
    [2, 1, "blocks"],
    [4, 1, "blocks"],
    [6, 1, "related"],
    [7, 1, "discovered-from"],
    [5, 4, "parent-child"],
    [6, 4, "blocks"],
    [3, 2, "related"],
  ];
  for (const [from, to, type] of edges) b.addDependency(ids[from], ids[to], type);
  for (const [k, id] of ids.entries()) {
    for (const label of ["zeta", "alpha", `l${k}`].slice(0, 1 + (k % 3))) b.addLabel(id, label);
  }
  b.addComment(ids[2], "a comment");
  // An edge whose target is not in this database (e.g. not imported yet): shown as missing.
  b.db.run(
    "INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by) VALUES (?, 'd-gone', 'blocks', ?, 'x')",
    ids[1],
    new Date().toISOString(),
  );
  const shown = b.details([ids[1], ids[4], ids[1]]);
  const deps = rel.dependenciesOf(b.db, [ids[1], ids[4]]);
  const dependents = rel.dependentsOf(b.db, [ids[1], ids[4]]);
  const labels = rel.labelsOf(b.db, [ids[1], ids[4]]);
  const byId = (id: string) => issuesRepo.getIssue(b.db, id);
  for (const d of shown) {
    assert.deepEqual(d.labels, labels.get(d.id) ?? []);
    assert.deepEqual(
      d.dependencies.map((x) => [x.id, x.dependency_type, x.title, x.status]),
      (deps.get(d.id) ?? []).map((e) => {
        const other = byId(e.depends_on_id);
        return [e.depends_on_id, e.type, other?.title ?? "", other?.status ?? "missing"];
      }),
    );
    assert.deepEqual(
      d.dependents.map((x) => [x.id, x.dependency_type, x.title]),
      (dependents.get(d.id) ?? []).map((e) => [e.issue_id, e.type, byId(e.issue_id)!.title]),
    );
    const keys = Object.keys(d);
    assert.deepEqual(keys.slice(keys.indexOf("labels"), keys.indexOf("labels") + 4), [
      "labels",
      "dependencies",
      "dependents",
      "comments",
    ]);
  }
  assert.ok(shown[0].dependencies.some((x) => x.id === "d-gone" && x.status === "missing"));
  assert.equal(shown.length, 3);
  assert.ok(shown[0].dependencies.length >= 2 && shown.some((d) => d.dependents.length > 0), "edges both ways");
  assert.deepEqual(shown[0], shown[2]);
  // A related issue is the issue itself (its fields), without its own relations.
  const anyRelated = [...shown[0].dependencies, ...shown[0].dependents].find((x) => x.status !== "missing")!;
  assert.equal(anyRelated.priority, byId(anyRelated.id)!.priority);
  assert.equal("labels" in anyRelated, false);
});
