import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { renderConfigDocs } from "./config-docs.ts";

test("docs/configuration.md is up to date with the registry (run `npm run docs`)", () => {
  const committed = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
  assert.equal(committed, renderConfigDocs());
});
