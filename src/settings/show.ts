// `sentryctl config show [--origin] [--json]`: every effective option and setting, with where it
// came from, secrets redacted. Text for people, one JSON document for scripts.

import { type ConfigState, sentryOptions } from "./state.ts";
import { FLAG_STOREONLY, getOption, OPTIONS } from "../options/index.ts";
import { DEFAULT_ORIGIN, formatOrigin, type Origin } from "./origins.ts";
import { redactOption, redactSetting } from "./redact.ts";

export interface Entry {
  key: string;
  value: unknown;
  origin: Origin;
}

export interface ConfigView {
  configDir?: string;
  configDirSource?: string;
  files: string[];
  options: Entry[];
  settings: Entry[];
}

/** Settings shown as options instead. */
const HIDDEN_SETTINGS = new Set(["SENTRY_OPTIONS", "SENTRY_DEFAULT_OPTIONS"]);

export function describeConfig(
  state: ConfigState,
  env: Record<string, string | undefined>,
): ConfigView {
  const configured = sentryOptions(state);
  const keys = OPTIONS.all().filter((d) => !(d.flags & FLAG_STOREONLY)).map((d) => d.key);
  for (const key of Object.keys(configured)) if (!keys.includes(key)) keys.push(key);
  const options = keys.map((key) => ({
    key,
    value: redactOption(key, getOption(configured, key, env) ?? configured[key]),
    origin: state.origins.options.get(key) ?? DEFAULT_ORIGIN,
  }));
  const settings = Object.keys(state.settings)
    .filter((k) => !HIDDEN_SETTINGS.has(k))
    .sort()
    .map((key) => ({
      key,
      value: redactSetting(key, state.settings[key]),
      origin: state.origins.settings.get(key) ?? DEFAULT_ORIGIN,
    }));
  const location = state.location;
  const files = location
    ? [location.hasOptionsFile ? location.optionsPath : undefined, location.settingsPath]
      .filter((f): f is string => f !== undefined)
    : [];
  return { configDir: location?.dir, configDirSource: location?.source, files, options, settings };
}

const SOURCE_TEXT: Record<string, string> = {
  flag: "--config",
  env: "$SENTRY_CONF",
  default: "default",
};

function table(entries: Entry[], withOrigin: boolean): string[] {
  const keyWidth = Math.min(44, Math.max(...entries.map((e) => e.key.length)));
  const rows = entries.map((
    e,
  ) => [e.key, JSON.stringify(e.value) ?? "null", formatOrigin(e.origin)]);
  const valueWidth = Math.min(40, Math.max(...rows.map((r) => r[1]!.length)));
  return rows.map(([key, value, origin]) => {
    const left = `  ${key!.padEnd(keyWidth)}  ${value}`;
    return withOrigin ? `${left.padEnd(keyWidth + valueWidth + 4)}  ${origin}` : left;
  });
}

export function renderText(view: ConfigView, withOrigin: boolean): string {
  const head = view.configDir
    ? [
      `Config directory: ${view.configDir} (${SOURCE_TEXT[view.configDirSource ?? "default"]})`,
      ...view.files.map((f) => `  ${f}`),
    ]
    : ["Config directory: none (built-in defaults)"];
  return [
    ...head,
    "",
    "Options:",
    ...table(view.options, withOrigin),
    "",
    "Settings:",
    ...table(view.settings, withOrigin),
    "",
  ].join("\n");
}

export function renderJson(view: ConfigView, withOrigin: boolean): string {
  const section = (entries: Entry[]) =>
    Object.fromEntries(
      entries.map((e) => [e.key, withOrigin ? { value: e.value, origin: e.origin } : e.value]),
    );
  return JSON.stringify(
    {
      config_dir: view.configDir ?? null,
      config_dir_source: view.configDirSource ?? null,
      files: view.files,
      options: section(view.options),
      settings: section(view.settings),
    },
    null,
    2,
  ) + "\n";
}
