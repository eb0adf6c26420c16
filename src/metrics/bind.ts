// Binds the process's metrics pipeline to the chain's metrics backend. The chain builds the
// services at `setup-services`; a command that stops earlier (`attach`, `config get`) still has
// its queued metrics sent: at flush time the backend is built from the same settings through the
// same services registry (never a second pipeline).

import type { ConfigState } from "../bootstrap/context.ts";
import type { MetricsBackend } from "../backends/metrics/base.ts";
import { metrics } from "./index.ts";

export interface MetricsSource {
  /** The chain's backend once services are set up. */
  current(): MetricsBackend | undefined;
  /** Builds one from settings when the chain never reached the services. */
  build(): Promise<MetricsBackend>;
}

let source: MetricsSource | undefined;

const DUMMY_NAMES = new Set(["sentry.metrics.dummy.DummyMetricsBackend", "dummy"]);

/** The dummy backend with nothing but a prefix: whatever is recorded goes nowhere. */
function recordsNothing(settings: ConfigState["settings"]): boolean {
  const options = settings.SENTRY_METRICS_OPTIONS;
  const keys = options && typeof options === "object" ? Object.keys(options) : [];
  return DUMMY_NAMES.has(String(settings.SENTRY_METRICS_BACKEND)) &&
    keys.every((k) => k === "prefix");
}

/** Whether a chain run has bound the pipeline (the `configure-sdk` step or the CLI edge). */
export function metricsBound(): boolean {
  return source !== undefined;
}

/** Binds the pipeline to the metrics backend of a chain state (settings loaded at least). */
export function bindMetrics(state: ConfigState): void {
  const from: MetricsSource = {
    current: () => state.services?.metrics.instance,
    async build() {
      if (recordsNothing(state.settings)) {
        // The default: nothing to send, so no need to build the services layer to learn that.
        const { DummyMetricsBackend } = await import("../backends/metrics/dummy.ts");
        return new DummyMetricsBackend(null, state.settings.SENTRY_METRICS_PREFIX);
      }
      const { buildServices } = await import("../backends/index.ts");
      const built = buildServices(state.settings, state.logger, () => {});
      await built.metrics.setup();
      return built.metrics.instance;
    },
  };
  source = from;
  const rate = state.settings.SENTRY_METRICS_SAMPLE_RATE;
  metrics.defaultSampleRate = typeof rate === "number" ? rate : 1;
  const errors = state.logger.child("sentry.errors");
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
