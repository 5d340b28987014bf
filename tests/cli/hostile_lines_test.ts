/**
 * Lines no command could use stay out of the database (issue 32): one set of rules
 * (model/validate.ts issueProblems) for every imported issue, with the line number and reason.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, createIssue, workspace } from "../helpers.ts";
import { bdIn, clones, git, jsonlOf } from "../git_helpers.ts";

const T = "2025-01-01T00:00:00Z";
const base = { status: "open", priority: 2, issue_type: "task", created_at: T, updated_at: T };

/** One record for each value issue 32 found getting in, with the reason bd gives. */
const BAD: [Record<string, unknown>, RegExp][] = [
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

Deno.test("import takes the good lines of a file with every bad value, and reports each bad one by line and reason", async () => {
  const dir = await workspace("hl");
  const already = await createIssue(dir, "already here");
  const lines = [JSON.stringify({ ...base, id: "hl-good1", title: "fine" })];
  for (const [record] of BAD) lines.push(JSON.stringify(record));
  lines.push("{not json", JSON.stringify({ ...base, id: "hl-good2", title: "also fine" }));
  const file = join(dir, "in.jsonl");
  Deno.writeTextFileSync(file, lines.join("\n") + "\n");
  const r = await bdOk(dir, ["import", file, "--json"]);
  const report = r.json();
  assert.equal(report.created, 2);
  assert.deepEqual(report.rejected.map((x: { line: number }) => x.line), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  BAD.forEach(([, reason], i) => assert.match(report.rejected[i].reason, reason));
  assert.match(report.rejected[8].reason, /invalid JSON/);
  const ids = (await bdOk(dir, ["list", "--json", "--all"])).json().map((i: { id: string }) => i.id).sort();
  assert.deepEqual(ids, [already, "hl-good1", "hl-good2"].sort(), "the good lines came in, the bad ones did not");
  for (const id of ids) {
    await bdOk(dir, ["update", id, "--priority", "1"]);
    await bdOk(dir, ["show", id, "--json"]);
  }
  const text = await bdOk(dir, ["import", file]);
  assert.match(text.stderr, /9 lines not imported/);
  assert.match(text.stderr, /not imported: line 3: issue "hl-long": title is 1000000 characters/);
});

Deno.test("import --strict refuses the whole file for one bad line, and takes nothing", async () => {
  const dir = await workspace("hs");
  const file = join(dir, "in.jsonl");
  const good = JSON.stringify({ ...base, id: "hs-good", title: "fine" });
  Deno.writeTextFileSync(file, `${good}\n${JSON.stringify(BAD[2][0])}\n`);
  const r = await bd(dir, ["import", file, "--strict", "--json"]);
  assert.equal(r.code, 1);
  const err = JSON.parse(r.stderr);
  assert.equal(err.code, "VALIDATION");
  assert.match(err.error, /line 2: issue "hl-neg": priority -7/);
  assert.deepEqual((await bdOk(dir, ["list", "--json", "--all"])).json(), []);
});

Deno.test("two lines of one issue in a file: reported, and the later updated_at stands whatever the order", async () => {
  const dir = await workspace("hd");
  const newer = JSON.stringify({ ...base, id: "hd-a", title: "newer", updated_at: "2025-03-01T00:00:00Z" });
  const older = JSON.stringify({ ...base, id: "hd-a", title: "older" });
  const file = join(dir, "in.jsonl");
  Deno.writeTextFileSync(file, `${newer}\n${older}\n`);
  const r = (await bdOk(dir, ["import", file, "--json"])).json();
  assert.deepEqual(r.duplicates, [{ id: "hd-a", lines: [1, 2], kept: 1 }]);
  assert.equal((await bdOk(dir, ["show", "hd-a", "--json"])).json()[0].title, "newer");
});

Deno.test("create and update refuse what import refuses: one rule for every way in", async () => {
  const dir = await workspace("hc");
  const r = await bd(dir, ["create", "x", "--id", "hc-a\u0001b", "--json"]);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stderr).error, /PREFIX-HASH|invalid ID/);
  assert.deepEqual((await bdOk(dir, ["list", "--json", "--all"])).json(), []);
});

Deno.test("a command that asks for the workspace several times (show --children) prints the import's warning once", async () => {
  const dir = await workspace("hq");
  const id = await createIssue(dir, "already here");
  const path = join(dir, ".beads", "issues.jsonl");
  const hostile = JSON.stringify({ ...base, id: "hq-x\u0000y", title: "hostile" });
  Deno.writeTextFileSync(path, Deno.readTextFileSync(path) + hostile + "\n");
  const shown = await bdOk(dir, ["show", id, "--children"]);
  assert.equal(shown.stderr.match(/kept out of the database/g)?.length, 1, shown.stderr);
});

