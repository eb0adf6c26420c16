// Loads the settings file (`sentry.conf.ts` or `sentry.conf.yml`) and overlays it on the
// defaults with Sentry's importer rules: only UPPERCASE names count, and `EXTRA_<NAME>` appends
// to a list setting instead of replacing it.

import { statSync } from "node:fs";
import { configError } from "../errors.ts";
import { checkConfigSize, readBoundedText } from "../formats/read-bounded.ts";
import { loadTsSettingsModule } from "../formats/ts-loader.ts";
import { staticSettingsModule } from "../formats/ts-literal.ts";
import type { Settings } from "./defaults.ts";
import { firstBadSetting } from "./schema.ts";
import { loadYamlMapping, positionedMessage } from "../formats/yaml-file.ts";
import type { Position } from "../formats/yaml-mapping.ts";

const UPPERCASE_NAME = /^[A-Z][A-Z0-9_]*$/;

export interface LoadedSettings {
  path: string;
  /** The names and values the file declares (not yet merged). */
  overrides: Settings;
  /** Where each top-level value is, for YAML settings files. */
  positions?: Map<string, Position>;
  /** The YAML text, for errors that show the line. */
  text?: string;
}

/** Reads the overrides a settings file declares and checks the types of the known settings. */
export async function readSettingsFile(path: string, defaults: Settings): Promise<LoadedSettings> {
  if (path.endsWith(".yml") || path.endsWith(".yaml")) {
    const text = readText(path);
    const { values, positions } = await loadYamlMapping(path, text);
    checkTypes(path, values, positions, text);
    return { path, overrides: values, positions, text };
  }
  const overrides = await importTsSettings(path, defaults);
  checkTypes(path, overrides);
  return { path, overrides };
}

/** Types of the known settings in what a settings file declares (no positions). */
export function checkSettingTypes(path: string, values: Settings): void {
  checkTypes(path, values);
}

function checkTypes(
  path: string,
  values: Settings,
  positions?: Map<string, Position>,
  text?: string,
) {
  const bad = firstBadSetting(
    Object.fromEntries(Object.entries(values).filter(([k]) => UPPERCASE_NAME.test(k))),
  );
  if (!bad) return;
  const [name, problem] = bad;
  const at = positions?.get(name);
  if (at && text !== undefined) {
    const { message, details } = positionedMessage(path, text, at.line, at.col, problem);
    throw configError(message, { details, hint: `fix ${name} in the settings file` });
  }
  throw configError(`${path}: ${problem}`, { hint: `fix ${name} in the settings file` });
}

function readText(path: string): string {
  return readBoundedText(path);
}

async function importTsSettings(path: string, defaults: Settings): Promise<Settings> {
  checkConfigSize(path, statSync(path).size);
  // Data only (what `init` writes): read as data, no code to run and no worker to start.
  const data = staticSettingsModule(readText(path));
  if (data) return data as Settings;
  // A copy of the defaults goes to a function export, which returns its overrides.
  const result = await loadTsSettingsModule(path, structuredClone(defaults));
  let value: unknown;
  switch (result.kind) {
    case "timeout":
      throw configError(
        `${path} is still loading after ${result.ms / 1000} s`,
        {
          hint:
            "the settings module never finished: look for an endless loop or a promise that never settles",
        },
      );
    case "exited":
      throw configError(
        `${path} called process.exit${
          result.code === undefined ? "" : `(${result.code})`
        } while loading`,
        { hint: "a settings module must not end the process; remove the process.exit call" },
      );
    case "import-error":
      throw loadError(path, thrownLike(result));
    case "call-error":
      throw configError(`${path}: ${describeThrown(thrownLike(result))}`, {
        hint: "the default export threw while computing settings",
      });
    case "value":
      value = result.value;
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw configError(`${path}: the default export must be an object or a function returning one`, {
      hint: "write `export default { DEBUG: true }`",
    });
  }
  return value as Settings;
}

/** An Error rebuilt from what the worker reported (it cannot send the Error itself). */
function thrownLike(
  r: { name: string; message: string; position?: { line?: number; column?: number } },
): Error {
  const err = new Error(r.message) as Error & { position?: unknown };
  err.name = r.name;
  if (r.position) err.position = r.position;
  return err;
}

/** Sentry's importer wording: `<ExcType>: <message>`, or just the type for an empty message. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) {
    const message = err.message.split("\n")[0] ?? "";
    return message ? `${err.name}: ${message}` : err.name;
  }
  return `thrown value: ${String(err)}`;
}

/** A module that fails to load; Bun's syntax errors carry a position (1-based line and column). */
function loadError(path: string, err: unknown) {
  const hint = "the settings module failed to load; fix the error above";
  const position = (err as { position?: { line?: number; column?: number } } | null)?.position;
  if (position?.line && err instanceof Error) {
    const text = readText(path);
    const { message, details } = positionedMessage(
      path,
      text,
      position.line,
      position.column ?? 1,
      `SyntaxError: ${err.message}`,
    );
    return configError(message, { details, hint });
  }
  return configError(`${path}: ${describeThrown(err)}`, { hint });
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
