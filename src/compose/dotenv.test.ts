import { test } from "node:test";
import assert from "node:assert/strict";
import { DotenvError, dotenvMap, parseDotenv } from "./dotenv.ts";

test(".env: comments, export, quotes, inline comments, expansion", () => {
  const text = [
    "# comment",
    "",
    "A=1",
    "export B = two words ",
    "C='${A} literal # not a comment'",
    'D="line1\\nline2 ${A}"',
    "E=value # comment",
    "F=${A}-${HOME_X:-d}",
    'G="multi',
    'line"',
    "H=",
    "BARE",
    "I=a#b",
  ].join("\n");
  const map = dotenvMap(text, { HOME_X: undefined });
  assert.deepEqual(Object.fromEntries(map), {
    A: "1",
    B: "two words",
    C: "${A} literal # not a comment",
    D: "line1\nline2 1",
    E: "value",
    F: "1-d",
    G: "multi\nline",
    H: "",
    I: "a#b",
  });
  const bare = parseDotenv(text).find((e) => e.key === "BARE");
  assert.deepEqual(bare, { key: "BARE", value: undefined, line: 12 });
});

test("the self-hosted .env reads COMPOSE_PROJECT_NAME and COMPOSE_PROFILES", () => {
  const map = dotenvMap(
    "COMPOSE_PROJECT_NAME=sentry-self-hosted\n# x\nCOMPOSE_PROFILES=feature-complete\r\n",
  );
  assert.equal(map.get("COMPOSE_PROJECT_NAME"), "sentry-self-hosted");
  assert.equal(map.get("COMPOSE_PROFILES"), "feature-complete");
});

test("malformed lines name their line", () => {
  for (
    const [text, line] of [
      ["A=1\n=x", 2],
      ["A=1\nB='open", 2],
      ['X="never closed', 1],
      ["1A=x", 1],
      ["A 1", 1],
    ] as const
  ) {
    assert.throws(
      () => parseDotenv(text),
      (e: unknown) => e instanceof DotenvError && e.line === line,
      text,
    );
  }
});
