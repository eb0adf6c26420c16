// Loads the settings file (`sentry.conf.ts` or `sentry.conf.yml`) and overlays it on the
// defaults with Sentry's importer rules: only UPPERCASE names count, and `EXTRA_<NAME>` appends
// to a list setting instead of replacing it.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { configError } from "../errors.ts";
import type { Settings } from "./defaults.ts";
import { parseYamlMapping } from "./yaml-file.ts";

const UPPERCASE_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Reads the overrides a settings file declares (not yet merged). */
export async function readSettingsFile(path: string, defaults: Settings): Promise<Settings> {
  if (path.endsWith(".yml") || path.endsWith(".yaml")) {
    return parseYamlMapping(basename(path), readText(path));
  }
  return await importTsSettings(path, defaults);
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw configError(`Unable to load configuration file (${(err as Error).message})`, {
      hint: `check that ${path} is readable`,
    });
  }
}

async function importTsSettings(path: string, defaults: Settings): Promise<Settings> {
  const name = basename(path);
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (err) {
    throw configError(`${name}: ${describeThrown(err)}`, {
      hint: "the settings module failed to load; fix the error above",
    });
  }
  let value = mod.default;
  if (typeof value === "function") {
    try {
      // A function receives a copy of the defaults and returns its overrides.
      value = await (value as (d: Settings) => unknown)(structuredClone(defaults));
    } catch (err) {
      throw configError(`${name}: ${describeThrown(err)}`, {
        hint: "the default export threw while computing settings",
      });
    }
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw configError(`${name}: the default export must be an object or a function returning one`, {
      hint: "write `export default { DEBUG: true }`",
    });
  }
  return value as Settings;
}

/** Sentry's importer wording: `<ExcType>: <message>`, or just the type for an empty message. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message ? `${err.name}: ${err.message}` : err.name;
  return `thrown value: ${String(err)}`;
}

/** Overlays `overrides` on `base` with the importer's rules; returns a new object. */
export function overlaySettings(base: Settings, overrides: Settings): Settings {
  const merged: Settings = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (!UPPERCASE_NAME.test(key)) continue;
    const extraOf = key.startsWith("EXTRA_") ? key.slice("EXTRA_".length) : undefined;
    if (extraOf && Array.isArray(merged[extraOf])) {
      merged[extraOf] = [...(merged[extraOf] as unknown[]), ...toList(value)];
      continue;
    }
    merged[key] = value;
  }
  return merged;
}

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
