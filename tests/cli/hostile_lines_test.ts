/**
 * Lines no command could use stay out of the database (issue 32): one set of rules
 * (model/validate.ts issueProblems) for every imported issue, with the line number and reason.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";

const T = "2025-01-01T00:00:00Z";
const base = { status: "open", priority: 2, issue_type: "task", created_at: T, updated_at: T };

Deno.test("import refuses each unusable value with its line and reason, and takes nothing from the file", async () => {
  const dir = await workspace("hl");
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...base, id: "hl-nul\u0000x", title: "nul" }, /invalid id/],
    [{ ...base, id: "hl-long", title: "x".repeat(1_000_000) }, /title is 1000000 characters/],
    [{ ...base, id: "hl-neg", title: "neg", priority: -7 }, /priority -7 is not an integer from 0 to 4/],
    [{ ...base, id: "hl-big", title: "big", priority: 1e308 }, /priority 1e\+308/],
    [{ ...base, id: "hl-date", title: "date", created_at: "not-a-date" }, /created_at "not-a-date" is not a timestamp/],
    [{ ...base, id: "__proto__", title: "proto" }, /is not PREFIX-HASH/],
    [{ ...base, id: "hl-sql", title: "sql", status: "open'; DROP TABLE issues; --" }, /is not a status name/],
    [{
      ...base,
      id: "hl-self",
      title: "self",
      dependencies: [{ issue_id: "hl-self", depends_on_id: "hl-self", type: "blocks" }],
    }, /depends on itself/],
  ];
  const good = JSON.stringify({ ...base, id: "hl-good", title: "fine" });
  for (const [record, reason] of bad) {
    const file = join(dir, "in.jsonl");
    Deno.writeTextFileSync(file, `${good}\n${JSON.stringify(record)}\n`);
    const r = await bd(dir, ["import", file, "--json"]);
    assert.equal(r.code, 1, JSON.stringify(record).slice(0, 80));
    const err = JSON.parse(r.stderr);
    assert.equal(err.code, "VALIDATION");
    assert.match(err.error, /^line 2: /);
    assert.match(err.error, reason);
  }
  assert.deepEqual((await bdOk(dir, ["list", "--json", "--all"])).json(), [], "nothing came in");
});

Deno.test("an unusable line arriving in issues.jsonl (a pull) never enters: reads keep working, writes wait for the fix", async () => {
  const dir = await workspace("hp");
  const id = await createIssue(dir, "already here");
  const path = join(dir, ".beads", "issues.jsonl");
  const before = Deno.readTextFileSync(path);
  Deno.writeTextFileSync(path, before + JSON.stringify({ ...base, id: "hp-x\u0000y", title: "hostile" }) + "\n");
  const listed = await bd(dir, ["list", "--json"]);
  assert.equal(listed.code, 0);
  assert.deepEqual(listed.json().map((i: { id: string }) => i.id), [id]);
  assert.match(listed.stderr, /line 2: invalid id/);
  const write = await bd(dir, ["create", "blocked until fixed", "--json"]);
  assert.equal(write.code, 1);
  assert.match(JSON.parse(write.stderr).error, /line 2: invalid id/);
  Deno.writeTextFileSync(path, before);
  await bdOk(dir, ["create", "after the fix"]);
  assert.equal((await bdOk(dir, ["show", id, "--json"])).json()[0].title, "already here");
});

Deno.test("a JSONL cut short (lines lost in a bad merge) is made whole by the next write; a deletion still travels", async () => {
  const dir = await workspace("sh");
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await createIssue(dir, `issue ${i}`));
  await bdOk(dir, ["delete", ids[5], "--force"]);
  const path = join(dir, ".beads", "issues.jsonl");
  const whole = Deno.readTextFileSync(path).split("\n").filter(Boolean);
  assert.equal(whole.length, 6, "five issues and a tombstone");
  // Two issue lines go missing; the tombstone stays.
  const lost = whole.filter((l) => l.includes(ids[1]) || l.includes(ids[3]));
  Deno.writeTextFileSync(path, whole.filter((l) => !lost.includes(l)).join("\n") + "\n");
  assert.equal((await bdOk(dir, ["list", "--json"])).json().length, 5, "the database still has them");
  await bdOk(dir, ["create", "a later write"]);
  const after = Deno.readTextFileSync(path);
  for (const id of [ids[1], ids[3]]) assert.match(after, new RegExp(`"id":"${id}"`), `${id} is back in the file`);
  assert.equal(after.split("\n").filter(Boolean).length, 7);
  assert.equal((await bd(dir, ["show", ids[5]])).code, 1, "the deleted one stays deleted");
  assert.match((await bdOk(dir, ["doctor"])).stdout, /issues\.jsonl matches the database/);
});
