// The process's telemetry, as the CLI edge and commands see it: one value per process (made at
// the edge, handed to the initializer chain) holding the SDK once the chain's `configure-sdk`
// step made one (none without a DSN) and the metrics binding, and the bounded flush of events
// and metrics before exit. Running the chain is the edge's business, not this module's. No
// @sentry/core import here.

import { MetricsBinding } from "../backends/metrics/bind.ts";
import type { Sdk } from "./sdk.ts";

/** The flush bound before exit (SPEC §8: unexpected errors are reported, ~2 s at most). */
export const FLUSH_TIMEOUT_MS = 2000;

export class Telemetry {
  /** The SDK `configure-sdk` built; undefined before that step and without a DSN. */
  sdk: Sdk | undefined;

  constructor(readonly metrics: MetricsBinding = new MetricsBinding()) {}

  /** Reports an unexpected error through the SDK, if there is one: the event id. */
  capture(err: unknown): string | undefined {
    return this.sdk?.captureException(err);
  }

  /**
   * Flushes events, then queued metrics (sending events records `internal.sent_requests.*`), all
   * within `timeoutMs` plus a short grace for the metrics.
   */
  async flush(timeoutMs = FLUSH_TIMEOUT_MS): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const events = this.sdk ? await this.sdk.flush(timeoutMs).catch(() => false) : true;
    const queued = await this.metrics.flush(Math.max(100, deadline - Date.now())).catch(() =>
      false
    );
    return events && queued;
  }
}
