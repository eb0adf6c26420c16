// Writes docs/configuration.md from the options registry and the built-in settings.
// Usage: npm run docs   (src/settings/config-docs.test.ts fails when the committed file is stale)

import { writeFileSync } from "node:fs";
import { renderConfigDocs } from "../src/settings/config-docs.ts";

const path = new URL("../docs/configuration.md", import.meta.url);
writeFileSync(path, renderConfigDocs());
console.log(`wrote ${path.pathname}`);
