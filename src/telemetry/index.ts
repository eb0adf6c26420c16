// The process's telemetry, as the CLI edge and commands see it: the SDK once the chain's
// `configure-sdk` step made one (none without a DSN), capture of unexpected errors, and the
// bounded flush of events and metrics before exit. No @sentry/core import here.

import type { InitializerChain } from "../bootstrap/chain.ts";
import { bindMetrics, flushMetrics, metricsBound } from "../metrics/bind.ts";
import type { Sdk } from "./sdk.ts";

/** The flush bound before exit (SPEC §8: unexpected errors are reported, ~2 s at most). */
export const FLUSH_TIMEOUT_MS = 2000;

let current: Sdk | undefined;

export function setSdk(sdk: Sdk | undefined): void {
  current = sdk;
}

export function getSdk(): Sdk | undefined {
  return current;
}

/**
 * Reports an unexpected error through the SDK. A command that stopped before the SDK step gets
 * the chain run that far first; any failure of that is swallowed (the error is printed anyway).
 */
export async function captureUnexpected(
  err: unknown,
  chain?: InitializerChain,
): Promise<string | undefined> {
  if (!current && chain) {
    try {
      await chain.through("configure-sdk");
    } catch {
      return undefined;
    }
  }
  return current?.captureException(err);
}

/**
 * Flushes events, then queued metrics (sending events records `internal.sent_requests.*`), all
 * within `timeoutMs` plus a short grace for the metrics.
 */
export async function flushTelemetry(
  timeoutMs = FLUSH_TIMEOUT_MS,
  chain?: InitializerChain,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  if (!metricsBound() && chain?.completed.includes("load-settings")) {
    // A command that loaded settings but stopped before `configure-sdk` (`config get`): its
    // metrics go to the backend its settings name. Commands that read no settings at all
    // (`init`, `config set`) have no backend to send to and are not made to load them.
    try {
      bindMetrics(await chain.through("load-settings"));
    } catch { /* the command already reported (or did not need) the settings */ }
  }
  const events = current ? await current.flush(timeoutMs).catch(() => false) : true;
  const queued = await flushMetrics(Math.max(100, deadline - Date.now())).catch(() => false);
  return events && queued;
}
