// What every command receives: the process's inputs as plain values (never read from globals
// further down), and the state the initializer chain builds up.

import type { Services } from "../backends/setup.ts";
import type { PyTypeName } from "../lib/python.ts";
import { type Logger, NULL_LOGGER } from "../logging/logger.ts";
import type { ConfigLocation } from "../settings/discover.ts";
import type { Settings } from "../settings/defaults.ts";
import { OPTIONS_MAPPER } from "../settings/bootstrap-options.ts";
import { emptyOrigins, type OriginMap } from "../settings/origins.ts";
import type { Position } from "../settings/yaml-file.ts";

export interface Writer {
  write(data: string | Uint8Array): unknown;
}

export interface ProcessInputs {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
  stdout: Writer;
  stderr: Writer;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
}

export interface GlobalFlags {
  config?: string;
  project: string;
  verbose: boolean;
}

/** The state the chain fills in, step by step. */
export interface ConfigState {
  /** Undefined when no config directory exists: the embedded defaults apply. */
  location?: ConfigLocation;
  /** Django-style settings: UPPERCASE names. */
  settings: Settings;
  /** The raw `config.yml` mapping, as read. */
  fileOptions: Record<string, unknown>;
  /** Positions and Python types of the `config.yml` values (empty without the file). */
  optionsFile: {
    path?: string;
    text?: string;
    positions: Map<string, Position>;
    types: Map<string, PyTypeName>;
  };
  /** Where every setting and option came from (`config show --origin`, error locations). */
  origins: OriginMap;
  /** Option key → setting promoted during bootstrap (per run: the single-org remap adds to it). */
  optionsMapper: Record<string, string>;
  /** The structured logger; a null logger until the `logging` step has run. */
  logger: Logger;
  /** The backends, once `setup-services` has run. */
  services?: Services;
  /** Warnings already printed, kept for `config validate` and tests. */
  warnings: string[];
  /** Deprecation warnings print once per process (Sentry's `seen_warnings`). */
  seenWarnings: Set<string>;
}

/** The options as bootstrapped (`settings.SENTRY_OPTIONS`), once `bootstrap-options` has run. */
export function sentryOptions(state: ConfigState): Record<string, unknown> {
  return (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
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
