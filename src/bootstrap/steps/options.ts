// Steps 3–5: the single-organization remap, `bootstrap_options` (with the ephemeral secret key
// when there is no `config.yml`), and logging. `config get` stops after logging.

import { pyTruthy } from "../../lib/python.ts";
import { configureLogging } from "../../logging/configure.ts";
import { defaultOptions, getOption, OPTIONS } from "../../options/index.ts";
import { bootstrapOptions, SINGLE_ORG_MAPPER } from "../../settings/bootstrap-options.ts";
import { DEFAULT_ORIGIN, type Origin } from "../../settings/origins.ts";
import { generateSecretKey } from "../../settings/secret-key.ts";
import { sentryOptions } from "../../settings/state.ts";
import { reporter } from "../report.ts";
import type { ChainStep } from "../types.ts";

export const singleOrgRemap: ChainStep = {
  name: "single-org-remap",
  run(state) {
    if (pyTruthy(state.settings.SENTRY_SINGLE_ORGANIZATION)) {
      state.optionsMapper = { ...state.optionsMapper, ...SINGLE_ORG_MAPPER };
    }
  },
};

export const bootstrap: ChainStep = {
  name: "bootstrap-options",
  run(state, input) {
    const env = input.inputs.env;
    const { origins, settings } = state;
    const report = reporter(state, input);
    const settingsOrigin = (name: string) => origins.settings.get(name);

    // Options the settings file put in SENTRY_OPTIONS itself.
    const fromSettings = (settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(fromSettings)) {
      const o = settingsOrigin("SENTRY_OPTIONS");
      if (o?.kind === "file") origins.options.set(key, { ...o, via: "SENTRY_OPTIONS" });
    }
    const { fromLegacy, promoted } = bootstrapOptions(
      settings,
      state.fileOptions,
      state.optionsMapper,
      defaultOptions(env),
      (setting, key) =>
        report.deprecated(
          { setting, replacement: `SENTRY_OPTIONS['${key}']` },
          settingsOrigin(setting),
        ),
    );
    const file = state.optionsFile;
    for (const key of Object.keys(state.fileOptions)) {
      const at = file.positions.get(key);
      origins.options.set(key, { kind: "file", path: file.path!, line: at?.line, col: at?.col });
    }
    for (const [key, setting] of fromLegacy) {
      const o = settingsOrigin(setting);
      origins.options.set(key, o?.kind === "file" ? { ...o, via: setting } : (o ?? DEFAULT_ORIGIN));
    }
    for (const def of OPTIONS.all()) {
      if (origins.options.has(def.key)) continue;
      const fromEnv = def.env !== undefined && env[def.env] !== undefined;
      origins.options.set(def.key, fromEnv ? { kind: "env", name: def.env! } : DEFAULT_ORIGIN);
    }
    ensureSecretKey(state, promoted);
    for (const [setting, key] of promoted) {
      origins.settings.set(setting, { kind: "derived", from: `option ${key}` });
    }
  },
};

/**
 * Without a `config.yml` there is nowhere to keep a secret key: an ephemeral one is used for this
 * process (SPEC §2), so no secret-key error is raised. With the file, the fatal check applies.
 */
function ensureSecretKey(state: Parameters<ChainStep["run"]>[0], promoted: Map<string, string>) {
  if (state.location?.hasOptionsFile) return;
  const options = sentryOptions(state);
  if (pyTruthy(options["system.secret-key"])) return;
  const key = generateSecretKey();
  options["system.secret-key"] = key;
  const setting = state.optionsMapper["system.secret-key"];
  if (setting) {
    state.settings[setting] = key;
    promoted.set(setting, "system.secret-key");
  }
  state.origins.options.set("system.secret-key", { kind: "ephemeral" } satisfies Origin);
}

export const logging: ChainStep = {
  name: "logging",
  run(state, input) {
    const env = input.inputs.env;
    const options = sentryOptions(state);
    const setup = configureLogging({
      env,
      formatOption: getOption(options, "system.logging-format", env),
      verbose: input.flags.verbose,
      write: (line) => input.inputs.stderr.write(line),
    });
    if (setup.formatFromEnv !== undefined) {
      options["system.logging-format"] = setup.formatFromEnv;
      state.origins.options.set("system.logging-format", {
        kind: "env",
        name: "SENTRY_LOG_FORMAT",
      });
    }
    if (setup.unknownFormat !== undefined) {
      reporter(state, input).line(
        `warning: unknown logging format '${setup.unknownFormat}' (expected human or machine); using human`,
      );
    }
    state.logger = setup.logger;
  },
};
