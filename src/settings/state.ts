// The state the initializer chain fills in, step by step: settings, options as read, where each
// value came from, the logger and the backends. It lives with the settings it describes, so
// settings modules (`show`, `lookup`) need nothing from the chain that fills it.

import type { PyTypeName } from "../lib/python.ts";
import type { Logger } from "../logging/logger.ts";
import type { ConfigLocation } from "./discover.ts";
import type { Settings } from "./defaults.ts";
import type { OriginMap } from "./origins.ts";
import type { Position } from "../formats/yaml-mapping.ts";

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
  /** Warnings already printed, kept for `config validate` and tests. */
  warnings: string[];
  /** Deprecation warnings print once per process (Sentry's `seen_warnings`). */
  seenWarnings: Set<string>;
}

/** The options as bootstrapped (`settings.SENTRY_OPTIONS`), once `bootstrap-options` has run. */
export function sentryOptions(state: ConfigState): Record<string, unknown> {
  return (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
}
