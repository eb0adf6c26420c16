// Steps 11–12: `setup_services` (backends by name; `validate()` unless
// SENTRY_SKIP_BACKEND_VALIDATION or SENTRY_SKIP_SERVICE_VALIDATION is present) and the CSRF
// trusted origins of a self-hosted install. The backends module is loaded only here.

import { getOption } from "../../options/index.ts";
import { csrfTrustedOrigins } from "../../settings/validators/csrf.ts";
import { sentryOptions } from "../../settings/state.ts";
import { reporter } from "../report.ts";
import type { ChainStep } from "../types.ts";

export const services: ChainStep = {
  name: "setup-services",
  async run(state, input) {
    const { buildServices, setupServices, skipValidation } = await import(
      "../../backends/index.ts"
    );
    const { databaseFor } = await import("../../store/from-state.ts");
    const report = reporter(state, input);
    const built = buildServices(
      state.settings,
      state.logger,
      (text) => report.userWarning(text),
      () => databaseFor(state, input.inputs),
    );
    await setupServices(built, !skipValidation(input.inputs.env));
    state.services = built;
  },
};

export const csrf: ChainStep = {
  name: "csrf-trusted-origins",
  run(state, input) {
    const urlPrefix = getOption(sentryOptions(state), "system.url-prefix", input.inputs.env);
    const origins = csrfTrustedOrigins(state.settings, urlPrefix);
    if (!origins) return;
    state.settings.CSRF_TRUSTED_ORIGINS = origins;
    state.origins.settings.set("CSRF_TRUSTED_ORIGINS", {
      kind: "derived",
      from: urlPrefix ? "option system.url-prefix" : "SENTRY_SELF_HOSTED (first-time default)",
    });
  },
};
