import assert from "node:assert/strict";
import { generateHashId, hashPart, idLengthFor, toNanos } from "../../src/model/hash_id.ts";

Deno.test("hash IDs match the contract's golden vectors for lengths 3 to 8", () => {
  const nanos = toNanos("2024-01-02T03:04:05.006Z");
  const ids = [3, 4, 5, 6, 7, 8].map((l) => "bd-" + hashPart("Fix login", "Details", "jira-import", nanos, 0, l));
  assert.deepEqual(ids, ["bd-vju", "bd-8d8e", "bd-bi3tk", "bd-8bi3tk", "bd-r5sr6bm", "bd-8r5sr6bm"]);
});

Deno.test("ID length grows with the number of top-level issues", () => {
  assert.equal(idLengthFor(0), 3);
  assert.equal(idLengthFor(163), 3);
  assert.equal(idLengthFor(164), 4);
  assert.equal(idLengthFor(983), 4);
  assert.equal(idLengthFor(984), 5);
  assert.equal(idLengthFor(5898), 5);
  assert.equal(idLengthFor(35389), 6);
  assert.equal(idLengthFor(212339), 7);
  assert.equal(idLengthFor(212340), 8);
});

Deno.test("a collision tries the next nonce, then a longer ID", () => {
  const fields = {
    title: "Fix login",
    description: "Details",
    actor: "jira-import",
    createdAt: "2024-01-02T03:04:05.006Z",
  };
  const first = generateHashId("bd", fields, 0, () => false);
  assert.equal(first, "bd-vju");
  const taken = new Set([first]);
  const second = generateHashId("bd", fields, 0, (id) => taken.has(id));
  assert.notEqual(second, first);
  assert.equal(second.length, first.length);
  // Every 3-character candidate taken: the generator moves on to 4 characters.
  const third = generateHashId("bd", fields, 0, (id) => id.length === 6);
  assert.equal(third.length, 7);
});
