// `config get`: the effective value of a key, an option (the chain through legacy
// settings) or an UPPERCASE setting (the whole chain, since settings can be derived late).

import { getOption, lookupOption, OPTIONS } from "../options/index.ts";
import { unknownKey } from "../settings/lookup.ts";
import type { InitializerChain } from "./chain.ts";
import { sentryOptions } from "../settings/state.ts";

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

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
      throw unknownKey("setting", key, Object.keys(state.settings));
    }
    return state.settings[key];
  }
  const state = await chain.throughLevel("options");
  const options = sentryOptions(state);
  if (!lookupOption(key) && !Object.hasOwn(options, key)) {
    throw unknownKey("option", key, OPTIONS.keys());
  }
  return getOption(options, key, env) ?? options[key];
}
