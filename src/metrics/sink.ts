// What the metrics pipeline delivers to: the recording methods of a metrics backend. The
// backends themselves (Sentry's `MetricsBackend`: these plus a service's validate/setup) live in
// the services layer, src/backends/metrics/, above this folder.

export type Tags = Readonly<Record<string, string | number | null | undefined>>;

/** The shape of `timing`, `gauge` and `distribution`: a key, a value, then the optional parts. */
export type ValueMethod = (
  key: string,
  value: number,
  instance?: string | null,
  tags?: Tags | null,
  sampleRate?: number,
  unit?: string | null,
) => void;

export interface MetricsSink {
  /** Adds `amount` (default 1). */
  incr(
    key: string,
    instance?: string | null,
    tags?: Tags | null,
    amount?: number,
    sampleRate?: number,
    unit?: string | null,
  ): void;
  /** Seconds. */
  timing: ValueMethod;
  gauge: ValueMethod;
  distribution: ValueMethod;
  /** Waits for sends in flight (statsd's UDP writes); called before the process exits. */
  flush?(): Promise<void>;
}
