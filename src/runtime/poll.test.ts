import { test } from "node:test";
import assert from "node:assert/strict";
import { backoff, poll, retry } from "./poll.ts";
import { FakeClock, ManualClock } from "../../tests/helpers/fake-clock.ts";

const take = (it: Iterable<number>, n: number) => {
  const out: number[] = [];
  for (const v of it) {
    if (out.length === n) break;
    out.push(v);
  }
  return out;
};

test("backoff doubles from the first pause up to the cap; a first pause of 0 still grows", () => {
  assert.deepEqual(take(backoff({ first: 50, min: 100, max: 1000 }), 8), [
    50,
    100,
    200,
    400,
    800,
    1000,
    1000,
    1000,
  ]);
  assert.deepEqual(take(backoff({ first: 0, min: 100, max: 250 }), 4), [0, 100, 200, 250]);
  assert.deepEqual(take(backoff({ first: 10, factor: 3, max: 100 }), 4), [10, 30, 90, 100]);
});

test("poll stops at the first answer, pausing between checks only", async () => {
  const clock = new FakeClock();
  const seen: number[] = [];
  const answer = await poll((attempt) => {
    seen.push(attempt);
    return attempt === 3 ? "up" : undefined;
  }, { every: 20, clock });
  assert.equal(answer, "up");
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(clock.sleeps, [20, 20]);
});

test("poll gives up after its attempts, or when a finite schedule runs out", async () => {
  const clock = new FakeClock();
  let checks = 0;
  assert.equal(await poll(() => void checks++, { every: 5, attempts: 4, clock }), undefined);
  assert.equal(checks, 4);
  assert.deepEqual(clock.sleeps, [5, 5, 5]);

  const listed = new FakeClock();
  checks = 0;
  assert.equal(await poll(() => void checks++, { every: [1, 2], clock: listed }), undefined);
  assert.equal(checks, 3);
  assert.deepEqual(listed.sleeps, [1, 2]);
});

test("poll's deadline cuts the last pause short and ends with a check on it", async () => {
  const clock = new FakeClock(0);
  const at: number[] = [];
  const answer = await poll(() => void at.push(clock.now()), {
    every: backoff({ first: 100, max: 400 }),
    deadline: 1000,
    clock,
  });
  assert.equal(answer, undefined);
  assert.deepEqual(clock.sleeps, [100, 200, 400, 300]);
  assert.deepEqual(at, [0, 100, 300, 700, 1000]);
});

test("poll with pauseFirst waits before its first check", async () => {
  const clock = new FakeClock(0);
  const at: number[] = [];
  await poll(() => (at.push(clock.now()), at.length === 2 ? true : undefined), {
    every: 7,
    pauseFirst: true,
    clock,
  });
  assert.deepEqual(at, [7, 14]);
});

test("an abort ends a poll in its pause, with the signal's reason, and no further check", async () => {
  const clock = new ManualClock();
  const ctl = new AbortController();
  let checks = 0;
  const polling = poll(() => void checks++, { every: 1000, signal: ctl.signal, clock });
  await clock.untilWaiting();
  assert.equal(checks, 1);
  ctl.abort(new Error("stop"));
  await assert.rejects(polling, /stop/);
  assert.equal(clock.waiting, 0, "the pause is given up");
  await clock.advance(5000);
  assert.equal(checks, 1);

  let ran = false;
  await assert.rejects(
    poll(() => (ran = true), { every: 1, signal: AbortSignal.abort(new Error("early")), clock }),
    /early/,
  );
  assert.equal(ran, false, "an aborted signal checks nothing");
});

test("poll on a manual clock checks only as time moves", async () => {
  const clock = new ManualClock(0);
  const at: number[] = [];
  const polling = poll(() => (at.push(clock.now()), at.length === 3 ? "done" : undefined), {
    every: 100,
    clock,
  });
  await clock.advance(99);
  assert.deepEqual(at, [0]);
  await clock.advance(1);
  assert.deepEqual(at, [0, 100]);
  await clock.advance(250);
  assert.deepEqual(at, [0, 100, 200]);
  assert.equal(await polling, "done");
  assert.equal(clock.now(), 350);
});

test("retry pauses by its schedule between retryable failures and throws the last", async () => {
  const clock = new FakeClock();
  let calls = 0;
  await assert.rejects(
    retry(() => Promise.reject(new Error(`fail ${++calls}`)), {
      pauses: [1000, 2000],
      retryable: () => true,
      clock,
    }),
    /fail 3/,
  );
  assert.deepEqual(clock.sleeps, [1000, 2000]);

  const quiet = new FakeClock();
  calls = 0;
  const value = await retry(
    (attempt) => attempt < 2 ? Promise.reject(new Error("transient")) : Promise.resolve("ok"),
    { pauses: [5, 5, 5], retryable: () => true, clock: quiet },
  );
  assert.equal(value, "ok");
  assert.deepEqual(quiet.sleeps, [5]);
});

test("retry throws a failure that is not retryable at once", async () => {
  const clock = new FakeClock();
  const attempts: number[] = [];
  await assert.rejects(
    retry((attempt) => {
      attempts.push(attempt);
      return Promise.reject(new Error(attempt === 1 ? "busy" : "fatal"));
    }, {
      pauses: [10, 10, 10],
      retryable: (err) => (err as Error).message === "busy",
      clock,
    }),
    /fatal/,
  );
  assert.deepEqual(attempts, [1, 2]);
  assert.deepEqual(clock.sleeps, [10]);
});

test("an abort during retry's pause rejects with the signal's reason", async () => {
  const clock = new ManualClock();
  const ctl = new AbortController();
  let calls = 0;
  const retrying = retry(() => (calls++, Promise.reject(new Error("busy"))), {
    pauses: [1000],
    retryable: () => true,
    signal: ctl.signal,
    clock,
  });
  await clock.untilWaiting();
  ctl.abort(new Error("interrupted"));
  await assert.rejects(retrying, /interrupted/);
  assert.equal(calls, 1);
});
