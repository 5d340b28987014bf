/**
 * rowToIssue (store/issues.ts), which every read's rows pass through, against ISSUE_FIELDS and the
 * contract's rules (§4): key order, which fields are printed when empty, numbers, times from older
 * writers, labels, the lease and imported extras.
 */
import assert from "node:assert/strict";
import { rowToIssue } from "../../src/store/issues.ts";
import { ISSUE_FIELDS } from "../../src/model/types.ts";
import type { Row } from "../../src/store/db.ts";

/** The fields the contract prints even when empty, with what an empty one prints as. */
const ALWAYS: Record<string, unknown> = {
  id: "",
  title: "",
  status: "",
  priority: 0,
  issue_type: "",
  created_at: "",
  updated_at: "",
};
const NUMBERS = new Set(["priority", "estimated_minutes"]);
const TIMES = new Set(["created_at", "updated_at", "closed_at", "due_at", "defer_until"]);

/** A row with every column filled (times in RFC 3339, numbers as SQLite returns them). */
function fullRow(): Row {
  const row: Row = {};
  for (const f of ISSUE_FIELDS) {
    row[f] = NUMBERS.has(f) ? 3 : TIMES.has(f) ? "2025-10-12T14:23:01.123Z" : `${f} value`;
  }
  return row;
}

Deno.test("rowToIssue prints every column of a full row, in ISSUE_FIELDS order, with its value", () => {
  const row = fullRow();
  const issue = rowToIssue(row) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(issue), [...ISSUE_FIELDS]);
  for (const f of ISSUE_FIELDS) assert.equal(issue[f], row[f], f);
});

Deno.test("rowToIssue omits an empty field (NULL or '') unless the contract always prints it", () => {
  for (const f of ISSUE_FIELDS) {
    for (const empty of [null, ""]) {
      const issue = rowToIssue({ ...fullRow(), [f]: empty }) as unknown as Record<string, unknown>;
      if (f in ALWAYS) {
        assert.deepEqual(Object.keys(issue), [...ISSUE_FIELDS], `${f} = ${empty} keeps its place`);
        assert.equal(issue[f], ALWAYS[f], `${f} = ${empty}`);
      } else {
        assert.deepEqual(Object.keys(issue), ISSUE_FIELDS.filter((k) => k !== f), `${f} = ${empty} is omitted`);
      }
    }
  }
});

Deno.test("rowToIssue: numbers as numbers (0 is kept), SQLite-style times as RFC 3339, others as stored", () => {
  const issue = rowToIssue({ ...fullRow(), priority: "2", estimated_minutes: 0, closed_at: "2025-01-02 03:04:05" });
  assert.equal(issue.priority, 2);
  assert.equal(issue.estimated_minutes, 0);
  assert.equal(issue.closed_at, "2025-01-02T03:04:05.000Z");
  const offset = rowToIssue({ ...fullRow(), due_at: "2025-10-12T14:23:01.123-07:00" });
  assert.equal(offset.due_at, "2025-10-12T14:23:01.123-07:00");
});

Deno.test("rowToIssue appends the lease, the labels and imported extras after the fields; extras never override", () => {
  const issue = rowToIssue({
    ...fullRow(),
    lease_expires_at: "2026-01-01T00:00:00.000Z",
    labels_json: '["a","b"]',
    extra: JSON.stringify({ title: "not this", thread_id: "t-1" }),
  }) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(issue), [...ISSUE_FIELDS, "lease_expires_at", "labels", "thread_id"]);
  assert.equal(issue.title, "title value");
  assert.deepEqual(issue.labels, ["a", "b"]);
  assert.equal(issue.thread_id, "t-1");
  const bare = rowToIssue({ ...fullRow(), labels_json: "[]", extra: "not json" });
  assert.deepEqual(Object.keys(bare), [...ISSUE_FIELDS]);
});
