// Waiting, one way: `poll` repeats a check with pauses until it answers, its attempts or its
// deadline run out, or the signal aborts; `retry` repeats an operation that failed in a way
// worth retrying. Pauses come from a schedule (`backoff`, a fixed interval, or a plain list),
// and time from an injected Clock, so every wait is unit-testable with a fake clock.

import { type Clock, realClock } from "./clock.ts";

/** Pauses between attempts, in order; a finite schedule ends the waiting when it runs out. */
export type Schedule = number | Iterable<number>;

/**
 * Exponential back-off: `first`, then each pause `factor` times the previous one, never below
 * `min` (so a first pause of 0 still grows) nor above `max`.
 */
export function* backoff(
  opts: { first: number; factor?: number; min?: number; max: number },
): Generator<number, never> {
  const factor = opts.factor ?? 2;
  let delay = opts.first;
  for (;;) {
    yield delay;
    delay = Math.min(opts.max, Math.max(opts.min ?? 0, delay * factor));
  }
}

export interface PollOptions {
  /** The pause between checks: fixed milliseconds or a schedule. */
  every: Schedule;
  /** At most this many checks. */
  attempts?: number;
  /**
   * A clock time after which no check starts: the pause before the last check is cut short to
   * end on it, and a check that fails at or after it is the last.
   */
  deadline?: number;
  /** Pause before the first check too (a state that cannot have changed yet). */
  pauseFirst?: boolean;
  /** Aborting rejects the poll with the signal's reason, without waiting out a pause. */
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Calls `check` (with the 1-based attempt number) until it answers something other than
 * `undefined`, and returns that; returns `undefined` when the attempts, the schedule or the
 * deadline run out first.
 */
export async function poll<T>(
  check: (attempt: number) => T | undefined | Promise<T | undefined>,
  opts: PollOptions,
): Promise<T | undefined> {
  const clock = opts.clock ?? realClock;
  const pauses = typeof opts.every === "number" ? undefined : opts.every[Symbol.iterator]();
  const nextPause = (): number | undefined => {
    if (!pauses) return opts.every as number;
    const next = pauses.next();
    return next.done ? undefined : next.value;
  };
  const pause = async (): Promise<boolean> => {
    let ms = nextPause();
    if (ms === undefined) return false;
    if (opts.deadline !== undefined) ms = Math.min(ms, Math.max(0, opts.deadline - clock.now()));
    await clock.sleep(ms, opts.signal);
    return true;
  };
  if (opts.pauseFirst && !(await pause())) return undefined;
  for (let attempt = 1;; attempt++) {
    opts.signal?.throwIfAborted();
    const answer = await check(attempt);
    if (answer !== undefined) return answer;
    if (opts.attempts !== undefined && attempt >= opts.attempts) return undefined;
    if (opts.deadline !== undefined && clock.now() >= opts.deadline) return undefined;
    if (!(await pause())) return undefined;
  }
}

export interface RetryOptions {
  /** The pause before each retry; the schedule's length bounds the retries. */
  pauses: Iterable<number>;
  /** Whether a failure is worth another attempt; others are thrown at once. */
  retryable(err: unknown, attempt: number): boolean;
  /** Aborting rejects with the signal's reason instead of pausing. */
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Runs `op` (with the 1-based attempt number); on a retryable failure pauses and runs it again,
 * as long as the schedule has pauses left. The last failure is thrown as it was.
 */
export async function retry<T>(
  op: (attempt: number) => Promise<T>,
  opts: RetryOptions,
): Promise<T> {
  const clock = opts.clock ?? realClock;
  const pauses = opts.pauses[Symbol.iterator]();
  for (let attempt = 1;; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      if (!opts.retryable(err, attempt)) throw err;
      const next = pauses.next();
      if (next.done) throw err;
      await clock.sleep(next.value, opts.signal);
    }
  }
}
