import { test } from "node:test";
import assert from "node:assert/strict";
import { editDistance, suggest } from "./suggest.ts";

test("editDistance counts insertions, deletions and substitutions", () => {
  assert.equal(editDistance("attach", "attach"), 0);
  assert.equal(editDistance("atach", "attach"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
});

test("suggest finds the nearest command and rejects unrelated words", () => {
  const commands = ["attach", "up", "down", "ps", "logs", "config"];
  assert.equal(suggest("atach", commands), "attach");
  assert.equal(suggest("dwn", commands), "down");
  assert.equal(suggest("conf", commands), "config");
  assert.equal(suggest("zzzzzzzz", commands), undefined);
});
