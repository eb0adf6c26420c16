import { test } from "node:test";
import assert from "node:assert/strict";
import { chainPriorities, type GateTimers, StartGate } from "./start-gate.ts";

/** Timers under the test's control: `advance` runs what falls due. */
class FakeTimers implements GateTimers {
  t = 0;
  pending: { at: number; fn: () => void; id: number }[] = [];
  #id = 0;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.#id;
    this.pending.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }
  advance(ms: number) {
    this.t += ms;
    for (const p of this.pending.filter((p) => p.at <= this.t)) {
      this.clearTimeout(p.id);
      p.fn();
    }
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test("chainPriorities: the longest chain of services waiting on each", () => {
  const after = new Map<string, string[]>([
    ["redis", []],
    ["kafka", []],
    ["snuba", ["redis", "kafka", "clickhouse"]],
    ["clickhouse", []],
    ["worker", ["snuba"]],
    ["web", []],
  ]);
  assert.deepEqual(Object.fromEntries(chainPriorities(after)), {
    redis: 2,
    kafka: 2,
    snuba: 1,
    clickhouse: 2,
    worker: 0,
    web: 0,
  });
});

test("a more urgent service about to ask goes first; the next tier waits while its start is young", async () => {
  const timers = new FakeTimers();
  const gate = new StartGate(new Map([["redis", 1]]), 200, timers);
  const order: string[] = [];
  let releaseRedis = () => {};
  gate.expect("redis");
  gate.expect("web");
  const web = gate.run("web", () => Promise.resolve(void order.push("web")));
  await tick();
  assert.equal(order.length, 0, "web waits: redis is being created and more urgent");
  timers.advance(50);
  const redis = gate.run("redis", async () => {
    order.push("redis");
    await new Promise<void>((r) => (releaseRedis = r));
  });
  await tick();
  assert.deepEqual(order, ["redis"], "web waits while redis's start is in flight");
  releaseRedis();
  await Promise.all([web, redis]);
  assert.deepEqual(order, ["redis", "web"]);
});

test("the next tier goes once the higher one's start had its head start, returned or not", async () => {
  const timers = new FakeTimers();
  const gate = new StartGate(new Map([["redis", 2], ["snuba", 1]]), 200, timers, 150);
  const order: string[] = [];
  let releaseRedis = () => {};
  const redis = gate.run("redis", async () => {
    order.push("redis");
    await new Promise<void>((r) => (releaseRedis = r));
  });
  await tick();
  const web = gate.run("web", () => Promise.resolve(void order.push("web")));
  const snuba = gate.run("snuba", () => Promise.resolve(void order.push("snuba")));
  timers.advance(149);
  await tick();
  assert.deepEqual(order, ["redis"], "both lower tiers wait out redis's head start");
  timers.advance(1);
  await Promise.all([web, snuba]);
  assert.deepEqual(order, ["redis", "snuba", "web"], "then go by tier, redis still starting");
  releaseRedis();
  await redis;
  // A start that returns within its head start lets the next tier go at once.
  const fast = gate.run("redis", () => Promise.resolve(void order.push("redis again")));
  const after = gate.run("web", () => Promise.resolve(void order.push("web again")));
  await Promise.all([fast, after]);
  assert.deepEqual(order.slice(3), ["redis again", "web again"]);
  assert.equal(timers.t, 150, "no wait beyond the head start");
});

test("the wait for an urgent service that never asks ends after the grace period", async () => {
  const timers = new FakeTimers();
  const gate = new StartGate(new Map([["redis", 1]]), 200, timers);
  const order: string[] = [];
  gate.expect("redis"); // e.g. still pulling its image
  const web = gate.run("web", () => Promise.resolve(void order.push("web")));
  await tick();
  timers.advance(199);
  await tick();
  assert.equal(order.length, 0);
  timers.advance(1);
  await web;
  assert.deepEqual(order, ["web"]);
});

test("fixed-port starts of one tier run side by side; exclusive ones alone", async () => {
  const gate = new StartGate(new Map());
  let running = 0;
  let most = 0;
  const start = (name: string, exclusive: boolean) =>
    gate.run(name, async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      await tick();
      running--;
    }, exclusive);
  await Promise.all([start("a", false), start("b", false), start("c", false)]);
  assert.equal(most, 3, "three fixed-port starts overlapped");
  most = 0;
  await Promise.all([start("d", true), start("e", false), start("f", true)]);
  assert.equal(most, 1, "an exclusive start never overlaps another");
});

test("a forgotten service stops holding the gate", async () => {
  const timers = new FakeTimers();
  const gate = new StartGate(new Map([["db", 2]]), 200, timers);
  const order: string[] = [];
  gate.expect("db");
  const a = gate.run("a", () => Promise.resolve(void order.push("a")), true);
  const b = gate.run("b", () => Promise.resolve(void order.push("b")), true);
  await tick();
  assert.equal(order.length, 0);
  gate.forget("db"); // its create failed
  await Promise.all([a, b]);
  assert.deepEqual(order, ["a", "b"], "equal priorities go in the order they asked");
});

test("a failing start releases the gate", async () => {
  const gate = new StartGate(new Map());
  await assert.rejects(
    gate.run("a", () => Promise.reject(new Error("port taken")), true),
    /port taken/,
  );
  assert.equal(await gate.run("b", () => Promise.resolve(7), true), 7);
});
