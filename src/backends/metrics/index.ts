// Metrics backends by name (SENTRY_METRICS_BACKEND, options from SENTRY_METRICS_OPTIONS).
// Several at once: SENTRY_METRICS_BACKEND = "sentry.utils.services.ServiceDelegator".

import { BackendRegistry, InvalidConfiguration, onlyOptions } from "../service.ts";
import { SERVICE_DELEGATOR, serviceDelegatorFactory } from "../service-delegator.ts";
import { BaseMetricsBackend, type MetricsBackend } from "./base.ts";
import { DummyMetricsBackend } from "./dummy.ts";
import { LoggingMetricsBackend } from "./logging.ts";
import { PrometheusMetricsBackend } from "./prometheus.ts";
import { StatsdMetricsBackend } from "./statsd.ts";

export type { MetricsBackend } from "./base.ts";

export const METRICS_BACKENDS = new BackendRegistry<MetricsBackend>(
  "sentry.metrics.base.MetricsBackend",
);

const prefixOf = (options: Record<string, unknown>) =>
  typeof options.prefix === "string" ? options.prefix : undefined;

/** A port from settings: an integer or a numeric string (YAML and env values are strings). */
function portOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" ? n : NaN;
}

/** DogStatsD constant tags: `["k:v", …]` as datadog takes them, or a mapping. */
function constantTags(value: unknown): Record<string, string | null> | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((t) => {
      const [k, ...v] = String(t).split(":");
      return [k!, v.length ? v.join(":") : null];
    }));
  }
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  }
  throw new InvalidConfiguration("tags must be a list of 'key:value' strings or a mapping");
}

METRICS_BACKENDS
  .register("sentry.metrics.dummy.DummyMetricsBackend", (options, ctx) => {
    onlyOptions("DummyMetricsBackend", options, ["prefix"]);
    return new DummyMetricsBackend(prefixOf(options), ctx.settings.SENTRY_METRICS_PREFIX);
  }, { aliases: ["dummy"] })
  .register("sentry.metrics.logging.LoggingBackend", (options, ctx) => {
    onlyOptions("LoggingBackend", options, ["prefix"]);
    return new LoggingMetricsBackend(
      ctx.logger.child("sentry.metrics"),
      prefixOf(options),
      ctx.settings.SENTRY_METRICS_PREFIX,
    );
  }, { aliases: ["logging"] })
  .register("sentry.metrics.statsd.StatsdMetricsBackend", (options, ctx) => {
    onlyOptions("StatsdMetricsBackend", options, ["host", "port", "prefix", "tags"]);
    return new StatsdMetricsBackend({
      host: typeof options.host === "string" ? options.host : "127.0.0.1",
      port: portOf(options.port, 8125),
      prefix: prefixOf(options),
      constantTags: constantTags(options.tags),
      instanceAsTag: false,
    }, ctx.settings.SENTRY_METRICS_PREFIX);
  }, { aliases: ["statsd"] })
  .register("sentry.metrics.dogstatsd.DogStatsdMetricsBackend", (options, ctx) => {
    onlyOptions("DogStatsdMetricsBackend", options, [
      "statsd_host",
      "statsd_port",
      "prefix",
      "tags",
    ]);
    return new StatsdMetricsBackend({
      host: typeof options.statsd_host === "string" ? options.statsd_host : "127.0.0.1",
      port: portOf(options.statsd_port, 8125),
      prefix: prefixOf(options),
      constantTags: constantTags(options.tags),
      instanceAsTag: true,
    }, ctx.settings.SENTRY_METRICS_PREFIX);
  }, { aliases: ["dogstatsd"] })
  .register("sentryctl.metrics.prometheus.PrometheusMetricsBackend", (options, ctx) => {
    onlyOptions("PrometheusMetricsBackend", options, ["prefix"]);
    return new PrometheusMetricsBackend(prefixOf(options), ctx.settings.SENTRY_METRICS_PREFIX);
  }, { aliases: ["prometheus"] })
  .register(
    SERVICE_DELEGATOR,
    serviceDelegatorFactory(METRICS_BACKENDS, () => new BaseMetricsBackend(undefined, "")),
  );
