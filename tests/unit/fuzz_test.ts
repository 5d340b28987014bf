/**
 * Bad input, generated (seeded, a few thousand cases): random argv to every command, titles
 * with control characters, 1 MB descriptions, SQL metacharacters in every filter. The CLI runs
 * in-process (same code as the binary's entry), so thousands of cases take seconds.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { run } from "../../src/cli/main.ts";
import { allCommands } from "../../src/cli/catalog.ts";
import type { Command } from "../../src/cli/command.ts";

const COMMANDS: Command[] = await allCommands();
import { rng } from "../../scripts/gen_data.ts";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function bdIn(dir: string, argv: string[]): Promise<Outcome> {
  let stdout = "", stderr = "";
  const code = await run(argv, { NO_COLOR: "1", BD_ACTOR: "fuzz", BD_BUSY_TIMEOUT_MS: "2000" }, dir, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

const MULTI_ID = new Set([
  "show",
  "update",
  "close",
  "reopen",
  "delete",
  "label add",
  "label remove",
  "defer",
  "undefer",
]);

const NASTY = [
  "'; DROP TABLE issues; --",
  '" OR 1=1 --',
  "%",
  "_",
  "*",
  "\\",
  "\u0000\u0001\u0007\u001b[31m",
  "💥ünï©ødé",
  "a".repeat(600),
  "",
  " ",
  "-1",
  "99999999999999999999",
  "P9",
  "1e3",
  "NaN",
  "../../etc/passwd",
  "$(rm -rf /)",
  "test-",
  "--",
];

/** Commands whose exit 1 reports findings on stdout (bd's lint, doctor, and setup --check). */
const REPORTS = new Set(["lint", "doctor", "setup", "onboard"]);

Deno.test("random argv to every command never crashes, never leaks a stack, never corrupts data", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-fuzz-" });
  assert.equal((await bdIn(dir, ["init", "--prefix", "test", "-q"])).code, 0);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(JSON.parse((await bdIn(dir, ["create", `seed ${i}`, "--json"])).stdout).id);
  const rand = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const flagsOf = (c: Command) => Object.entries(c.flags ?? {});
  let internal = 0;
  const runnable = COMMANDS.filter((c) => !["serve", "mcp", "sync", "init", "schema", "ext"].includes(c.path[0]));
  for (let n = 0; n < 2500; n++) {
    const c = pick(runnable);
    const argv = [...c.path];
    const parts = Math.floor(rand() * 5);
    for (let k = 0; k < parts; k++) {
      const r = rand();
      if (r < 0.35 && flagsOf(c).length) {
        const [name, spec] = pick(flagsOf(c));
        argv.push(`--${name}`);
        if (spec.type === "string") {
          argv.push(rand() < 0.5 ? pick(NASTY) : pick([...ids, "P1", "2", "open", "bug", "blocks", "+2d"]));
        }
      } else if (r < 0.45) argv.push(pick(["--json", "-q", "--sandbox", "--frob", "-z", "--limit=-3", "--json=1"]));
      else argv.push(rand() < 0.6 ? pick(ids) : pick(NASTY));
    }
    if (["delete"].includes(c.path[0])) argv.push("--force"); // exercise the real path too
    const out = await bdIn(dir, argv);
    const where = `bd ${argv.map((a) => JSON.stringify(a)).join(" ")}`;
    assert.ok([0, 1, 2].includes(out.code), `${where}: exit ${out.code}`);
    if (out.code !== 0) {
      // Multi-ID commands print the successes and exit 1 when some IDs failed (contract §4).
      const multi = MULTI_ID.has(c.path.join(" ")) && out.code === 1;
      // Reports whose exit 1 means "found something" (like grep): lint, doctor, setup --check.
      const report = REPORTS.has(c.path[0]) && out.code === 1 && !/(^|\n)(Error: |\{"error":)/.test(out.stderr);
      if (!multi && !report) assert.equal(out.stdout, "", `${where}: stdout must be empty on failure`);
      if (!report) assert.match(out.stderr, /(^|\n)(Error: |\{"error":)/, `${where}: ${out.stderr}`);
    }
    assert.doesNotMatch(out.stderr, /\n\s+at .*\.ts:\d+/, `${where}: stack trace`);
    if (/INTERNAL|this is a bug/.test(out.stderr)) {
      internal++;
      throw new Error(`${where}: internal error: ${out.stderr}`);
    }
    // Keep some live IDs around as deletes remove them.
    if (n % 200 === 0) {
      const made = await bdIn(dir, ["create", `refill ${n}`, "--json"]);
      if (made.code === 0) ids.push(JSON.parse(made.stdout).id);
    }
  }
  assert.equal(internal, 0);
  const conn = new DatabaseSync(join(dir, ".beads", "test.db"));
  assert.equal(conn.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
  assert.ok(Number(conn.prepare("SELECT count(*) AS n FROM issues").get()!.n) >= 0);
  conn.close();
  // The JSONL still parses and matches the database.
  const file = Deno.readTextFileSync(join(dir, ".beads", "issues.jsonl")).split("\n").filter(Boolean).map((l) =>
    JSON.parse(l)
  );
  const live = file.filter((i) => i.id !== undefined && i.status !== "tombstone").length; // memories aside
  assert.equal(live, JSON.parse((await bdIn(dir, ["count", "--json"])).stdout).count);
});

Deno.test("SQL metacharacters in every filter are plain text; 1 MB descriptions and control characters are handled", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bd-fuzz-" });
  await bdIn(dir, ["init", "--prefix", "test", "-q"]);
  const title = "tab\there \u0007bell \u001b[31mred\u001b[0m";
  const made = await bdIn(dir, ["create", title, "-d", "x".repeat(1024 * 1024), "--json"]);
  assert.equal(made.code, 0, made.stderr);
  const issue = JSON.parse(made.stdout);
  assert.equal(issue.title, "tab\there bell [31mred[0m", "control characters other than tab/newline are removed");
  assert.equal(issue.description.length, 1024 * 1024);
  for (const evil of NASTY.slice(0, 6)) {
    for (
      const args of [["list", "--title", evil], ["list", "--assignee", evil], ["list", "--label", evil], [
        "search",
        evil,
      ], ["list", "--label-any", evil]]
    ) {
      const r = await bdIn(dir, [...args, "--json"]);
      assert.ok(r.code === 0 || r.code === 1, `${args.join(" ")}: ${r.stderr}`);
      if (r.code === 0) assert.ok(Array.isArray(JSON.parse(r.stdout)));
    }
  }
  // `%` and `_` are not wildcards: search for them finds nothing here.
  assert.deepEqual(JSON.parse((await bdIn(dir, ["search", "%", "--json"])).stdout), []);
  assert.equal(JSON.parse((await bdIn(dir, ["count", "--json"])).stdout).count, 1);
});
