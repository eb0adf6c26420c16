// Unit tests of the benches' shared helpers that a figure depends on: a process's CPU time read
// from /proc (the status benches' "server CPU per envelope") and the per-unit arithmetic.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { cpuMicrosPer, cpuSecondsOf } from "./lib.ts";

describe("server CPU per envelope", () => {
  test("a process's CPU time grows with the work it does; a missing process has none", {
    skip: existsSync("/proc/self/stat") ? false : "no /proc on this system",
  }, () => {
    const before = cpuSecondsOf(process.pid);
    assert.equal(typeof before, "number");
    // Busy for ~150 ms of CPU: the clock-tick resolution (10 ms) is well below that.
    const until = performance.now() + 150;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const after = cpuSecondsOf(process.pid)!;
    assert.ok(after - before! >= 0.1, `${after - before!} s of CPU for ~0.15 s of work (${x})`);
    assert.equal(cpuSecondsOf(2 ** 22 + 12345), undefined);
    assert.equal(cpuSecondsOf(undefined), undefined);
  });

  test("microseconds per unit, or nothing when a reading or the units are missing", () => {
    assert.equal(cpuMicrosPer(1.5, 1.75, 1000), 250);
    assert.equal(cpuMicrosPer(undefined, 1.75, 1000), undefined);
    assert.equal(cpuMicrosPer(1.5, undefined, 1000), undefined);
    assert.equal(cpuMicrosPer(1.5, 1.75, 0), undefined);
  });
});
