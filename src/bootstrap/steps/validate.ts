// Steps 6–10: derived defaults, `validate_regions`, `apply_legacy_settings` (with the fatal
// secret-key check), `validate_options` and `validate_snuba`. `attach` stops after these.

import { configError } from "../../errors.ts";
import { pyTypeOf } from "../../lib/python.ts";
import { getOption, OptionValidationError, validateOptions } from "../../options/index.ts";
import { applyDerivedDefaults } from "../../settings/derived.ts";
import { applyLegacySettings } from "../../settings/legacy.ts";
import { originPrefix } from "../../settings/origins.ts";
import { checkSnuba } from "../../settings/validators/snuba.ts";
import { validateRegions } from "../../settings/validators/regions.ts";
import { positionedMessage } from "../../formats/yaml-file.ts";
import { sentryOptions } from "../../settings/state.ts";
import { reporter } from "../report.ts";
import type { ChainStep } from "../types.ts";

export const derivedDefaults: ChainStep = {
  name: "derived-defaults",
  run(state, input) {
    const { derived, warnings } = applyDerivedDefaults(state.settings);
    const report = reporter(state, input);
    for (const text of warnings) report.userWarning(text);
    for (const [name, from] of derived) state.origins.settings.set(name, { kind: "derived", from });
  },
};

export const regions: ChainStep = {
  name: "validate-regions",
  run(state, input) {
    const env = input.inputs.env;
    validateRegions(state.settings, getOption(sentryOptions(state), "system.url-prefix", env));
  },
};

export const legacySettings: ChainStep = {
  name: "legacy-settings",
  run(state, input) {
    const report = reporter(state, input);
    const where = state.location?.optionsPath;
    const { copied, derived } = applyLegacySettings(state.settings, input.inputs.env, {
      deprecated: (w) => report.deprecated(w, state.origins.settings.get(w.setting)),
      bigError: (message) => report.bigError(message),
      secretKeyHint: where
        ? `set system.secret-key in ${where} ('sentryctl config set system.secret-key "$(sentryctl config generate-secret-key)"')`
        : "run 'sentryctl init' to create a config directory with a secret key",
    });
    for (const [key, setting] of copied) {
      const o = state.origins.settings.get(setting);
      state.origins.options.set(
        key,
        o?.kind === "file" ? { ...o, via: setting } : { kind: "derived", from: setting },
      );
    }
    for (const [name, from] of derived) state.origins.settings.set(name, { kind: "derived", from });
  },
};

export const options: ChainStep = {
  name: "validate-options",
  run(state, input) {
    const report = reporter(state, input);
    const file = state.optionsFile;
    try {
      validateOptions(sentryOptions(state), {
        typeOf: (key, value) => {
          const o = state.origins.options.get(key);
          const fromFile = o?.kind === "file" && o.path === file.path && !o.via;
          return (fromFile ? file.types.get(key) : undefined) ?? pyTypeOf(value);
        },
        unknown: (line) => report.line(line),
      });
    } catch (err) {
      if (!(err instanceof OptionValidationError)) throw err;
      const origin = state.origins.options.get(err.key);
      const hint = `fix ${err.key} (see 'sentryctl config show --origin')`;
      if (
        origin?.kind === "file" && origin.line !== undefined && file.text !== undefined &&
        origin.path === file.path
      ) {
        const { message, details } = positionedMessage(
          origin.path,
          file.text,
          origin.line,
          origin.col ?? 1,
          err.message,
        );
        throw configError(message, { details, hint });
      }
      throw configError(`${originPrefix(origin)}${err.message}`, { hint });
    }
  },
};

export const snuba: ChainStep = {
  name: "validate-snuba",
  run(state, input) {
    const { box, fatal } = checkSnuba(state.settings);
    if (box) reporter(state, input).bigError(box);
    if (fatal) {
      throw configError(fatal, {
        hint:
          "set SENTRY_EVENTSTREAM (and SENTRY_SEARCH/TAGSTORE/TSDB) to the Snuba backends, or DEBUG to false",
      });
    }
  },
};
