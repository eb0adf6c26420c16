// The initializer chain's vocabulary, apart from the chain and its steps so that neither imports
// the other for a type: the step names, a step's shape, what every step receives (the process's
// inputs, the global flags, the telemetry it configures) and the state it fills in.

import type { Services } from "../backends/setup.ts";
import type { ProcessInputs } from "../runtime/io.ts";
import type { ConfigState } from "../settings/state.ts";
import type { Telemetry } from "../telemetry/index.ts";

export interface GlobalFlags {
  config?: string;
  project: string;
  /** `--project` was given (it outranks COMPOSE_PROJECT_NAME and the files' names). */
  projectGiven?: boolean;
  verbose: boolean;
  /** `-f FILE…` before the command (SPEC §3a). */
  files?: string[];
  /** `--project-directory DIR` before the command. */
  projectDirectory?: string;
  /** `--env-file FILE` before the command. */
  envFile?: string;
}

/** What every step receives. */
export interface ChainInput {
  inputs: ProcessInputs;
  flags: GlobalFlags;
  /** The process's telemetry: `configure-sdk` sets its SDK and binds its metrics. */
  telemetry: Telemetry;
}

/** The settings' state plus what only the chain adds: the backends, once `setup-services` ran. */
export interface ChainState extends ConfigState {
  services?: Services;
}

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
  run(state: ChainState, input: ChainInput): void | Promise<void>;
}
