// What `config set` needs: a command-line value converted to an option's type, and the file to
// edit (`config get`'s chain-driven lookup is bootstrap/effective-value.ts).

import { join } from "node:path";
import { suggest } from "../lib/suggest.ts";
import { configError, usageError } from "../errors.ts";
import { reprString } from "../lib/python.ts";
import { FLAG_STOREONLY, InvalidTypeError, lookupOption, OPTIONS } from "../options/index.ts";
import { configDirFor, MISSING_CONFIG_MESSAGE, OPTIONS_FILE } from "./discover.ts";
import { existsSync, statSync } from "node:fs";

export function unknownKey(kind: string, key: string, candidates: readonly string[]) {
  const guess = suggest(key, candidates);
  return usageError(`unknown ${kind} '${key}'`, {
    hint: guess ? `did you mean '${guess}'?` : "see 'sentryctl config show' for the known keys",
  });
}

/** Sentry's `opt.type(value)` for `config set`. */
export function coerceOption(key: string, text: string): { value: unknown; float: boolean } {
  const def = lookupOption(key);
  if (!def) throw unknownKey("option", key, OPTIONS.keys());
  if (def.flags & FLAG_STOREONLY) {
    throw configError(`${reprString(key)} is not allowed to be loaded from config`);
  }
  try {
    return { value: def.type.coerce(text), float: def.type.name === "float" };
  } catch (err) {
    if (err instanceof InvalidTypeError) {
      throw usageError(err.message, { hint: `${key} takes a ${def.type.name}` });
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
