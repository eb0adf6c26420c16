// The metrics API every module calls (Sentry's `utils/metrics.py`): `incr`, `timing`, `gauge`,
// `distribution`, `timer` and `wrap`. A call never blocks and never throws: it samples, then
// pushes one record onto a queue. One background consumer (a macrotask scheduled on the first
// push) hands the queued records to the backend, which may be the services `Delegator` fanning
// out to several backends. `flush()` drains the queue and waits for the backends' own sends, so
// the CLI edge can call it before the process exits.

import { setImmediate } from "node:timers";
import type { MetricsSink, Tags } from "./sink.ts";

export type MetricKind = "incr" | "timing" | "gauge" | "distribution";

export interface MetricOptions {
  instance?: string | null;
  tags?: Tags | null;
  /** Defaults to SENTRY_METRICS_SAMPLE_RATE (1.0). */
  sampleRate?: number;
  unit?: string | null;
}

/** One queued call, as the consumer hands it to the backend. */
export interface MetricRecord {
  kind: MetricKind;
  key: string;
  value: number;
  instance: string | null | undefined;
  tags: Tags | null | undefined;
  sampleRate: number;
  unit: string | null | undefined;
}

/** Where the consumer finds its backend; undefined while the chain has not built one yet. */
export type BackendSource = () => MetricsSink | undefined;

export interface PipelineOptions {
  /** Records kept while no backend is bound or the consumer lags; older ones are dropped. */
  maxQueue?: number;
  random?: () => number;
  /** Receives backend errors (Sentry logs "Unable to record backend metric"). */
  onError?: (err: unknown) => void;
}

export class MetricsPipeline {
  #queue: MetricRecord[] = [];
  #scheduled = false;
  #source: BackendSource | undefined;
  #backend: MetricsSink | undefined;
  /** Records dropped because the queue was full (visible to tests and `--verbose`). */
  dropped = 0;
  /** SENTRY_METRICS_SAMPLE_RATE: the rate of a call that names none. */
  defaultSampleRate = 1;
  readonly #maxQueue: number;
  readonly #random: () => number;
  #onError: (err: unknown) => void;

  constructor(opts: PipelineOptions = {}) {
    this.#maxQueue = opts.maxQueue ?? 10_000;
    this.#random = opts.random ?? Math.random;
    this.#onError = opts.onError ?? (() => {});
  }

  /** Binds the backend lazily: the consumer asks `source` each time it has records to send. */
  bind(source: BackendSource, onError?: (err: unknown) => void): void {
    this.#source = source;
    this.#backend = undefined;
    if (onError) this.#onError = onError;
    if (this.#queue.length > 0) this.#schedule();
  }

  get pending(): number {
    return this.#queue.length;
  }

  incr(key: string, amount = 1, opts?: MetricOptions): void {
    this.#push("incr", key, amount, opts);
  }

  /** `value` is in seconds, as Sentry's. */
  timing(key: string, value: number, opts?: MetricOptions): void {
    this.#push("timing", key, value, opts);
  }

  gauge(key: string, value: number, opts?: MetricOptions): void {
    this.#push("gauge", key, value, opts);
  }

  distribution(key: string, value: number, opts?: MetricOptions): void {
    this.#push("distribution", key, value, opts);
  }

  /**
   * Sentry's `timer`: runs `fn` with a mutable copy of the tags, sets `result` to `success` or
   * `failure` (the error is re-thrown), and records the elapsed seconds as a timing.
   */
  timer<R>(key: string, fn: (tags: Record<string, string>) => R, opts: MetricOptions = {}): R {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.tags ?? {})) if (v != null) tags[k] = String(v);
    const started = performance.now();
    const done = (result: "success" | "failure") => {
      tags.result = result;
      this.timing(key, (performance.now() - started) / 1000, { ...opts, tags });
    };
    let value: R;
    try {
      value = fn(tags);
    } catch (err) {
      done("failure");
      throw err;
    }
    if (value instanceof Promise) {
      return value.then(
        (v) => (done("success"), v),
        (err) => {
          done("failure");
          throw err;
        },
      ) as R;
    }
    done("success");
    return value;
  }

  /** Sentry's `wraps` decorator as a higher-order function. */
  wrap<A extends unknown[], R>(
    key: string,
    fn: (...args: A) => R,
    opts: MetricOptions = {},
  ): (...args: A) => R {
    return (...args: A) => this.timer(key, () => fn(...args), opts);
  }

  /** Sends everything queued, then waits (at most `timeoutMs`) for the backends' own sends. */
  async flush(timeoutMs = 2000): Promise<boolean> {
    this.#drain();
    const backend = this.#backend;
    if (!backend?.flush) return this.#queue.length === 0;
    // Delegator secondaries run on microtasks: let them record before the backends flush.
    await new Promise((resolve) => setImmediate(resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([
        Promise.resolve(backend.flush()).then(() => true, (err) => (this.#onError(err), false)),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  #push(kind: MetricKind, key: string, value: number, opts: MetricOptions | undefined): void {
    const sampleRate = opts?.sampleRate ?? this.defaultSampleRate;
    // Sentry's `_should_sample`: a sampled-out call costs nothing further.
    if (sampleRate < 1 && this.#random() < 1 - sampleRate) return;
    if (this.#queue.length >= this.#maxQueue) {
      this.#queue.shift();
      this.dropped++;
    }
    this.#queue.push({
      kind,
      key,
      value,
      instance: opts?.instance,
      tags: opts?.tags,
      sampleRate,
      unit: opts?.unit,
    });
    if (!this.#scheduled) this.#schedule();
  }

  #schedule(): void {
    this.#scheduled = true;
    // A macrotask on the next loop turn (not unref'd: Deno never runs an unref'd immediate).
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  /** The consumer: hands every queued record to the backend, in order. */
  #drain(): void {
    const backend = this.#backend ??= this.#source?.();
    if (!backend) return; // keep them until a backend is bound
    const batch = this.#queue;
    this.#queue = [];
    for (const r of batch) {
      try {
        deliver(backend, r);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}

function deliver(backend: MetricsSink, r: MetricRecord): void {
  switch (r.kind) {
    case "incr":
      return backend.incr(r.key, r.instance, r.tags, r.value, r.sampleRate, r.unit);
    case "timing":
      return backend.timing(r.key, r.value, r.instance, r.tags, r.sampleRate);
    case "gauge":
      return backend.gauge(r.key, r.value, r.instance, r.tags, r.sampleRate, r.unit);
    case "distribution":
      return backend.distribution(r.key, r.value, r.instance, r.tags, r.sampleRate, r.unit);
  }
}
