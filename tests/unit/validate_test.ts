import assert from "node:assert/strict";
import { checkIssueType, checkStatus, checkTitle, parsePriority } from "../../src/model/validate.ts";
import { BdError } from "../../src/model/errors.ts";

const isValidation = (e: unknown) => e instanceof BdError && e.code === "VALIDATION";

Deno.test("priority accepts 0-4 and P0-P4 and names the valid forms otherwise", () => {
  assert.equal(parsePriority("0"), 0);
  assert.equal(parsePriority("P3"), 3);
  assert.equal(parsePriority("p4"), 4);
  assert.equal(parsePriority(1), 1);
  for (const bad of ["5", "P5", "-1", "high", "", "1.5"]) {
    assert.throws(
      () => parsePriority(bad),
      (e: unknown) => isValidation(e) && /0-4 or P0-P4/.test((e as Error).message),
    );
  }
});

Deno.test("titles must have 1 to 500 characters", () => {
  assert.equal(checkTitle("  ok  "), "ok");
  assert.equal(checkTitle("x".repeat(500)).length, 500);
  assert.throws(() => checkTitle("   "), isValidation);
  assert.throws(() => checkTitle("x".repeat(501)), isValidation);
});

Deno.test("statuses and types are checked on input", () => {
  assert.equal(checkStatus("in_progress"), "in_progress");
  assert.throws(() => checkStatus("doing"), isValidation);
  assert.equal(checkIssueType("epic"), "epic");
  assert.throws(() => checkIssueType("story"), isValidation);
});
