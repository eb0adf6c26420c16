import { test } from "node:test";
import assert from "node:assert/strict";
import { concatBytes } from "./bytes.ts";

test("concatBytes joins parts in order, empty parts included", () => {
  const out = concatBytes([new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3])]);
  assert.deepEqual(out, new Uint8Array([1, 2, 3]));
  assert.deepEqual(concatBytes([]), new Uint8Array(0));
});

test("concatBytes returns a single part as it is, without a copy", () => {
  const one = new Uint8Array([7, 8]);
  assert.equal(concatBytes([one]), one);
});
