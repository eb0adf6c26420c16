// Metrics backends by name (SENTRY_METRICS_BACKEND, options from SENTRY_METRICS_OPTIONS).
// Several at once: SENTRY_METRICS_BACKEND = "sentry.utils.services.ServiceDelegator".

import { BackendRegistry, onlyOptions } from "../service.ts";
import { SERVICE_DELEGATOR, serviceDelegatorFactory } from "../service-delegator.ts";
import { BaseMetricsBackend, type MetricsBackend } from "./base.ts";
import { DummyMetricsBackend } from "./dummy.ts";
import { LoggingMetricsBackend } from "./logging.ts";

export type { MetricsBackend, Tags } from "./base.ts";

export const METRICS_BACKENDS = new BackendRegistry<MetricsBackend>(
  "sentry.metrics.base.MetricsBackend",
);

const prefixOf = (options: Record<string, unknown>) =>
  typeof options.prefix === "string" ? options.prefix : undefined;

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
  .register(
    SERVICE_DELEGATOR,
    serviceDelegatorFactory(METRICS_BACKENDS, () => new BaseMetricsBackend(undefined, "")),
  );
