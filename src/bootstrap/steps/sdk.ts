// Step `configure-sdk` (Sentry's `configure_sdk()`, between validate-snuba and setup-services):
// binds the process's metrics pipeline to the configured metrics backend, then, only when a DSN
// is configured, loads @sentry/core and builds the client with the MultiplexingTransport.
// Without a DSN nothing is imported beyond the small planning module.

import { metrics } from "../../metrics/index.ts";
import { bindMetrics } from "../../metrics/bind.ts";
import { sentryOptions } from "../context.ts";
import type { ChainStep } from "../steps.ts";

export const sdk: ChainStep = {
  name: "configure-sdk",
  async run(state, input) {
    bindMetrics(state);
    const { planSdk } = await import("../../telemetry/options.ts");
    const plan = planSdk(state.settings, sentryOptions(state), input.inputs.env);
    const { setSdk } = await import("../../telemetry/index.ts");
    if (!plan.upstream && !plan.relay) {
      setSdk(undefined);
      return;
    }
    const { configureSdk } = await import("../../telemetry/sdk.ts");
    const made = await configureSdk(plan, {
      fetch: (url, init) => fetch(url, init as RequestInit),
      incr: (key, amount, opts) => metrics.incr(key, amount, opts),
      settings: state.settings,
    });
    setSdk(made);
    state.logger.debug("sdk configured", {
      upstream: made.transport.upstream?.host ?? null,
      relay: made.transport.relay?.host ?? null,
      relay_source: plan.relaySource ?? null,
    });
  },
};
