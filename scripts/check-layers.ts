// Module-boundary check (run by scripts/test-all.sh): every module under src/ against the one
// declared layer order in scripts/layers.ts — each folder in a layer, imports only downward,
// no import cycle (type-only and dynamic imports included) — and docs/architecture.md showing
// that same order. `--write` regenerates the page's layer block after the order changed.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkLayers, readModules, withLayers } from "./layers.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");
const DOC = join(ROOT, "docs", "architecture.md");

/** Everything wrong, one line each. */
export function violations(write = false): string[] {
  const found = checkLayers(SRC, readModules(SRC)).map((p) => p.text);
  const doc = readFileSync(DOC, "utf8");
  const expected = withLayers(doc);
  if (expected === undefined) {
    found.push("docs/architecture.md: the layers:begin/layers:end markers are missing");
  } else if (expected !== doc) {
    if (write) writeFileSync(DOC, expected);
    else {
      found.push(
        "docs/architecture.md: the layer order differs from scripts/layers.ts: run " +
          "'bun scripts/check-layers.ts --write'",
      );
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const list = violations(process.argv.includes("--write"));
  for (const line of list) console.error(line);
  console.log(list.length === 0 ? "layers: ok" : `layers: ${list.length} problem(s)`);
  process.exit(list.length === 0 ? 0 : 1);
}
