// What `config get` and `config set` need: the effective value of a key (an option, or an
// UPPERCASE setting), a command-line value converted to an option's type, and the file to edit.

import { join } from "node:path";
import type { InitializerChain } from "../bootstrap/chain.ts";
import { sentryOptions } from "../bootstrap/context.ts";
import { suggest } from "../cli/suggest.ts";
import { configError, usageError } from "../errors.ts";
import { reprString } from "../lib/python.ts";
import {
  FLAG_STOREONLY,
  getOption,
  InvalidTypeError,
  lookupOption,
  OPTIONS,
} from "../options/index.ts";
import { configDirFor, MISSING_CONFIG_MESSAGE, OPTIONS_FILE } from "./discover.ts";
import { existsSync, statSync } from "node:fs";

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

function unknown(kind: string, key: string, candidates: readonly string[]) {
  const guess = suggest(key, candidates);
  return usageError(`unknown ${kind} '${key}'`, {
    hint: guess ? `did you mean '${guess}'?` : "see 'sentryctl config show' for the known keys",
  });
}

/**
 * Options need the chain through `apply_legacy_settings` (SENTRY_ADMIN_EMAIL, SENTRY_FILESTORE…
 * become options there), so `config get` agrees with `config show`; settings can be derived
 * late, so they need the whole chain.
 */
export async function effectiveValue(
  chain: InitializerChain,
  key: string,
  env: Record<string, string | undefined>,
): Promise<unknown> {
  if (SETTING_NAME.test(key)) {
    const state = await chain.configure();
    if (!Object.hasOwn(state.settings, key)) {
      throw unknown("setting", key, Object.keys(state.settings));
    }
    return state.settings[key];
  }
  const state = await chain.throughLevel("options");
  const options = sentryOptions(state);
  if (!lookupOption(key) && !Object.hasOwn(options, key)) {
    throw unknown("option", key, OPTIONS.keys());
  }
  return getOption(options, key, env) ?? options[key];
}

/** Sentry's `opt.type(value)` for `config set`. */
export function coerceOption(key: string, text: string): { value: unknown; float: boolean } {
  const def = lookupOption(key);
  if (!def) throw unknown("option", key, OPTIONS.keys());
  if (def.flags & FLAG_STOREONLY) {
    throw configError(`${reprString(key)} is not allowed to be loaded from config`);
  }
  try {
    return { value: def.type.coerce(text), float: def.type.name === "float" };
  } catch (err) {
    // Sentry's `InvalidTypeError` ends `sentry config set` as a configuration problem: exit 3,
    // naming the type (`'[1,' is not a valid sequence`).
    if (err instanceof InvalidTypeError) {
      throw configError(err.message, { hint: `${key} takes a ${def.type.name}` });
    }
    throw err;
  }
}

/** `config.yml` in the config directory, which must exist (`sentryctl init` creates it). */
export function optionsFileFor(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  home: string,
): string {
  const { dir } = configDirFor(flag, env, home);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw configError(MISSING_CONFIG_MESSAGE, { hint: `looked for ${dir}` });
  }
  return join(dir, OPTIONS_FILE);
}
