import { test } from "node:test";
import assert from "node:assert/strict";
import { isWithProject, newWithProject } from "./project.ts";

test("the isolated project is sentry-with- and 8 lower-case hex digits", () => {
  assert.equal(
    newWithProject(() => new Uint8Array([0x0a, 0xbc, 0xff, 0x01])),
    "sentry-with-0abcff01",
  );
  const random = newWithProject();
  assert.match(random, /^sentry-with-[0-9a-f]{8}$/);
  assert.notEqual(newWithProject(), newWithProject());
});

test("isWithProject accepts only the exact form", () => {
  assert.equal(isWithProject("sentry-with-0abcff01"), true);
  assert.equal(isWithProject("sentry"), false);
  assert.equal(isWithProject("sentry-with-0ABCFF01"), false);
  assert.equal(isWithProject("sentry-with-0abcff011"), false);
  assert.equal(isWithProject("x-sentry-with-0abcff01"), false);
});
