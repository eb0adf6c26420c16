// The ordered steps of the initializer chain (Sentry's `configure()` + `initialize_app()`).
// Each step is small and named; `chain.ts` decides how far to run.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { configError } from "../errors.ts";
import { defaultSettings } from "../settings/defaults.ts";
import { discoverConfig } from "../settings/discover.ts";
import { overlaySettings, readSettingsFile } from "../settings/settings-file.ts";
import { parseYamlMapping } from "../settings/yaml-file.ts";
import type { ChainInput } from "./chain.ts";
import type { ConfigState } from "./context.ts";

export type StepName = "discover" | "load-settings" | "bootstrap-options";

export interface ChainStep {
  name: StepName;
  run(state: ConfigState, input: ChainInput): void | Promise<void>;
}

export function warn(state: ConfigState, input: ChainInput, message: string): void {
  state.warnings.push(message);
  input.inputs.stderr.write(`${message}\n`);
}

const discover: ChainStep = {
  name: "discover",
  run(state, input) {
    const { env, home } = input.inputs;
    state.location = discoverConfig(input.flags.config, env, home);
    if (state.location?.unreadPyPath) {
      warn(
        state,
        input,
        `warning: ${state.location.unreadPyPath} is not read (sentryctl reads sentry.conf.ts or sentry.conf.yml)`,
      );
    }
  },
};

const loadSettings: ChainStep = {
  name: "load-settings",
  async run(state, input) {
    const defaults = defaultSettings(input.inputs.env);
    const location = state.location;
    let settings = defaults;
    if (location?.settingsPath) {
      settings = overlaySettings(defaults, await readSettingsFile(location.settingsPath, defaults));
    }
    state.settings = settings;
    state.fileOptions = location?.hasOptionsFile ? readOptionsFile(location.optionsPath) : {};
  },
};

function readOptionsFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw configError(`${path}: cannot read (${(err as Error).message})`);
  }
  return parseYamlMapping(basename(path), text);
}

/** `config.yml` wins over options given in the settings file's SENTRY_OPTIONS. */
const bootstrapOptions: ChainStep = {
  name: "bootstrap-options",
  run(state) {
    const fromSettings = (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
    state.settings.SENTRY_OPTIONS = { ...fromSettings, ...state.fileOptions };
  },
};

export const CHAIN_STEPS: readonly ChainStep[] = [discover, loadSettings, bootstrapOptions];
