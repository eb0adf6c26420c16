// The metrics backend interface (Sentry's `sentry.metrics.base.MetricsBackend`). `timing` takes
// seconds. Backends register by Sentry's dotted path in `index.ts`. Callers do not use a backend
// directly: they go through the queueing pipeline in `src/metrics/`, which has already sampled a
// call when it reaches a backend (`sampleRate` is passed on so statsd can write `|@rate` and
// counting backends can scale counts up).

import type { MetricsSink, Tags } from "../../metrics/sink.ts";
import type { Service } from "../service.ts";

/** A metrics backend: the pipeline's sink plus a service's validate/setup. */
export interface MetricsBackend extends Service, MetricsSink {}

/** sentryctl's own metrics (`sentryctl.command`) keep their name whatever the prefix. */
export const OWN_PREFIX = "sentryctl.";

/** The base class: prefix handling and sampling; the metric methods must be overridden. */
export class BaseMetricsBackend implements MetricsBackend {
  readonly prefix: string;

  constructor(
    prefix: string | null | undefined,
    settingsPrefix: unknown,
    readonly random = Math.random,
  ) {
    this.prefix = prefix ?? (typeof settingsPrefix === "string" ? settingsPrefix : "");
  }

  getKey(key: string): string {
    if (key.startsWith(OWN_PREFIX)) return key;
    return this.prefix ? `${this.prefix}${key}` : key;
  }

  shouldSample(sampleRate: number): boolean {
    return sampleRate >= 1 || this.random() >= 1 - sampleRate;
  }

  incr(
    _key: string,
    _instance?: string | null,
    _tags?: Tags | null,
    _amount?: number,
    _sampleRate?: number,
  ): void {
    throw new Error("NotImplementedError");
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  timing(_key: string, _value: number, _instance?: string | null, _tags?: Tags | null): void {
    throw new Error("NotImplementedError");
  }
  gauge(_key: string, _value: number, _instance?: string | null, _tags?: Tags | null): void {
    throw new Error("NotImplementedError");
  }
  distribution(_key: string, _value: number, _instance?: string | null, _tags?: Tags | null): void {
    throw new Error("NotImplementedError");
  }
}
