// The store selection for a configured process: the state directory, and DATABASES only when the
// user's own settings file set it (its origin is a file), never the built-in default.

import type { ProcessInputs } from "../runtime/io.ts";
import type { ConfigState } from "../settings/state.ts";
import { stateDirFor } from "../settings/state-dir.ts";
import { type DatabaseTarget, selectDatabase } from "./select.ts";

export function databaseFor(
  state: ConfigState,
  inputs: Pick<ProcessInputs, "env" | "home">,
  flag?: string,
): DatabaseTarget {
  const fromFile = state.origins.settings.get("DATABASES")?.kind === "file";
  return selectDatabase({
    flag,
    env: inputs.env,
    userDatabases: fromFile ? state.settings.DATABASES : undefined,
    stateDir: stateDirFor(state.location, inputs.home),
  });
}
