// Clocks for unit tests: FakeClock never waits (each `sleep` moves time at once and is
// recorded, so polling schedules and deadlines are asserted exactly); ManualClock waits until
// the test moves time with `advance(ms)`, for a wait that runs beside other work.

import type { Clock } from "../../src/runtime/clock.ts";

/**
 * A clock that never waits: `sleep` moves time forward at once and every pause is recorded, so
 * polling schedules and deadlines are asserted exactly. For a loop that runs on its own; a loop
 * that runs beside other work the test drives wants ManualClock.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = 1_000_000) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

/**
 * A clock whose time moves only when the test says: `advance(ms)` wakes, in order, every sleep
 * that ends by then (letting each woken loop run before the next wakes). `sleeps` records the
 * pauses asked for; `waiting` is how many sleeps are pending.
 */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  #pending: { until: number; seq: number; wake: () => void }[] = [];
  #seq = 0;
  constructor(public time = 1_000_000) {}

  now(): number {
    return this.time;
  }

  get waiting(): number {
    return this.#pending.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      const entry = {
        until: this.time + Math.max(0, ms),
        seq: this.#seq++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#pending = this.#pending.filter((p) => p !== entry);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.push(entry);
    });
  }

  /** Moves time forward by `ms`, waking due sleeps one at a time, earliest first. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const due = this.#pending.filter((p) => p.until <= target)
        .sort((a, b) => a.until - b.until || a.seq - b.seq)[0];
      if (!due) break;
      this.#pending = this.#pending.filter((p) => p !== due);
      this.time = Math.max(this.time, due.until);
      due.wake();
    }
    this.time = target;
    await settle();
  }

  /** Resolves once some code is waiting on this clock (at most `turns` event-loop turns). */
  async untilWaiting(count = 1, turns = 1000): Promise<void> {
    for (let i = 0; i < turns && this.#pending.length < count; i++) await settle();
    if (this.#pending.length < count) {
      throw new Error(`ManualClock: ${this.#pending.length} sleeps pending, expected ${count}`);
    }
  }
}

/** Lets pending promise callbacks and I/O callbacks of the moment run. */
function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
