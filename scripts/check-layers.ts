// Module-boundary check (run by scripts/test-all.sh): every module under src/ against the one
// declared layer order in scripts/layers.ts — each folder in a layer, imports only downward,
// no import cycle (type-only and dynamic imports included) — and docs/architecture.md and the
// README's Architecture section showing that same order. `--write` regenerates both layer blocks
// after the order changed.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkLayers, readModules, withLayers } from "./layers.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");
/** The pages that show the layer order, between layers:begin/layers:end markers. */
const DOCS = ["docs/architecture.md", "README.md"];

/** Everything wrong, one line each. */
export function violations(write = false): string[] {
  const found = checkLayers(SRC, readModules(SRC)).map((p) => p.text);
  for (const name of DOCS) {
    const path = join(ROOT, name);
    const doc = readFileSync(path, "utf8");
    const expected = withLayers(doc);
    if (expected === undefined) {
      found.push(`${name}: the layers:begin/layers:end markers are missing`);
    } else if (expected !== doc) {
      if (write) writeFileSync(path, expected);
      else {
        found.push(
          `${name}: the layer order differs from scripts/layers.ts: run ` +
            "'bun scripts/check-layers.ts --write'",
        );
      }
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
