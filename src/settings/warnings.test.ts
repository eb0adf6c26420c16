import { test } from "node:test";
import assert from "node:assert/strict";
import { bigErrorLines, deprecatedSettingText } from "./warnings.ts";

test("DeprecatedSettingWarning text, with and without removal version and URL", () => {
  assert.equal(
    deprecatedSettingText({ setting: "EMAIL_HOST", replacement: "SENTRY_OPTIONS['mail.host']" }),
    "The EMAIL_HOST setting is deprecated. Please use SENTRY_OPTIONS['mail.host'] instead.",
  );
  assert.equal(
    deprecatedSettingText({
      setting: "SENTRY_REDIS_OPTIONS",
      replacement: 'SENTRY_OPTIONS["redis.clusters"]',
      removedInVersion: "8.5",
    }),
    'The SENTRY_REDIS_OPTIONS setting is deprecated. Please use SENTRY_OPTIONS["redis.clusters"] instead. This setting will be removed in Sentry 8.5.',
  );
  assert.equal(
    deprecatedSettingText({ setting: "A", replacement: "B", url: "https://x" }),
    "The A setting is deprecated. Please use B instead. See https://x for more information.",
  );
});

// Expected boxes are Python's output of show_big_error (click.secho without colour).
test("show_big_error box: one even-width line", () => {
  assert.deepEqual(bigErrorLines("TIME_ZONE should be set to UTC"), [
    "",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "!!                                !!",
    "!! TIME_ZONE should be set to UTC !!",
    "!!                                !!",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "",
  ]);
});

test("show_big_error box: odd width; odd margins pad right unless width and margin are both odd", () => {
  // maxline 5 (odd): "abc" margin 2 → 1/1; "ab" margin 3 (odd, width odd) → 2 left, 1 right.
  assert.deepEqual(bigErrorLines("\nabcde\nabc\nab\n"), [
    "",
    "!!!!!!!!!!!",
    "!!       !!",
    "!! abcde !!",
    "!!  abc  !!",
    "!!   ab  !!",
    "!!       !!",
    "!!!!!!!!!!!",
    "",
  ]);
});

test("show_big_error box: even width; an odd margin puts the extra space right", () => {
  // maxline 6 (even): "abc" margin 3 → 1 left, 2 right.
  assert.deepEqual(bigErrorLines(["abcdef", "abc", ""]), [
    "",
    "!!!!!!!!!!!!",
    "!!        !!",
    "!! abcdef !!",
    "!!  abc   !!",
    "!!        !!",
    "!!        !!",
    "!!!!!!!!!!!!",
    "",
  ]);
});

test("show_big_error box: the border is capped at 80 characters, rows are not", () => {
  const long = "x".repeat(90);
  const lines = bigErrorLines(long);
  assert.equal(lines[1], `!!!${"!".repeat(80)}!!!`);
  assert.equal(lines[3], `!! ${long} !!`);
});
