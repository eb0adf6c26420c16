// A clock for unit tests that never waits: `sleep` moves time forward at once, and every pause
// is recorded, so polling schedules and timeouts are asserted exactly.

import type { Clock } from "../../src/orchestrator/wait/clock.ts";

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
