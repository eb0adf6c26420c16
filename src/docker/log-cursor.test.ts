import assert from "node:assert/strict";
import { test } from "node:test";
import { timestampToSince } from "./demux.ts";
import { LogCursor, stampEnd } from "./log-cursor.ts";

/** Stamps with nanoseconds. */
const stampOf = (ns: number) => `2026-01-02T03:04:05.${String(100_000_000 + ns).slice(0, 9)}Z`;

test("the cursor resumes at the exact entry: entries sharing a stamp are neither lost nor repeated", () => {
  const c = new LogCursor();
  for (const s of [stampOf(1), stampOf(2), stampOf(2), stampOf(2)]) assert.ok(c.take(s));
  assert.equal(c.since(), timestampToSince(stampOf(2)));
  c.resume();
  // Docker resends every entry at or after `since`: the three at stampOf(2) were taken.
  assert.deepEqual(
    [stampOf(2), stampOf(2), stampOf(2), stampOf(2), stampOf(3)].map((s) => c.take(s)),
    [false, false, false, true, true],
  );
});

test("moveTo sets the position a batch reader counted: a resume skips exactly that many", () => {
  const c = new LogCursor();
  c.moveTo(stampOf(5), 2);
  c.resume();
  assert.ok(c.skipping);
  assert.deepEqual(
    [stampOf(4), stampOf(5), stampOf(5), stampOf(5)].map((s) => c.take(s)),
    [false, false, false, true],
  );
  assert.ok(!c.skipping);
  assert.deepEqual([c.stamp, c.count], [stampOf(5), 3]);
});

test("a fresh cursor reads from the start and skips nothing", () => {
  const c = new LogCursor();
  assert.equal(c.since(), undefined);
  c.resume();
  assert.ok(!c.skipping);
  assert.ok(c.take(stampOf(0)));
});

test("stampEnd finds the space after a leading stamp, and nothing in a line without one", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  assert.equal(stampEnd(bytes(`${stampOf(1)} hello`)), stampOf(1).length);
  assert.equal(stampEnd(bytes("hello world, no stamp here")), -1);
  assert.equal(stampEnd(bytes("2026-01-02T03:04:05Z")), -1); // no space after it
});
