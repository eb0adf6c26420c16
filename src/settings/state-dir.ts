// The state directory (SPEC §2): the resolved config directory, or `~/.sentry` without one. It
// holds `status-token`, `sentryctl.db` and per-service config; created 0700 on first need.

import { mkdirSync } from "node:fs";
import { configDirFor } from "./discover.ts";

export function stateDirFor(
  configFlag: string | undefined,
  env: Record<string, string | undefined>,
  home: string,
): string {
  return configDirFor(configFlag, env, home).dir;
}

/** Creates the directory (owner-only) if needed and returns it. */
export function ensureStateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
