// Binds a metrics pipeline to the metrics backend the settings name. The chain builds the
// services at `setup-services`; a command that stops earlier (`attach`, `config get`) still has
// its queued metrics sent: at flush time the backend is built from the same settings through the
// same services registry (never a second pipeline). One binding per process, held by its
// Telemetry (src/telemetry/index.ts), not by this module.

import type { Logger } from "../../logging/logger.ts";
import { metrics as processMetrics, type MetricsPipeline } from "../../metrics/index.ts";
import type { Settings } from "../../settings/defaults.ts";
import type { Services } from "../setup.ts";
import type { MetricsBackend } from "./base.ts";

/** What binding needs of the chain's state (settings loaded at least). */
export interface MetricsState {
  settings: Settings;
  logger: Logger;
  /** The backends, once the chain set them up. */
  services?: Services;
}

interface MetricsSource {
  /** The chain's backend once services are set up. */
  current(): MetricsBackend | undefined;
  /** Builds one from settings when the chain never reached the services. */
  build(): Promise<MetricsBackend>;
}

const DUMMY_NAMES = new Set(["sentry.metrics.dummy.DummyMetricsBackend", "dummy"]);

/** The dummy backend with nothing but a prefix: whatever is recorded goes nowhere. */
function recordsNothing(settings: Settings): boolean {
  const options = settings.SENTRY_METRICS_OPTIONS;
  const keys = options && typeof options === "object" ? Object.keys(options) : [];
  return DUMMY_NAMES.has(String(settings.SENTRY_METRICS_BACKEND)) &&
    keys.every((k) => k === "prefix");
}

export class MetricsBinding {
  #source: MetricsSource | undefined;

  constructor(readonly pipeline: MetricsPipeline = processMetrics) {}

  /** Whether a chain run has bound the pipeline (the `configure-sdk` step or the CLI edge). */
  get bound(): boolean {
    return this.#source !== undefined;
  }

  /** Binds the pipeline to the metrics backend of a chain state. */
  bind(state: MetricsState): void {
    const from: MetricsSource = {
      current: () => state.services?.metrics.instance,
      async build() {
        if (recordsNothing(state.settings)) {
          // The default: nothing to send, so no need to build the services layer to learn that.
          const { DummyMetricsBackend } = await import("./dummy.ts");
          return new DummyMetricsBackend(null, state.settings.SENTRY_METRICS_PREFIX);
        }
        const { buildServices } = await import("../index.ts");
        const built = buildServices(state.settings, state.logger, () => {});
        await built.metrics.setup();
        return built.metrics.instance;
      },
    };
    this.#source = from;
    const rate = state.settings.SENTRY_METRICS_SAMPLE_RATE;
    this.pipeline.defaultSampleRate = typeof rate === "number" ? rate : 1;
    const errors = state.logger.child("sentry.errors");
    this.pipeline.bind(
      () => from.current(),
      (err) => errors.error("Unable to record backend metric", { error: String(err) }),
    );
  }

  /** Sends what is queued: builds the backend from settings if the chain did not. */
  async flush(timeoutMs: number): Promise<boolean> {
    const source = this.#source;
    if (!source) return this.pipeline.pending === 0;
    if (this.pipeline.pending > 0 && !source.current()) {
      try {
        const backend = await source.build();
        this.pipeline.bind(() => backend);
      } catch {
        return false; // a bad backend setting was already reported by the chain, or will be
      }
    }
    return this.pipeline.flush(timeoutMs);
  }
}
