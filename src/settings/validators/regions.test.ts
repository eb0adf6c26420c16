import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../../errors.ts";
import { validateRegions } from "./regions.ts";

const us = { name: "us", snowflake_id: 1, address: "http://us.local", category: "MULTI_TENANT" };
const de = { name: "de", snowflake_id: 2, address: "http://de.local", category: "SINGLE_TENANT" };
const base = { SENTRY_MONOLITH_REGION: "us", SILO_MODE: null, SENTRY_REGION: null };

// [case, settings overrides, expected message (undefined: passes)]
const CASES: [string, Record<string, unknown>, string | undefined][] = [
  ["no config: nothing to check", { SENTRY_REGION_CONFIG: [] }, undefined],
  ["one region, monolith points at it", { SENTRY_REGION_CONFIG: [us] }, undefined],
  ["a single mapping is one region", { SENTRY_REGION_CONFIG: us }, undefined],
  ["JSON text", { SENTRY_REGION_CONFIG: JSON.stringify([us, de]) }, undefined],
  [
    "monolith points nowhere",
    { SENTRY_REGION_CONFIG: [us, de], SENTRY_MONOLITH_REGION: "--monolith--" },
    "The SENTRY_MONOLITH_REGION setting (value='--monolith--') must point to a region name. Region names: 'us', 'de')",
  ],
  [
    "an empty region list needs a monolith name",
    { SENTRY_REGION_CONFIG: "[]", SENTRY_MONOLITH_REGION: "" },
    "`SENTRY_MONOLITH_REGION` must be set",
  ],
  [
    "an empty list with a monolith name generates the region",
    { SENTRY_REGION_CONFIG: "[]" },
    undefined,
  ],
  [
    "region silo: SENTRY_REGION must point at a region",
    { SENTRY_REGION_CONFIG: [us], SILO_MODE: "REGION", SENTRY_REGION: "eu" },
    "The SENTRY_REGION setting (value='eu') must point to a region name. Region names: 'us')",
  ],
  [
    "region silo without SENTRY_REGION",
    { SENTRY_REGION_CONFIG: [us], SILO_MODE: "REGION" },
    "The SENTRY_REGION setting (value=None) must point to a region name. Region names: 'us')",
  ],
  [
    "control silo has no local region",
    { SENTRY_REGION_CONFIG: [us], SILO_MODE: "CONTROL" },
    undefined,
  ],
  [
    "unknown category",
    { SENTRY_REGION_CONFIG: [{ ...us, category: "MULTI" }] },
    "Unable to parse region_config.",
  ],
  [
    "missing field",
    { SENTRY_REGION_CONFIG: [{ name: "us", category: "MULTI_TENANT" }] },
    "Unable to parse region_config.",
  ],
  [
    "unexpected field",
    { SENTRY_REGION_CONFIG: [{ ...us, zone: 1 }] },
    "Unable to parse region_config.",
  ],
  ["bad JSON", { SENTRY_REGION_CONFIG: "[{" }, "Unable to parse region_config."],
  [
    "snowflake id at the limit",
    { SENTRY_REGION_CONFIG: [{ ...us, snowflake_id: 4095 }] },
    undefined,
  ],
  [
    "snowflake id over 12 bits",
    { SENTRY_REGION_CONFIG: [{ ...us, snowflake_id: 4096 }] },
    "Region ID exceed max bit value of 12",
  ],
  [
    "negative snowflake id",
    { SENTRY_REGION_CONFIG: [{ ...us, snowflake_id: -1 }] },
    "Region ID exceed max bit value of 12",
  ],
];

for (const [name, overrides, expected] of CASES) {
  test(`validate_regions: ${name}`, () => {
    const settings = { ...base, ...overrides };
    if (expected === undefined) {
      validateRegions(settings, "http://sentry.local");
      return;
    }
    assert.throws(
      () => validateRegions(settings, "http://sentry.local"),
      (e: unknown) =>
        e instanceof SentryctlError && e.category === "configuration" && e.message === expected,
    );
  });
}

test("validate_regions: the generated monolith region takes system.url-prefix as its address", () => {
  const regions = validateRegions({ ...base, SENTRY_REGION_CONFIG: "[]" }, "http://sentry.local");
  assert.deepEqual(regions, [{
    name: "us",
    snowflake_id: 0,
    address: "http://sentry.local",
    category: "MULTI_TENANT",
    visible: true,
  }]);
});

// Sentry's `Region` fields and defaults (tests/sentry/types/test_region.py,
// test_find_all_multitenant_region_names_non_visible: a region config entry with
// `"visible": false` loads, and the region keeps the flag).
const FIELD_CASES: [string, unknown, Record<string, unknown> | string][] = [
  [
    "test_find_all_multitenant_region_names_non_visible: visible false is kept",
    JSON.stringify([{ ...us, visible: false }]),
    { name: "us", visible: false, api_token: null },
  ],
  ["visible defaults to true", [us], { name: "us", visible: true, api_token: null }],
  [
    "api_token (a Region field with default None) is accepted",
    [{ ...us, api_token: "tok", visible: true }],
    { name: "us", visible: true, api_token: "tok" },
  ],
  ["visible must be a boolean", [{ ...us, visible: "no" }], "Unable to parse region_config."],
  [
    "an unknown field is still refused",
    [{ ...us, hidden: true }],
    "Unable to parse region_config.",
  ],
];

for (const [name, config, expected] of FIELD_CASES) {
  test(`Region fields: ${name}`, () => {
    const settings = { ...base, SENTRY_REGION_CONFIG: config };
    if (typeof expected === "string") {
      assert.throws(
        () => validateRegions(settings, "http://sentry.local"),
        (e: unknown) => e instanceof SentryctlError && e.message === expected,
      );
      return;
    }
    const [region] = validateRegions(settings, "http://sentry.local");
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual((region as unknown as Record<string, unknown>)[key], value, key);
    }
  });
}
