// validate_regions returns the regions as parsed: every field kept, not only "did not throw".

import { test } from "node:test";
import assert from "node:assert/strict";
import { validateRegions } from "./regions.ts";

const base = { SENTRY_MONOLITH_REGION: "us", SILO_MODE: null, SENTRY_REGION: null };

test("each region keeps its name, snowflake id, address, category, api token and visibility", () => {
  const regions = validateRegions({
    ...base,
    SENTRY_REGION_CONFIG: [
      { name: "us", snowflake_id: 1, address: "http://us.local", category: "MULTI_TENANT" },
      {
        name: "de",
        snowflake_id: 2,
        address: "https://de.example:8443/prefix",
        category: "SINGLE_TENANT",
        api_token: "tok",
        visible: false,
      },
    ],
  }, "http://sentry.local");
  assert.deepEqual(regions, [
    {
      name: "us",
      snowflake_id: 1,
      address: "http://us.local",
      category: "MULTI_TENANT",
      api_token: null,
      visible: true,
    },
    {
      name: "de",
      snowflake_id: 2,
      address: "https://de.example:8443/prefix",
      category: "SINGLE_TENANT",
      api_token: "tok",
      visible: false,
    },
  ]);
});

test("regions given as JSON text keep their address too", () => {
  const regions = validateRegions({
    ...base,
    SENTRY_REGION_CONFIG: JSON.stringify([
      { name: "us", snowflake_id: 5, address: "http://json.local", category: "MULTI_TENANT" },
    ]),
  }, "http://sentry.local");
  assert.equal(regions[0]?.address, "http://json.local");
  assert.equal(regions[0]?.snowflake_id, 5);
});
