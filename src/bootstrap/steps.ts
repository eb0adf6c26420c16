// The ordered steps of the initializer chain: Sentry's `configure()` + `initialize_app()`.
// Each step is small and named (modules under steps/); `chain.ts` decides how far to run, and
// commands name how far they need with LEVELS.

import type { ChainInput } from "./chain.ts";
import type { ConfigState } from "./context.ts";
import { discover, loadSettings } from "./steps/load.ts";
import { bootstrap, logging, singleOrgRemap } from "./steps/options.ts";
import { sdk } from "./steps/sdk.ts";
import { csrf, services } from "./steps/services.ts";
import { derivedDefaults, legacySettings, options, regions, snuba } from "./steps/validate.ts";

export type StepName =
  | "discover"
  | "load-settings"
  | "single-org-remap"
  | "bootstrap-options"
  | "logging"
  | "derived-defaults"
  | "validate-regions"
  | "legacy-settings"
  | "validate-options"
  | "validate-snuba"
  | "configure-sdk"
  | "setup-services"
  | "csrf-trusted-origins";

export interface ChainStep {
  name: StepName;
  run(state: ConfigState, input: ChainInput): void | Promise<void>;
}

/** Sentry's order (SPEC §2): `configure_sdk` sits between validate-snuba and setup-services. */
export const CHAIN_STEPS: readonly ChainStep[] = [
  discover,
  loadSettings,
  singleOrgRemap,
  bootstrap,
  logging,
  derivedDefaults,
  regions,
  legacySettings,
  options,
  snuba,
  sdk,
  services,
  csrf,
];

/** How far a command needs the chain. */
export const LEVELS = {
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

export type Level = keyof typeof LEVELS;
