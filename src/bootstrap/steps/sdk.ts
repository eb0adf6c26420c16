// Step `configure-sdk` (Sentry's `configure_sdk()`, between validate-snuba and setup-services):
// binds the metrics pipeline of the chain input's Telemetry to the configured metrics backend,
// then, only when a DSN is configured, loads @sentry/core and builds the client with the
// MultiplexingTransport. Without a DSN nothing is imported beyond the small planning module.

import { sentryOptions } from "../../settings/state.ts";
import type { ChainStep } from "../types.ts";

export const sdk: ChainStep = {
  name: "configure-sdk",
  async run(state, input) {
    const { telemetry } = input;
    telemetry.metrics.bind(state);
    const { planSdk } = await import("../../telemetry/options.ts");
    const plan = planSdk(state.settings, sentryOptions(state), input.inputs.env);
    if (!plan.upstream && !plan.relay) {
      telemetry.sdk = undefined;
      return;
    }
    const { configureSdk } = await import("../../telemetry/sdk.ts");
    const made = await configureSdk(plan, {
      fetch: (url, init) => fetch(url, init as RequestInit),
      incr: (key, amount, opts) => telemetry.metrics.pipeline.incr(key, amount, opts),
      settings: state.settings,
    });
    telemetry.sdk = made;
    state.logger.debug("sdk configured", {
      upstream: made.transport.upstream?.host ?? null,
      relay: made.transport.relay?.host ?? null,
      relay_source: plan.relaySource ?? null,
    });
  },
};
