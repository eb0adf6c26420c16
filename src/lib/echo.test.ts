import { test } from "node:test";
import assert from "node:assert/strict";
import { echo, excerptLine } from "./echo.ts";

test("control characters and ANSI escapes are made visible", () => {
  assert.equal(echo("red\x1b[31mX\x07\n\t\x7f\u009b"), "red\\x1b[31mX\\x07\\n\\t\\x7f\\x9b");
});

test("long values are cut at 80 characters with a count of the rest", () => {
  assert.equal(echo("a".repeat(10_000)), `${"a".repeat(80)}… (9920 more characters)`);
  assert.equal(echo("abcdef", 3), "abc… (3 more characters)");
  assert.equal(echo("plain"), "plain");
});

test("excerptLine keeps short lines and windows long ones around the column", () => {
  assert.deepEqual(excerptLine("abc", 2), { text: "abc", caretCol: 2 });
  const long = "x".repeat(500) + "Y" + "x".repeat(500);
  const { text, caretCol } = excerptLine(long, 501, 40);
  assert.equal(text.length, 42);
  assert.equal(text[caretCol - 1], "Y");
});
