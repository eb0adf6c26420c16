// The ordered steps of the initializer chain: Sentry's `configure()` + `initialize_app()`.
// Each step is small and named (modules under steps/); `chain.ts` decides how far to run, and
// commands name how far they need with CHAIN_LEVELS.

import { discover, loadSettings } from "./steps/load.ts";
import type { ChainStep, StepName } from "./types.ts";

/**
 * A step whose module is imported when the chain first gets to it: Docker-level commands (`ps`,
 * `down`) stop after load-settings and never load the options registry, validators or SDK set-up.
 */
function later<M>(name: StepName, load: () => Promise<M>, pick: (m: M) => ChainStep): ChainStep {
  return {
    name,
    async run(state, input) {
      await pick(await load()).run(state, input);
    },
  };
}

const optionSteps = () => import("./steps/options.ts");
const validateSteps = () => import("./steps/validate.ts");
const serviceSteps = () => import("./steps/services.ts");

/** Sentry's order (SPEC §2): `configure_sdk` sits between validate-snuba and setup-services. */
export const CHAIN_STEPS: readonly ChainStep[] = [
  discover,
  loadSettings,
  later("single-org-remap", optionSteps, (m) => m.singleOrgRemap),
  later("bootstrap-options", optionSteps, (m) => m.bootstrap),
  later("logging", optionSteps, (m) => m.logging),
  later("derived-defaults", validateSteps, (m) => m.derivedDefaults),
  later("validate-regions", validateSteps, (m) => m.regions),
  later("legacy-settings", validateSteps, (m) => m.legacySettings),
  later("validate-options", validateSteps, (m) => m.options),
  later("validate-snuba", validateSteps, (m) => m.snuba),
  later("configure-sdk", () => import("./steps/sdk.ts"), (m) => m.sdk),
  later("setup-services", serviceSteps, (m) => m.services),
  later("csrf-trusted-origins", serviceSteps, (m) => m.csrf),
];

/** How far a command needs the chain. */
export const CHAIN_LEVELS = {
  /** Settings only (SENTRY_DEVSERVICES, project): Docker-only commands (`down`, `ps`, `logs`). */
  docker: "load-settings",
  /**
   * Effective options, legacy settings included (Sentry reads options only after
   * `apply_legacy_settings`), no option/snuba validators: `config get`.
   */
  options: "legacy-settings",
  /** Everything checked and the SDK configured (crash reports, metrics), no services: `attach`. */
  validated: "configure-sdk",
  /** The whole chain (Sentry's `configure()`): `config validate`, `config show`. */
  full: "csrf-trusted-origins",
} as const satisfies Record<string, StepName>;

export type Level = keyof typeof CHAIN_LEVELS;
