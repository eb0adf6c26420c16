// `validate_regions()`: parse SENTRY_REGION_CONFIG (JSON text, a list, or one region), resolve
// the monolith (and local) region pointers, then check every region's snowflake id fits its 12
// bits. Sentry's messages; any other parse failure is "Unable to parse region_config.".

import { configError } from "../../errors.ts";
import { pyRepr, pyTruthy, reprString } from "../../lib/python.ts";
import type { Settings } from "../defaults.ts";

export type RegionCategory = "MULTI_TENANT" | "SINGLE_TENANT";

export interface Region {
  name: string;
  snowflake_id: number;
  address: string;
  category: RegionCategory;
  api_token?: string | null;
  /** Since Sentry's 2024 region changes: a region hidden from region pickers (default true). */
  visible: boolean;
}

export const SNOWFLAKE_REGION_ID_LENGTH = 12;
/** Every field of Sentry's `Region` dataclass; the last two have defaults (None, True). */
const FIELDS = new Set(["name", "snowflake_id", "address", "category", "api_token", "visible"]);

/** Sentry's RegionConfigurationError: its message is shown as is. */
class RegionConfigurationError extends Error {}

function parseRegion(value: unknown): Region {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("not a mapping");
  }
  const v = value as Record<string, unknown>;
  const category = v.category;
  if (category !== "MULTI_TENANT" && category !== "SINGLE_TENANT") {
    throw new TypeError("bad category");
  }
  if (Object.keys(v).some((k) => !FIELDS.has(k))) throw new TypeError("unexpected field");
  if (typeof v.name !== "string" || typeof v.address !== "string") throw new TypeError("bad field");
  if (typeof v.snowflake_id !== "number" || !Number.isInteger(v.snowflake_id)) {
    throw new TypeError("bad id");
  }
  if (v.visible !== undefined && typeof v.visible !== "boolean") throw new TypeError("bad visible");
  if (v.api_token !== undefined && v.api_token !== null && typeof v.api_token !== "string") {
    throw new TypeError("bad api_token");
  }
  return {
    name: v.name,
    snowflake_id: v.snowflake_id,
    address: v.address,
    category,
    api_token: (v.api_token ?? null) as string | null,
    visible: v.visible ?? true,
  };
}

function parseRawConfig(config: unknown): Region[] {
  const values = typeof config === "string" ? JSON.parse(config) : config;
  const list = Array.isArray(values) ? values : [values];
  const byName = new Map<string, Region>();
  for (const region of list.map(parseRegion)) byName.set(region.name, region);
  return [...byName.values()];
}

function resolvePointers(regions: Region[], settings: Settings, urlPrefix: unknown): Region[] {
  const silo = settings.SILO_MODE ?? "MONOLITH";
  const names = regions.map((r) => reprString(r.name)).join(", ");
  const resolve = (setting: string): Region => {
    const value = settings[setting];
    const found = regions.find((r) => r.name === value);
    if (!found) {
      throw new RegionConfigurationError(
        `The ${setting} setting (value=${
          pyRepr(value)
        }) must point to a region name. Region names: ${names})`,
      );
    }
    return found;
  };
  if (silo === "MONOLITH" && regions.length === 0) {
    if (!pyTruthy(settings.SENTRY_MONOLITH_REGION)) {
      throw new RegionConfigurationError("`SENTRY_MONOLITH_REGION` must be set");
    }
    return [{
      name: String(settings.SENTRY_MONOLITH_REGION),
      snowflake_id: 0,
      address: String(urlPrefix ?? ""),
      category: "MULTI_TENANT",
      visible: true,
    }];
  }
  resolve("SENTRY_MONOLITH_REGION");
  if (silo === "REGION") resolve("SENTRY_REGION");
  else if (silo !== "MONOLITH" && silo !== "CONTROL") throw new Error("Invalid silo mode");
  return regions;
}

/** Returns the regions (for tests); throws Sentry's message as a configuration error. */
export function validateRegions(settings: Settings, urlPrefix: unknown): Region[] {
  if (!pyTruthy(settings.SENTRY_REGION_CONFIG)) return [];
  let regions: Region[];
  try {
    regions = resolvePointers(parseRawConfig(settings.SENTRY_REGION_CONFIG), settings, urlPrefix);
  } catch (err) {
    const message = err instanceof RegionConfigurationError
      ? err.message
      : "Unable to parse region_config.";
    throw configError(message, {
      hint: "check SENTRY_REGION_CONFIG in the settings file",
      cause: err,
    });
  }
  for (const region of regions) {
    // Python's `>>` on an int: negative ids shift to -1, which is non-zero too.
    if (Math.floor(region.snowflake_id / 2 ** SNOWFLAKE_REGION_ID_LENGTH) !== 0) {
      throw configError(`Region ID exceed max bit value of ${SNOWFLAKE_REGION_ID_LENGTH}`, {
        hint: `region ${reprString(region.name)} has snowflake_id ${region.snowflake_id}`,
      });
    }
  }
  return regions;
}
