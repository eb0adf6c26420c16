import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { MetricsSink, Tags } from "./sink.ts";
import { MetricsPipeline } from "./pipeline.ts";

type Call = [string, string, number, string | null | undefined, Tags | null | undefined, number];

function recorder(): MetricsSink & { calls: Call[]; flushed: number } {
  const calls: Call[] = [];
  const b = {
    calls,
    flushed: 0,
    incr: (k: string, i?: string | null, t?: Tags | null, a = 1, r = 1) =>
      void calls.push(["incr", k, a, i, t, r]),
    timing: (k: string, v: number, i?: string | null, t?: Tags | null, r = 1) =>
      void calls.push(["timing", k, v, i, t, r]),
    gauge: (k: string, v: number, i?: string | null, t?: Tags | null, r = 1) =>
      void calls.push(["gauge", k, v, i, t, r]),
    distribution: (k: string, v: number, i?: string | null, t?: Tags | null, r = 1) =>
      void calls.push(["distribution", k, v, i, t, r]),
    flush: () => {
      b.flushed++;
      return Promise.resolve();
    },
  };
  return b;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("MetricsPipeline", () => {
  test("calls only enqueue; the background consumer delivers them in order", async () => {
    const backend = recorder();
    const p = new MetricsPipeline();
    p.bind(() => backend);
    p.incr("a", 2, { instance: "i", tags: { x: "y" } });
    p.timing("b", 0.5);
    p.gauge("c", 7);
    p.distribution("d", 3);
    assert.equal(backend.calls.length, 0, "nothing is sent on the caller's turn");
    assert.equal(p.pending, 4);
    await tick();
    assert.deepEqual(backend.calls, [
      ["incr", "a", 2, "i", { x: "y" }, 1],
      ["timing", "b", 0.5, undefined, undefined, 1],
      ["gauge", "c", 7, undefined, undefined, 1],
      ["distribution", "d", 3, undefined, undefined, 1],
    ]);
  });

  test("records wait for a backend; flush() sends them and flushes the backend", async () => {
    const p = new MetricsPipeline();
    p.incr("early");
    await tick();
    assert.equal(p.pending, 1, "kept while no backend is bound");
    const backend = recorder();
    p.bind(() => backend);
    assert.equal(await p.flush(500), true);
    assert.deepEqual(backend.calls.map((c) => c[1]), ["early"]);
    assert.equal(backend.flushed, 1);
  });

  test("sampling: a sampled-out call is dropped at once; a kept one carries its rate", async () => {
    // Sentry's rule keeps a call when random() >= 1 - rate. Distinct keys show which draws were
    // kept, and draws close to the boundary on both sides tell it from an inverted comparison or
    // from `random() < rate`.
    const draws = [0.1, 0.2, 0.74, 0.76, 0.9];
    const p = new MetricsPipeline({ random: () => draws.shift()! });
    const backend = recorder();
    p.bind(() => backend);
    for (const key of ["a", "b", "c", "d", "e"]) p.incr(key, 1, { sampleRate: 0.25 });
    assert.equal(p.pending, 2);
    await p.flush();
    assert.deepEqual(backend.calls, [
      ["incr", "d", 1, undefined, undefined, 0.25],
      ["incr", "e", 1, undefined, undefined, 0.25],
    ]);
  });

  test("the default rate applies when a call names none", () => {
    const p = new MetricsPipeline({ random: () => 0 });
    p.defaultSampleRate = 0.5;
    p.incr("x");
    assert.equal(p.pending, 0);
  });

  test("a full queue drops the oldest records and counts them", () => {
    const p = new MetricsPipeline({ maxQueue: 3 });
    for (let i = 0; i < 5; i++) p.incr(`k${i}`);
    assert.equal(p.pending, 3);
    assert.equal(p.dropped, 2);
  });

  test("a failing backend never reaches the caller; errors go to onError", async () => {
    const errors: unknown[] = [];
    const p = new MetricsPipeline();
    const backend = recorder();
    backend.incr = () => {
      throw new Error("backend down");
    };
    p.bind(() => backend, (e) => errors.push(e));
    p.incr("x");
    p.gauge("g", 1);
    await p.flush();
    assert.equal(errors.length, 1);
    assert.deepEqual(backend.calls.map((c) => c[0]), ["gauge"]);
  });

  test("timer: result=success or failure, the error is re-thrown, async functions too", async () => {
    const p = new MetricsPipeline();
    const backend = recorder();
    p.bind(() => backend);
    assert.equal(p.timer("t", (tags) => ((tags.extra = "1"), 42), { tags: { a: "b" } }), 42);
    assert.throws(() =>
      p.timer("t", () => {
        throw new RangeError("x");
      }), RangeError);
    assert.equal(await p.wrap("w", (n: number) => Promise.resolve(n * 2))(21), 42);
    await assert.rejects(p.timer("w", () => Promise.reject(new Error("no"))), /no/);
    await p.flush();
    assert.deepEqual(backend.calls.map((c) => [c[1], c[4]]), [
      ["t", { a: "b", extra: "1", result: "success" }],
      ["t", { result: "failure" }],
      ["w", { result: "success" }],
      ["w", { result: "failure" }],
    ]);
    for (const c of backend.calls) assert.ok(c[2] >= 0 && c[2] < 1, "seconds");
  });

  test("flush() is bounded when a backend's flush hangs", async () => {
    const p = new MetricsPipeline();
    const backend = recorder();
    backend.flush = () => new Promise(() => {});
    p.bind(() => backend);
    p.incr("x");
    const started = Date.now();
    assert.equal(await p.flush(50), false);
    assert.ok(Date.now() - started < 1000);
  });
});