Deno.test("an unusable line arriving in issues.jsonl (a pull) stays out of the database and in the file; said once, listed by doctor", async () => {
  const dir = await workspace("hp");
  const id = await createIssue(dir, "already here");
  const path = join(dir, ".beads", "issues.jsonl");
  const hostile = JSON.stringify({ ...base, id: "hp-x\u0000y", title: "hostile" });
  const pulled = JSON.stringify({ ...base, id: "hp-pulled", title: "a good line from the same pull" });
  Deno.writeTextFileSync(path, Deno.readTextFileSync(path) + hostile + "\n" + pulled + "\n");
  const listed = await bd(dir, ["list", "--json"]);
  assert.equal(listed.code, 0);
  assert.deepEqual(listed.json().map((i: { id: string }) => i.id).sort(), [id, "hp-pulled"].sort());
  assert.match(listed.stderr, /1 line\(s\) of .* kept out of the database.*line 2: invalid id/);
  const again = await bdOk(dir, ["list", "--json"]);
  assert.doesNotMatch(again.stderr, /kept out/, "said once, not on every command");
  // Writes go on, and neither a patch nor a whole rewrite of the file drops the line.
  await bdOk(dir, ["create", "a write after the pull"]);
  assert.ok(Deno.readTextFileSync(path).includes(hostile), "kept through a patch");
  await bdOk(dir, ["export", "-o", path]);
  assert.ok(Deno.readTextFileSync(path).includes(hostile), "kept through a whole rewrite");
  await bdOk(dir, ["doctor", "--fix"]);
  assert.ok(Deno.readTextFileSync(path).includes(hostile), "kept through doctor --fix");
  const doctor = await bd(dir, ["doctor", "--json"]);
  const check = doctor.json().checks.find((c: { name: string }) => c.name === "jsonl-lines");
  assert.equal(check.status, "warning");
  assert.match(check.message, /line \d+ \("hp-x\\u0000y"\): invalid id/);
  // Mended by a person: the line comes in, and doctor is content.
  const mended = Deno.readTextFileSync(path).replace(
    hostile,
    JSON.stringify({ ...base, id: "hp-xy", title: "mended" }),
  );
  Deno.writeTextFileSync(path, mended);
  assert.equal((await bdOk(dir, ["show", "hp-xy", "--json"])).json()[0].title, "mended");
  const after = (await bd(dir, ["doctor", "--json"])).json().checks.find((c: { name: string }) =>
    c.name === "jsonl-lines"
  );
  assert.equal(after.status, "ok");
});

Deno.test("the merge driver keeps a merged line no command could use, and says so", async () => {
  const dir = await workspace("hm");
  const ok = JSON.stringify({ ...base, id: "hm-a", title: "a" });
  const bad = JSON.stringify({ ...base, id: "hm-b", title: "b", priority: 9 });
  const files = ["out", "base", "left", "right"].map((n) => join(dir, `${n}.jsonl`));
  Deno.writeTextFileSync(files[1], `${ok}\n`);
  Deno.writeTextFileSync(files[2], `${ok}\n`);
  Deno.writeTextFileSync(files[3], `${ok}\n${bad}\n`);
  const r = await bdOk(dir, ["merge", files[0], files[1], files[2], files[3], "--json"]);
  assert.deepEqual(r.json().unusable.map((u: { line: number }) => u.line), [2]);
  assert.match(r.stderr, /merged line 2 cannot be imported \(issue "hm-b": priority 9/);
  assert.equal(Deno.readTextFileSync(files[0]), `${ok}\n${bad}\n`);
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

Deno.test("a bad line pushed by another clone: bd sync takes the good ones, says which line it kept out, and keeps it in the file", async () => {
  const { dirs: [a, b] } = await clones(["hostile-a", "hostile-b"]);
  const path = join(a, ".beads", "issues.jsonl");
  const bad = JSON.stringify({ ...base, id: "g-bad", title: "bad", priority: 7 });
  const good = JSON.stringify({ ...base, id: "g-good", title: "good" });
  Deno.writeTextFileSync(path, Deno.readTextFileSync(path) + bad + "\n" + good + "\n");
  await git(a, "commit", "-qam", "a hand edit with one bad line");
  await git(a, "push", "-q");
  const report = (await bdIn(b, ["sync", "--json"])).json();
  assert.ok(
    report.steps.some((s: string) => /^Warning: 1 line\(s\) of .* kept out .*priority 7/.test(s)),
    report.steps.join("\n"),
  );
  assert.equal((await bdIn(b, ["show", "g-good", "--json"])).json()[0].title, "good");
  assert.equal((await bd(b, ["show", "g-bad", "--json"])).code, 1);
  assert.ok(jsonlOf(b).includes(bad), "the line stays in the file for a person to mend");
});

Deno.test("bd init from a file with a bad line takes the rest, says which line it kept out, and doctor lists it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-init-bad-" });
  await Deno.mkdir(join(dir, ".beads"));
  const good = JSON.stringify({ ...base, id: "ib-a", title: "ok" });
  const bad = JSON.stringify({ ...base, id: "ib-b", title: "bad", priority: 9 });
  Deno.writeTextFileSync(join(dir, ".beads", "issues.jsonl"), `${good}\n${bad}\n`);
  const init = await bdOk(dir, ["init", "--json"]);
  assert.equal(init.json().imported.created, 1);
  assert.match(init.stderr, /issues\.jsonl line 2 kept out of the database \(issue "ib-b": priority 9/);
  const doctor = (await bd(dir, ["doctor", "--json"])).json();
  assert.match(doctor.checks.find((c: { name: string }) => c.name === "jsonl-lines").message, /line 2 \("ib-b"\)/);
  assert.ok(Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")).includes(bad), "the bad line stays as it was");
});
