// The first two steps: find the config directory, then load the settings file (overlaid on the
// built-in settings, types checked) and `config.yml` (positions and Python types kept). Docker-
// only commands stop here.

import { readBoundedText } from "../../formats/read-bounded.ts";
import {
  defaultSettings,
  ENV_DEFAULTS,
  ENV_OVERRIDES,
  type Settings,
} from "../../settings/defaults.ts";
import { discoverConfig } from "../../settings/discover.ts";
import { DEFAULT_ORIGIN } from "../../settings/origins.ts";
import {
  checkSettingTypes,
  type LoadedSettings,
  overlaySettings,
  readSettingsFile,
} from "../../settings/settings-file.ts";
import { deriveConfigDirs, stateDirFor } from "../../settings/state-dir.ts";
import { loadYamlMapping, positionedMessage } from "../../formats/yaml-file.ts";
import { devservicesProblem } from "../../services/validate-spec.ts";
import { configError } from "../../errors.ts";
import type { ChainStep } from "../types.ts";
import { reporter } from "../report.ts";

export const discover: ChainStep = {
  name: "discover",
  run(state, input) {
    const { env, home } = input.inputs;
    state.location = discoverConfig(input.flags.config, env, home);
    const { settingsPath, shadowedSettingsPaths = [] } = state.location ?? {};
    if (settingsPath && shadowedSettingsPaths.length > 0) {
      reporter(state, input).line(
        `warning: ${shadowedSettingsPaths.join(", ")} ${
          shadowedSettingsPaths.length > 1 ? "are" : "is"
        } not read: ${settingsPath} takes precedence (sentry.conf.ts > sentry.conf.yml > sentry.conf.py)`,
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
    const loaded = location?.settingsPath
      ? location.settingsPath.endsWith(".py")
        ? await readPySettings(state, input, location.settingsPath, defaults)
        : await readSettingsFile(location.settingsPath, defaults)
      : undefined;
    if (loaded) {
      checkDevservices(loaded);
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
    for (
      const [name, from] of deriveConfigDirs(settings, stateDirFor(location, input.inputs.home))
    ) {
      state.origins.settings.set(name, { kind: "derived", from });
    }
    state.settings = settings;
    if (location?.hasOptionsFile) await readOptionsFile(state, location.optionsPath);
  },
};

/**
 * The service specs a settings file gives (SENTRY_DEVSERVICES), checked as they are read: a
 * port, a name or an environment key Docker would refuse or change is an error naming the file
 * (and for YAML the line), the key and why (exit 3), before any command plans a container.
 */
function checkDevservices(loaded: LoadedSettings): void {
  const problem = devservicesProblem(loaded.overrides.SENTRY_DEVSERVICES);
  if (!problem) return;
  const hint = "fix SENTRY_DEVSERVICES in the settings file";
  const at = loaded.positions?.get("SENTRY_DEVSERVICES");
  const text = loaded.text;
  if (at && text !== undefined) {
    const { message, details } = positionedMessage(
      loaded.path,
      text,
      at.line,
      at.col,
      `${problem.key}: ${problem.why}`,
    );
    throw configError(message, { details, hint });
  }
  throw configError(`${loaded.path}: ${problem.key}: ${problem.why}`, { hint });
}

/**
 * `sentry.conf.py`: evaluated by python3 against the defaults (SPEC §2). Without python3 it is
 * reported as not read, with a hint, and the defaults apply. Names that are not plain data are
 * reported and skipped; what the file printed is passed on to stderr.
 */
async function readPySettings(
  state: Parameters<ChainStep["run"]>[0],
  input: Parameters<ChainStep["run"]>[1],
  path: string,
  defaults: Settings,
): Promise<LoadedSettings | undefined> {
  const { evaluatePySettings } = await import("../../settings/python/evaluate.ts");
  const { BUILTIN_CATALOG } = await import("../../services/catalog.ts");
  const env = input.inputs.env;
  const devservices = Object.fromEntries(
    Object.entries(BUILTIN_CATALOG).map(([name, entry]) => [name, entry.build(defaults, {}, env)]),
  );
  const report = reporter(state, input);
  const result = await evaluatePySettings({ path, defaults, devservices, env });
  if (!result) {
    const python = env.SENTRYCTL_PYTHON ?? "python3";
    report.line(
      `warning: ${path} is not read: ${python} was not found (hint: install python3, set SENTRYCTL_PYTHON, or move the settings to sentry.conf.ts)`,
    );
    return undefined;
  }
  if (result.printed) input.inputs.stderr.write(result.printed);
  for (const { name, reason } of result.skipped) {
    report.line(`warning: ${path}: ${name} is not plain data (${reason}); it is not applied`);
  }
  checkSettingTypes(path, result.overrides);
  return { path, overrides: result.overrides };
}

async function readOptionsFile(
  state: Parameters<ChainStep["run"]>[0],
  path: string,
): Promise<void> {
  const text = readBoundedText(path);
  const mapping = await loadYamlMapping(path, text, "1.1");
  state.fileOptions = mapping.values;
  state.optionsFile = { path, text, positions: mapping.positions, types: mapping.types };
}
