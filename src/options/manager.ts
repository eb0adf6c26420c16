// The options manager: lookup (with Sentry's legacy `sentry:` keys), `validate(warn=True)` with
// its exact texts, the defaults table (`SENTRY_DEFAULT_OPTIONS`) and `options.get`.

import { classRepr, type PyTypeName, pyTypeOf, reprString } from "../lib/python.ts";
import { defaultFor, FLAG_STOREONLY, legacyDef, type OptionDef, OPTIONS } from "./registry.ts";

export function lookupOption(key: string): OptionDef | undefined {
  return OPTIONS.get(key) ?? legacyDef(key);
}

/** A fatal `validate_option` failure: store-only key, or a value of the wrong type. */
export class OptionValidationError extends Error {
  override name = "OptionValidationError";
  constructor(readonly key: string, message: string) {
    super(message);
  }
}

export interface ValidateHooks {
  /** The Python type of the value as loaded (YAML can tell `1.0` from `1`; JS cannot). */
  typeOf?(key: string, value: unknown): PyTypeName;
  /** Receives `* Unknown config option found: 'key'` (Sentry writes it to stderr). */
  unknown(line: string): void;
}

/** `default_manager.validate(options, warn=True)`: unknown keys warn, the rest must type-check. */
export function validateOptions(options: Record<string, unknown>, hooks: ValidateHooks): void {
  for (const [key, value] of Object.entries(options)) {
    const def = lookupOption(key);
    if (!def) {
      hooks.unknown(`* Unknown config option found: ${reprString(key)}`);
      continue;
    }
    if (def.flags & FLAG_STOREONLY) {
      throw new OptionValidationError(
        key,
        `${reprString(key)} is not allowed to be loaded from config`,
      );
    }
    const type = hooks.typeOf?.(key, value) ?? pyTypeOf(value);
    if (!def.type.accepts(type)) {
      throw new OptionValidationError(
        key,
        `${reprString(key)}: got ${classRepr(type)}, expected ${def.type.name}`,
      );
    }
  }
}

/** `settings.SENTRY_DEFAULT_OPTIONS`: every registered option's default, in registration order. */
export function defaultOptions(env: Record<string, string | undefined>): Record<string, unknown> {
  return Object.fromEntries(OPTIONS.all().map((def) => [def.key, defaultFor(def, env)]));
}

/**
 * `options.get(key)` without a datastore: a store-only option is always its default; otherwise
 * the configured value (`SENTRY_OPTIONS`) wins over the default.
 */
export function getOption(
  options: Record<string, unknown>,
  key: string,
  env: Record<string, string | undefined>,
): unknown {
  const def = lookupOption(key);
  if (!def) return undefined;
  if (!(def.flags & FLAG_STOREONLY) && Object.hasOwn(options, key)) return options[key];
  return defaultFor(def, env);
}
