import assert from "node:assert/strict";
import { test } from "node:test";
import { OneTimeLink } from "./one-time-link.ts";

test("a code is redeemed once; a wrong, truncated or longer code never", () => {
  const link = new OneTimeLink("abcdef0123456789");
  assert.equal(link.redeem("abcdef012345678"), false);
  assert.equal(link.redeem("abcdef0123456789x"), false);
  assert.equal(link.redeem("nope"), false);
  assert.equal(link.redeem("abcdef0123456789"), true);
  assert.equal(link.redeem("abcdef0123456789"), false, "spent");
});

test("issuing replaces the unused code; no initial code accepts nothing", () => {
  const link = new OneTimeLink();
  assert.equal(link.redeem(""), false);
  const first = link.issue();
  assert.match(first, /^[0-9a-f]{32}$/);
  const second = link.issue();
  assert.notEqual(second, first);
  assert.equal(link.redeem(first), false, "the replaced code no longer works");
  assert.equal(link.redeem(second), true);
});
