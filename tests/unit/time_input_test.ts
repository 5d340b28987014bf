/**
 * Times typed for --due, --defer, --until and list's date filters, checked against upstream bd's
 * documented rules (internal/timeparsing): compact durations with m = months and y = years, then
 * absolute times, then natural language; and its error words.
 */
import assert from "node:assert/strict";
import { absoluteTime, compactDuration, parseUserTime, readTime } from "../../src/model/time_input.ts";
import { BdError } from "../../src/model/errors.ts";

/** Monday 7 December 2026, 21:30:15 local time. */
const NOW = new Date(2026, 11, 7, 21, 30, 15);
const local = (y: number, m: number, d: number, h = 21, min = 30, s = 15) => new Date(y, m - 1, d, h, min, s);

Deno.test("compact durations: h, d, w, m = months, y = years; a sign or none (later)", () => {
  assert.deepEqual(compactDuration("+6h", NOW), local(2026, 12, 8, 3));
  assert.deepEqual(compactDuration("-1d", NOW), local(2026, 12, 6));
  assert.deepEqual(compactDuration("+2w", NOW), local(2026, 12, 21));
  assert.deepEqual(compactDuration("3m", NOW), local(2027, 3, 7), "m is months, as upstream: not minutes");
  assert.deepEqual(compactDuration("+3m", NOW), local(2027, 3, 7));
  assert.deepEqual(compactDuration("1y", NOW), local(2027, 12, 7));
  assert.deepEqual(compactDuration("-2y", NOW), local(2024, 12, 7));
  for (const no of ["3", "+3x", "3 m", "3min", "m", "++3d", "1.5d"]) {
    assert.equal(compactDuration(no, NOW), undefined, no);
  }
});

Deno.test("absolute times: a date is local midnight, RFC 3339 keeps its offset, no impossible dates", () => {
  assert.deepEqual(absoluteTime("2025-01-15"), new Date(2025, 0, 15));
  assert.equal(absoluteTime("2025-01-31T10:00:00+02:00")?.toISOString(), "2025-01-31T08:00:00.000Z");
  assert.equal(absoluteTime("2025-01-31T10:00:00Z")?.toISOString(), "2025-01-31T10:00:00.000Z");
  assert.deepEqual(absoluteTime("2025-01-15T10:00:00"), new Date(2025, 0, 15, 10));
  assert.deepEqual(absoluteTime("2025-01-15 10:00:00"), new Date(2025, 0, 15, 10));
  for (const no of ["2025-02-30", "2025-13-01", "2025-01-15T25:00:00", "15/01/2025"]) {
    assert.equal(absoluteTime(no), undefined, no);
  }
});

Deno.test("natural language: tomorrow, next monday, in 3 days; a named day keeps the time of day", async () => {
  assert.deepEqual(await readTime("tomorrow", NOW), local(2026, 12, 8));
  assert.deepEqual(await readTime("next monday", NOW), local(2026, 12, 14));
  assert.deepEqual(await readTime("next monday at 9am", NOW), local(2026, 12, 14, 9, 0, 0));
  assert.deepEqual(await readTime("in 3 days", NOW), local(2026, 12, 10));
  assert.deepEqual(await readTime("3 days ago", NOW), local(2026, 12, 4));
  assert.deepEqual(await readTime("  Tomorrow  ", NOW), local(2026, 12, 8));
});

Deno.test("the layers' order: a compact duration and a date are never read as natural language", async () => {
  assert.deepEqual(await readTime("3m", NOW), local(2027, 3, 7));
  assert.deepEqual(await readTime("2025-02-01", NOW), new Date(2025, 1, 1));
});

Deno.test("what bd cannot read is an error in upstream's words; nothing is half-read", async () => {
  for (const text of ["banana", "tomorrow-ish", "tomorrow banana", "soon", "", "2025-02-30", "+3x"]) {
    assert.equal(await readTime(text, NOW), undefined, text);
  }
  const error = async (input: string, flag: string) => {
    try {
      await parseUserTime(input, flag, NOW);
    } catch (e) {
      assert.ok(e instanceof BdError && e.code === "VALIDATION");
      return e.message;
    }
    assert.fail(`${input} was read`);
  };
  assert.equal(
    await error("banana", "--due"),
    'invalid --due format "banana". Examples: +6h, tomorrow, next monday, 2025-01-15',
  );
  assert.equal(
    await error("soon", "--defer"),
    'invalid --defer format "soon". Examples: +1h, tomorrow, next monday, 2025-01-15',
  );
  assert.equal(
    await error("x", "--created-after"),
    'parsing --created-after: cannot parse time expression: "x" (examples: +6h, tomorrow, 2025-01-15)',
  );
  assert.equal(await parseUserTime("1y", "--due", NOW), local(2027, 12, 7).toISOString());
});
