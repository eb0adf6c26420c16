// The state directory (SPEC §2): the resolved config directory, or `~/.sentry` without one. It
// holds `status-token`, `sentryctl.db` (created 0700 on first need) and `devservices/<service>/`,
// the config files relay, symbolicator, clickhouse and
// chartcuterie read. Sentry's settings name those directories (DEVSERVICES_CONFIG_DIR and the
// per-service RELAY_/SYMBOLICATOR_/CHARTCUTERIE_CONFIG_DIR); unset, they default to the state
// directory. Unlike Sentry (which computes them when server.py is imported), the per-service
// directories follow a DEVSERVICES_CONFIG_DIR set in the settings file.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Settings } from "./defaults.ts";
import type { ConfigLocation } from "./discover.ts";

/** Setting → the service whose config directory it names. */
export const SERVICE_CONFIG_DIR_SETTINGS: Readonly<Record<string, string>> = {
  RELAY_CONFIG_DIR: "relay",
  SYMBOLICATOR_CONFIG_DIR: "symbolicator",
  CHARTCUTERIE_CONFIG_DIR: "chartcuterie",
};

export function stateDirFor(location: ConfigLocation | undefined, home: string): string {
  return location?.dir ?? join(home, ".sentry");
}

/** Fills the unset directory settings; returns name → what it was derived from. */
export function deriveConfigDirs(settings: Settings, stateDir: string): Map<string, string> {
  const derived = new Map<string, string>();
  settings.SENTRYCTL_STATE_DIR = stateDir;
  derived.set("SENTRYCTL_STATE_DIR", "the config directory (or ~/.sentry)");
  if (!settings.DEVSERVICES_CONFIG_DIR) {
    settings.DEVSERVICES_CONFIG_DIR = join(stateDir, "devservices");
    derived.set("DEVSERVICES_CONFIG_DIR", "SENTRYCTL_STATE_DIR");
  }
  for (const [name, service] of Object.entries(SERVICE_CONFIG_DIR_SETTINGS)) {
    if (settings[name]) continue;
    settings[name] = join(String(settings.DEVSERVICES_CONFIG_DIR), service);
    derived.set(name, "DEVSERVICES_CONFIG_DIR");
  }
  return derived;
}

/** Creates the directory (owner-only) if needed and returns it. */
export function ensureStateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
