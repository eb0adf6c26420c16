// The chain's state before any step has run. The types every step sees are in types.ts; the
// process's inputs (`ProcessInputs`, `Writer`) are runtime/io.ts's, the settings' state
// (`ConfigState`) is settings/state.ts's.

import { NULL_LOGGER } from "../logging/logger.ts";
import { OPTIONS_MAPPER } from "../settings/bootstrap-options.ts";
import { emptyOrigins } from "../settings/origins.ts";
import type { ChainState } from "./types.ts";

/** The state before any step has run (and after a failed run, so it can be retried). */
export function emptyState(): ChainState {
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
