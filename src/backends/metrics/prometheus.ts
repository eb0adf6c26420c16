// `sentryctl.metrics.prometheus.PrometheusMetricsBackend` (alias `prometheus`): metrics go into
// the process's in-process Prometheus registry (`src/metrics/prometheus.ts`), which the status
// server renders at `GET /metrics`. Sampled counts are scaled back up (Sentry's
// `_sampled_value`: `int(amount / rate)`), so a counter estimates the true total.

import { getProcessRegistry, type Labels, PrometheusRegistry } from "../../metrics/prometheus.ts";
import type { Tags } from "../../metrics/sink.ts";
import { BaseMetricsBackend } from "./base.ts";

function labelsOf(tags: Tags | null | undefined, instance: string | null | undefined): Labels {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (v !== undefined && v !== null) labels[k.replace(/[^a-zA-Z0-9_]/g, "_")] = String(v);
  }
  if (instance) labels.instance = instance;
  return labels;
}

export class PrometheusMetricsBackend extends BaseMetricsBackend {
  constructor(
    prefix: string | null | undefined,
    settingsPrefix: unknown,
    readonly registry: PrometheusRegistry = getProcessRegistry(),
  ) {
    super(prefix, settingsPrefix);
  }

  override incr(
    key: string,
    instance?: string | null,
    tags?: Tags | null,
    amount = 1,
    sampleRate = 1,
  ): void {
    const scaled = sampleRate < 1 && sampleRate > 0 ? Math.trunc(amount / sampleRate) : amount;
    this.registry.inc(this.getKey(key), scaled, labelsOf(tags, instance), key);
  }

  override timing(key: string, value: number, instance?: string | null, tags?: Tags | null): void {
    this.registry.observe(this.getKey(key), value, labelsOf(tags, instance), {
      seconds: true,
      help: `${key} (seconds)`,
    });
  }

  override gauge(key: string, value: number, instance?: string | null, tags?: Tags | null): void {
    this.registry.set(this.getKey(key), value, labelsOf(tags, instance), key);
  }

  override distribution(
    key: string,
    value: number,
    instance?: string | null,
    tags?: Tags | null,
  ): void {
    this.registry.observe(this.getKey(key), value, labelsOf(tags, instance), { help: key });
  }
}
