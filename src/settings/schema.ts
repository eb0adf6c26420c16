// Types of the known settings. Sentry never checks them (a wrong type fails somewhere later);
// sentryctl checks every known setting a settings file sets, right after loading, so a
// `DEBUG: "yes"` is one clear error naming the file, line and column (exit 3).

import { defaultSettings, type Settings } from "./defaults.ts";

export type Kind = "boolean" | "string" | "integer" | "number" | "list" | "mapping";

export interface SettingType {
  kinds: readonly Kind[];
  nullable?: boolean;
  /** Allowed values, for enumerations such as SILO_MODE. */
  values?: readonly string[];
}

/** Settings whose type is not simply the type of their default. */
const EXPLICIT: Readonly<Record<string, SettingType>> = {
  SESSION_COOKIE_DOMAIN: { kinds: ["string"], nullable: true },
  SENTRY_REGION: { kinds: ["string"], nullable: true },
  SILO_MODE: { kinds: ["string"], nullable: true, values: ["MONOLITH", "CONTROL", "REGION"] },
  SENTRY_REGION_CONFIG: { kinds: ["list", "mapping", "string"], nullable: true },
  SENTRY_METRICS_SAMPLE_RATE: { kinds: ["number"] },
  PG_VERSION: { kinds: ["string", "integer"] },
  SENTRY_RELAY_PORT: { kinds: ["integer"] },
};

function kindOf(value: unknown): Kind | "null" | "other" {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object" && !(value instanceof Date)) return "mapping";
  return "other";
}

let inferred: Map<string, SettingType> | undefined;

/** The type of a known setting, or undefined for settings sentryctl does not know. */
export function settingType(name: string): SettingType | undefined {
  if (EXPLICIT[name]) return EXPLICIT[name];
  inferred ??= new Map(
    Object.entries(defaultSettings({})).flatMap(([key, value]) => {
      const kind = kindOf(value);
      return kind === "null" || kind === "other" ? [] : [[key, { kinds: [kind] }] as const];
    }),
  );
  return inferred.get(name);
}

const ARTICLE: Record<Kind, string> = {
  boolean: "a boolean",
  string: "a string",
  integer: "an integer",
  number: "a number",
  list: "a list",
  mapping: "a mapping",
};

export function describeValue(value: unknown): string {
  const kind = kindOf(value);
  if (kind === "null") return "null";
  if (kind === "other") return value instanceof Date ? "a date" : `a ${typeof value}`;
  const shown = kind === "list" || kind === "mapping" ? "" : ` (${JSON.stringify(value)})`;
  return (kind === "integer" ? "an integer" : ARTICLE[kind]) + shown;
}

function accepts(type: SettingType, value: unknown): boolean {
  const kind = kindOf(value);
  if (kind === "null") return type.nullable === true;
  if (kind === "other") return false;
  const ok = type.kinds.includes(kind) || (kind === "integer" && type.kinds.includes("number"));
  return ok && (!type.values || type.values.includes(value as string));
}

/** Returns "expected …, got …" for a known setting with a value of the wrong type, else undefined. */
export function checkSetting(name: string, value: unknown): string | undefined {
  const type = settingType(name);
  if (!type || accepts(type, value)) return undefined;
  const expected = type.values
    ? `one of ${type.values.map((v) => JSON.stringify(v)).join(", ")}`
    : type.kinds.map((k) => ARTICLE[k]).join(" or ");
  return `${name}: expected ${expected}${type.nullable ? " or null" : ""}, got ${
    describeValue(value)
  }`;
}

/** The first wrong-typed known setting among `overrides`, as [name, message]. */
export function firstBadSetting(overrides: Settings): [string, string] | undefined {
  for (const [name, value] of Object.entries(overrides)) {
    const problem = checkSetting(name, value);
    if (problem) return [name, problem];
  }
  return undefined;
}
