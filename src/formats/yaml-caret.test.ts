// The caret under a YAML error points at the exact column, and a huge line is cut around it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { loadYamlMapping, positionedMessage } from "./yaml-file.ts";

test("the caret sits under the reported column (1-based)", () => {
  const { message, details } = positionedMessage("c.yml", "a: 1\nkey: [1, 2\n", 2, 6, "boom");
  assert.equal(message, "c.yml:2:6: boom");
  // gutter "2 | " is 4 characters; column 6 is the 6th character of the line.
  assert.equal(details, "2 | key: [1, 2\n         ^");
});

test("column 1 puts the caret under the first character", () => {
  const { details } = positionedMessage("c.yml", "x\n", 1, 1, "m");
  assert.equal(details, "1 | x\n    ^");
});

test("a real syntax error: caret under the offending character", async () => {
  let caught: unknown;
  try {
    await loadYamlMapping("c.yml", "a: 1\nb: {x: 1,, y}\n");
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof SentryctlError);
  const [source, caret] = caught.details!.split("\n") as [string, string];
  assert.equal(caught.message, "c.yml:2:10: Unexpected , in flow map");
  assert.equal(source, "2 | b: {x: 1,, y}");
  assert.equal(caret, "             ^");
  assert.equal(source[caret.indexOf("^")], ",", "the caret is under the second comma");
});

test("an echoed line is capped: a 200 KB line shows a window around the column", () => {
  const line = "k: " + "[".repeat(100_000) + "x" + "]".repeat(99_999);
  const { details } = positionedMessage("c.yml", line, 1, 100_004, "too deep");
  const [source, caret] = details.split("\n") as [string, string];
  assert.ok(source.length < 200, `shown line is ${source.length} characters`);
  assert.equal(source.startsWith("1 | …"), true);
  assert.equal(source.endsWith("…"), true);
  assert.equal(source[caret.indexOf("^")], "x", "the caret still points at the column");
});

test("a tab before the column keeps the caret under the offending character", async () => {
  /** The character of the shown source line that the caret points at. */
  const pointed = (details: string) => {
    const [source, caret] = details.split("\n") as [string, string];
    return source[caret.indexOf("^")];
  };
  // "key:\tvalue x": the x is column 12; the tab is one column of the source.
  const one = positionedMessage("c.yml", "key:\tvalue x\n", 1, 12, "m");
  assert.equal(pointed(one.details), "x");
  const two = positionedMessage("c.yml", "a:\t\t[1,\tz\n", 1, 9, "m");
  assert.equal(pointed(two.details), "z");
  // A long line with tabs is cut to a window; the caret still lands on the character.
  const long = `k:\t${"\ta".repeat(200)}Q${"b".repeat(300)}\n`;
  const col = long.indexOf("Q") + 1;
  assert.equal(pointed(positionedMessage("c.yml", long, 1, col, "m").details), "Q");
  // Through the parser: a tab inside a flow sequence before an unexpected character.
  await assert.rejects(loadYamlMapping("t.yml", "list: [1,\t2,\t]]\n"), (e: SentryctlError) => {
    const m = /^t\.yml:1:(\d+):/.exec(e.message)!;
    const column = Number(m[1]);
    assert.equal(pointed(e.details!), "list: [1,\t2,\t]]".replace(/\t/g, " ")[column - 1]);
    return true;
  });
});
