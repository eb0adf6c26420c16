import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileProbeMemo } from "./probe-memo.ts";

test("a pass counts for this container instance, within the interval only", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "sentryctl-memo-")), "probes");
  let now = 1_000_000;
  const memo = fileProbeMemo(dir, () => now);
  assert.equal(memo.passedWithin("abc", "t1", 5000), false, "nothing remembered yet");
  memo.remember("abc", "t1");
  now += 4000;
  assert.equal(memo.passedWithin("abc", "t1", 5000), true);
  assert.equal(memo.passedWithin("abc", "t2", 5000), false, "restarted since: another instance");
  assert.equal(memo.passedWithin("other", "t1", 5000), false);
  now += 2000;
  assert.equal(memo.passedWithin("abc", "t1", 5000), false, "older than the interval");
  now -= 60_000;
  assert.equal(memo.passedWithin("abc", "t1", 5000), false, "a clock that went back");
});

test("garbage and old files: ignored, then pruned when the next pass is written", () => {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-memo-"));
  const memo = fileProbeMemo(dir);
  writeFileSync(join(dir, "bad"), "{not json");
  assert.equal(memo.passedWithin("bad", "t", 5000), false);
  const old = join(dir, "old");
  writeFileSync(old, JSON.stringify({ startedAt: "t", at: 0 }));
  const twoHoursAgo = (Date.now() - 2 * 3600 * 1000) / 1000;
  utimesSync(old, twoHoursAgo, twoHoursAgo);
  memo.remember("../../etc/x", "t"); // ids are file names: nothing escapes the directory
  assert.equal(existsSync(old), false);
  assert.equal(existsSync(join(dir, ".._.._etc_x")), true);
  assert.equal(memo.passedWithin("../../etc/x", "t", 5000), true);
});
