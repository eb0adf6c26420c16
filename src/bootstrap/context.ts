// What every command receives: the process's inputs as plain values (never read from globals
// further down), and the state the initializer chain builds up.

import { NULL_LOGGER } from "../logging/logger.ts";
import { OPTIONS_MAPPER } from "../settings/bootstrap-options.ts";
import { emptyOrigins } from "../settings/origins.ts";
import type { ConfigState } from "../settings/state.ts";

export type { ProcessInputs, Writer } from "../runtime/io.ts";
export { type ConfigState, sentryOptions } from "../settings/state.ts";

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

/** The state before any step has run (and after a failed run, so it can be retried). */
export function emptyState(): ConfigState {
  return {
    settings: {},
    fileOptions: {},
    optionsFile: { positions: new Map(), types: new Map() },
    origins: emptyOrigins(),
    optionsMapper: { ...OPTIONS_MAPPER },
    logger: NULL_LOGGER,
    warnings: [],
    seenWarnings: new Set(),
  };
}
