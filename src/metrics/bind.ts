// Binds the process's metrics pipeline to the chain's metrics backend. The chain builds the
// services at `setup-services`; a command that stops earlier (e.g. `attach`) still has its
// queued metrics sent: at flush time the backend is built from the same settings through the
// same services registry (never a second pipeline).

import type { Logger } from "../logging/logger.ts";
import type { MetricsBackend } from "../backends/metrics/base.ts";
import { metrics } from "./index.ts";

export interface MetricsSource {
  /** The chain's backend once services are set up. */
  current(): MetricsBackend | undefined;
  /** Builds one from settings when the chain never reached the services. */
  build(): Promise<MetricsBackend>;
}

let source: MetricsSource | undefined;

export function bindMetrics(
  from: MetricsSource,
  settings: Record<string, unknown>,
  logger: Logger,
): void {
  source = from;
  const rate = settings.SENTRY_METRICS_SAMPLE_RATE;
  metrics.defaultSampleRate = typeof rate === "number" ? rate : 1;
  const errors = logger.child("sentry.errors");
  metrics.bind(
    () => from.current(),
    (err) => errors.error("Unable to record backend metric", { error: String(err) }),
  );
}

/** Sends what is queued: builds the backend from settings if the chain did not. */
export async function flushMetrics(timeoutMs: number): Promise<boolean> {
  if (!source) return metrics.pending === 0;
  if (metrics.pending > 0 && !source.current()) {
    try {
      const backend = await source.build();
      metrics.bind(() => backend);
    } catch {
      return false; // a bad backend setting was already reported by the chain, or will be
    }
  }
  return metrics.flush(timeoutMs);
}
