import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDuration, sinceToUnix } from "./duration.ts";
import { SentryctlError } from "../errors.ts";

test("parseDuration understands compound units", () => {
  assert.equal(parseDuration("20s"), 20);
  assert.equal(parseDuration("5m"), 300);
  assert.equal(parseDuration("1h30m"), 5400);
  assert.equal(parseDuration("250ms"), 0.25);
  assert.equal(parseDuration("20"), undefined);
  assert.equal(parseDuration("s20"), undefined);
});

test("sinceToUnix counts durations back from now and accepts absolute times", () => {
  const now = Date.parse("2026-01-01T00:01:00Z");
  assert.equal(sinceToUnix("20s", now), now / 1000 - 20);
  assert.equal(sinceToUnix("1700000000", now), 1700000000);
  assert.equal(sinceToUnix("2026-01-01T00:00:00Z", now), now / 1000 - 60);
  assert.throws(
    () => sinceToUnix("yesterday-ish", now),
    (e: unknown) => e instanceof SentryctlError && e.category === "usage",
  );
});
