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
  /** The settings file that is read: the first of SETTINGS_FILES present; undefined when none. */
  settingsPath?: string;
  /** Other settings files present, which are not read (named in a warning). */
  shadowedSettingsPaths: string[];
  hasOptionsFile: boolean;
}

export const OPTIONS_FILE = "config.yml";
/** First found wins (SPEC §2); `sentry.conf.py` is evaluated with python3. */
export const SETTINGS_FILES = ["sentry.conf.ts", "sentry.conf.yml", "sentry.conf.py"] as const;

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
  const present = isDir
    ? SETTINGS_FILES.map((name) => join(dir, name)).filter((p) => existsSync(p))
    : [];
  const [settingsPath, ...shadowedSettingsPaths] = present;

  if (!hasOptionsFile && !settingsPath) {
    if (source === "default") return undefined;
    throw configError(MISSING_CONFIG_MESSAGE, {
      hint: `looked in ${dir} (from ${source === "flag" ? "--config" : "$SENTRY_CONF"})`,
    });
  }
  return { dir, source, optionsPath, settingsPath, shadowedSettingsPaths, hasOptionsFile };
}
