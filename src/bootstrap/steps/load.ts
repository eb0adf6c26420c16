// The first two steps: find the config directory, then load the settings file (overlaid on the
// built-in settings, types checked) and `config.yml` (positions and Python types kept). Docker-
// only commands stop here.

import { readBoundedText } from "../../settings/read-bounded.ts";
import { defaultSettings, ENV_DEFAULTS, ENV_OVERRIDES } from "../../settings/defaults.ts";
import { discoverConfig } from "../../settings/discover.ts";
import { DEFAULT_ORIGIN } from "../../settings/origins.ts";
import { overlaySettings, readSettingsFile } from "../../settings/settings-file.ts";
import { loadYamlMapping } from "../../settings/yaml-file.ts";
import type { ChainStep } from "../steps.ts";
import { reporter } from "../report.ts";

export const discover: ChainStep = {
  name: "discover",
  run(state, input) {
    const { env, home } = input.inputs;
    state.location = discoverConfig(input.flags.config, env, home);
    if (state.location?.unreadPyPath) {
      reporter(state, input).line(
        `warning: ${state.location.unreadPyPath} is not read (sentryctl reads sentry.conf.ts or sentry.conf.yml)`,
      );
    }
  },
};

export const loadSettings: ChainStep = {
  name: "load-settings",
  async run(state, input) {
    const env = input.inputs.env;
    const defaults = defaultSettings(env);
    for (const key of Object.keys(defaults)) {
      const name = ENV_DEFAULTS[key];
      state.origins.settings.set(
        key,
        name && env[name] !== undefined ? { kind: "env", name } : DEFAULT_ORIGIN,
      );
    }
    let settings = defaults;
    const location = state.location;
    if (location?.settingsPath) {
      const loaded = await readSettingsFile(location.settingsPath, defaults);
      settings = overlaySettings(defaults, loaded.overrides);
      for (const key of Object.keys(loaded.overrides)) {
        const at = loaded.positions?.get(key);
        const origin = { kind: "file" as const, path: loaded.path, line: at?.line, col: at?.col };
        const extraOf = key.startsWith("EXTRA_") ? key.slice(6) : undefined;
        if (extraOf && Array.isArray(defaults[extraOf])) {
          state.origins.settings.set(extraOf, { ...origin, via: key });
        } else if (Object.hasOwn(settings, key)) {
          state.origins.settings.set(key, origin);
        }
      }
    }
    for (const [name, parse] of Object.entries(ENV_OVERRIDES)) {
      const value = env[name];
      if (value === undefined) continue;
      settings[name] = parse(value);
      state.origins.settings.set(name, { kind: "env", name });
    }
    state.settings = settings;
    if (location?.hasOptionsFile) readOptionsFile(state, location.optionsPath);
  },
};

function readOptionsFile(state: Parameters<ChainStep["run"]>[0], path: string): void {
  const text = readBoundedText(path);
  const mapping = loadYamlMapping(path, text, "1.1");
  state.fileOptions = mapping.values;
  state.optionsFile = { path, text, positions: mapping.positions, types: mapping.types };
}
