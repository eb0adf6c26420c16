// The data-only reading of sentry.conf.ts must agree with importing the module: whatever
// staticSettingsModule accepts, the runtime reads to the same value (templates, hand-made cases
// and seeded mutations of the template); whatever is more than data it leaves to the worker.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sentryConfTs } from "../settings/templates.ts";
import { staticSettingsModule } from "./ts-literal.ts";
import { prng } from "../../tests/helpers/prng.ts";

const dir = mkdtempSync(join(tmpdir(), "sentryctl-tsliteral-"));
let n = 0;

/** The module's default export as the runtime reads it, or "error" if it does not load. */
async function imported(source: string): Promise<unknown> {
  const file = join(dir, `m${n++}.ts`);
  writeFileSync(file, source);
  try {
    return structuredClone((await import(pathToFileURL(file).href)).default);
  } catch {
    return "error";
  }
}

async function agrees(source: string): Promise<boolean> {
  const data = staticSettingsModule(source);
  if (data === undefined) return false;
  assert.deepEqual(data, await imported(source), source);
  return true;
}

const TEMPLATES = [false, true].map((dev) => sentryConfTs({ dev, secretKey: "k".repeat(50) }));

test("the init templates are data: read in-process, equal to importing them", async () => {
  for (const t of TEMPLATES) assert.equal(await agrees(t), true);
});

test("literals of every kind agree with the runtime; code is left to the worker", async () => {
  const data = [
    `export default {};`,
    `export default { A: 1, "B": 'two', 3: [1, -2.5e3, true, false, null], C: { "d e": [] } }`,
    `export default { A: 1, A: 2, }; // last wins\n/* trailing */`,
    `export default {\n  S: "tab\\tnew\\nquote\\" \\u00e9 \\\\",\n  T: 'it\\'s',\n  Z: -0,\n}`,
    `\ufeffexport default { DEBUG: true }`,
    `export default { default: 1, export: 2, 1e3: 3, 0.5: 4 }`,
  ];
  for (const source of data) assert.equal(await agrees(source), true, source);
  const code = [
    `export default (d) => ({ DEBUG: true })`,
    `import x from "./x"; export default { A: x }`,
    `export default { A: process.env.A }`,
    `export default { A: \`t\` }`,
    `export default { ...{ A: 1 } }`,
    `export default { ["A"]: 1 }`,
    `export default { __proto__: { A: 1 } }`,
    `export default { A: undefined }`,
    `export default { A: 1_000 }`,
    `export default { A: 0x10 }`,
    `export default { A: .5 }`,
    `export default { A: - 1 }`,
    `export default { -1: 1 }`,
    `export default { A: 1 } as const`,
    `export default { A: 1 } satisfies Record<string, unknown>;`,
    `export default { A: "\\x41" }`,
    `export default { A: "a\\\nb" }`,
    `const a = 1; export default { A: a }`,
    `export default { A: 1 }; console.log(1)`,
    `export default [1, 2]`,
    `export default { A: [1,, 2] }`,
    `export default { A: 1 /* unclosed`,
    `export default { A: "unclosed }`,
    `export default {${"[".repeat(100)}${"]".repeat(100)}}`,
  ];
  for (const source of code) assert.equal(staticSettingsModule(source), undefined, source);
});

const PIECES = [
  ",",
  ":",
  "{",
  "}",
  "[",
  "]",
  '"',
  "'",
  "\\",
  "-",
  "0",
  "1e",
  "/*",
  "*/",
  "//",
  "\n",
  " ",
  "x",
  "true",
  "null",
  "__proto__",
  "...",
];
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

test(`fuzz: mutated templates read as data only when the runtime agrees (seed ${SEED})`, {
  timeout: 120_000,
}, async () => {
  const rand = prng(SEED);
  let accepted = 0;
  for (let i = 0; i < RUNS; i++) {
    let text = TEMPLATES[i % 2]!;
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
      const at = Math.floor(rand() * text.length);
      text = rand() < 0.5
        ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 4))
        : text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(at);
    }
    if (await agrees(text)) accepted++;
  }
  assert.ok(accepted > RUNS / 10, `only ${accepted} of ${RUNS} mutations stayed data`);
});
