// Config directory discovery: `--config DIR` > `$SENTRY_CONF` > `~/.sentry` (SPEC §2).
// Pure apart from `existsSync`; the environment and home directory are parameters.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { configError } from "../errors.ts";

export type ConfigDirSource = "flag" | "env" | "default";

export interface ConfigLocation {
  dir: string;
  source: ConfigDirSource;
  /** `config.yml`: options. */
  optionsPath: string;
  /** `sentry.conf.ts` or `sentry.conf.yml`, whichever exists (ts wins); undefined when neither. */
  settingsPath?: string;
  /** A `sentry.conf.py` that sits there without a TS/YAML twin: reported, never read. */
  unreadPyPath?: string;
  hasOptionsFile: boolean;
}

export const OPTIONS_FILE = "config.yml";
export const SETTINGS_FILES = ["sentry.conf.ts", "sentry.conf.yml"] as const;

export const MISSING_CONFIG_MESSAGE =
  "Configuration file does not exist. Use 'sentryctl init' to initialize the file.";

export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/** Where the config directory is, without checking that it exists. */
export function configDirFor(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  home: string,
): { dir: string; source: ConfigDirSource } {
  if (flag) return { dir: expandHome(flag, home), source: "flag" };
  if (env.SENTRY_CONF) return { dir: expandHome(env.SENTRY_CONF, home), source: "env" };
  return { dir: join(home, ".sentry"), source: "default" };
}

/**
 * Finds the config files. Returns undefined when the default directory holds no config
 * (the embedded defaults then apply); an explicitly named directory without either file is
 * a configuration error, as in Sentry.
 */
export function discoverConfig(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  home: string,
): ConfigLocation | undefined {
  const { dir, source } = configDirFor(flag, env, home);
  const isDir = existsSync(dir) && statSync(dir).isDirectory();
  const optionsPath = join(dir, OPTIONS_FILE);
  const hasOptionsFile = isDir && existsSync(optionsPath);
  const settingsPath = isDir
    ? SETTINGS_FILES.map((name) => join(dir, name)).find((p) => existsSync(p))
    : undefined;
  const pyPath = join(dir, "sentry.conf.py");
  const unreadPyPath = isDir && !settingsPath && existsSync(pyPath) ? pyPath : undefined;

  if (!hasOptionsFile && !settingsPath) {
    if (source === "default") return undefined;
    throw configError(MISSING_CONFIG_MESSAGE, {
      hint: `looked in ${dir} (from ${source === "flag" ? "--config" : "$SENTRY_CONF"})` +
        (unreadPyPath ? `; ${unreadPyPath} is Python and is not read` : ""),
    });
  }
  return { dir, source, optionsPath, settingsPath, unreadPyPath, hasOptionsFile };
}
