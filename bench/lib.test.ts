// Unit tests of the benches' shared helpers that a figure depends on: a process's CPU time read
// from /proc (the status benches' "server CPU per envelope"), per kind of thread too
// (BENCH_THREADS=1), and the per-unit arithmetic.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import {
  cpuMicrosPer,
  cpuSecondsOf,
  statTicks,
  threadCpuSecondsOf,
  threadMicrosPer,
  ThreadTally,
} from "./lib.ts";

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

describe("CPU per kind of thread", () => {
  test("a stat line's name may hold spaces and parentheses; the ticks are counted after it", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const line = "4242 (Bun Pool (1) 0) S 1 2 3 0 -1 4194368 10 0 0 0 37 5 0 0 20 0 9";
    assert.deepEqual(statTicks(line), { name: "Bun Pool (1) 0", ticks: 42 });
    assert.deepEqual(statTicks("7 (sentryctl) R 1 7 7 0 -1 0 0 0 0 0 3 4 0"), {
      name: "sentryctl",
      ticks: 7,
    });
  });

  test("this process's threads: the first is main, and its busy time lands there", {
    skip: existsSync("/proc/self/task") ? false : "no /proc on this system",
  }, () => {
    const before = threadCpuSecondsOf(process.pid)!;
    assert.ok(before.has("main"), [...before.keys()].join(", "));
    const until = performance.now() + 150;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const after = threadCpuSecondsOf(process.pid)!;
    const per = threadMicrosPer(before, after, 1);
    assert.equal(per[0]![0], "main", `${JSON.stringify(per)} (${x})`);
    assert.ok(per[0]![1] >= 100_000, JSON.stringify(per));
    for (const kind of after.keys()) assert.doesNotMatch(kind, /\d$/);
    assert.equal(threadCpuSecondsOf(2 ** 22 + 12345), undefined);
  });

  test("per unit, most first; a thread that started meanwhile counts from zero", () => {
    const before = new Map([["main", 1], ["JITWorker", 0.5]]);
    const after = new Map([["main", 1.2], ["JITWorker", 0.52], ["HeapHelper", 0.05]]);
    const per = threadMicrosPer(before, after, 1000).map(([k, v]) => [k, Math.round(v)]);
    assert.deepEqual(per, [["main", 200], ["HeapHelper", 50], ["JITWorker", 20]]);
    assert.deepEqual(threadMicrosPer(undefined, after, 1000), []);
    assert.deepEqual(threadMicrosPer(before, after, 0), []);
  });

  test("a tally sums rounds and divides by all their units; no readings, no figures", () => {
    const tally = new ThreadTally();
    assert.equal(tally.line(), "-");
    tally.add(new Map([["main", 1]]), new Map([["main", 1.1], ["JITWorker", 0.02]]), 500);
    tally.add(undefined, new Map([["main", 9]]), 500); // a round without a reading: left out
    tally.add(
      new Map([["main", 2], ["JITWorker", 0.02]]),
      new Map([["main", 2.1], ["JITWorker", 0.02]]),
      500,
    );
    assert.equal(tally.line(), "main 200, JITWorker 20");
  });
});
