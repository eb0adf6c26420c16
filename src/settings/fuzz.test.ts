// Fuzzing the loaders through the CLI entry (in process): random and mutated YAML as config.yml
// or sentry.conf.yml, then `config validate`. Every run must end in exit 0 or 3 with no
// "unexpected" error (the bug path) and no stack trace. Seeded, so a failure is reproducible:
// FUZZ_SEED=<seed> FUZZ_RUNS=<n> bun test src/settings/fuzz.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";
import { run } from "../cli/run.ts";
import { OPTIONS } from "../options/index.ts";
import { defaultSettings } from "./defaults.ts";
import { configYml } from "./templates.ts";
import { loadYamlMappingFull } from "../formats/yaml-file.ts";
import { fastYamlMapping } from "../formats/yaml-fast.ts";
import { loadYaml } from "../formats/yaml-lib.ts";
import { prng } from "../../tests/helpers/prng.ts";

await loadYaml(); // the full loader and option coercion are synchronous users of it

const SETTING_NAMES = Object.keys(defaultSettings({}));

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

const SERVICES_YML = "SENTRY_DEVSERVICES:\n  redis:\n    image: r:7\n" +
  '    ports: { "6379/tcp": 6379 }  # published\n' +
  '    healthcheck: { exec: ["redis-cli", "ping"], interval: 1.5, tcp: null }\n' +
  "    command:\n      - redis-server\n      - '--appendonly'\n      # c\n      - yes\n" +
  "  kafka: {environment: {A: 1, B: 'two'}, ports: []}\n" +
  "ALLOWED_HOSTS: [a, 'b', 1, ~, a b]\nLIST:\n- x\n- [y, {z: 1}]\n- {}\n";

const CORPUS = [
  configYml({ secretKey: "x".repeat(50), dev: true }),
  "system.secret-key: 'k'\nmail.port: 25\nmail.use-tls: yes\nredis.clusters:\n  default:\n    hosts: {0: {host: h, port: 1}}\n",
  "a: &a {x: [1, 2, {y: z}]}\nb: *a\n<<: *a\n'q': \"s\\u00e9\"\n? complex\n: value\n",
  "DEBUG: true\nSENTRY_DEVSERVICES:\n  redis: null\n  kafka: {environment: {A: 1}}\nALLOWED_HOSTS: [a, b]\n",
  'SENTRY_REGION_CONFIG: \'[{"name": "us"}]\'\nSENTRY_MONOLITH_REGION: us\nTIME_ZONE: UTC\n',
  "%YAML 1.1\n---\nkey: |\n  block\n  text\nother: >-\n  folded\n...\n",
  // Scalars at the edge of the fast path: numbers, booleans, quotes, comments, nesting.
  "a: 1.\nb: .5\nc: -0\nd: 0.0\ne: 'it''s'\nf: \"x # y\"\ng: x #y\nh: x#y\ni:  spaced   value  \n" +
  "j: yes\nk: Y\nl: 2020-1-1\nm: 1:20\nn: 0o7\no: 0x1f\np: +1\nq: 1_000\nr: ~\ns: Null\nt: on\n" +
  "u:\n  0: a\n  00: b\n  y: c\n  n.1: d\n  deep:\n    er: 1   # c\n  # comment\n  back: 2\nv: 127.0.0.1\n",
  // A services file: flow mappings and lists on one line, block lists of scalars.
  SERVICES_YML,
];
const PIECES = [
  ":",
  "-",
  "[",
  "]",
  "{",
  "}",
  "&a",
  "*a",
  "!",
  "!!str",
  "!!binary",
  "|",
  ">",
  "'",
  '"',
  "#",
  "%",
  "@",
  "`",
  "\n",
  " ",
  "  ",
  "\t",
  "?",
  ",",
  "<<",
  "\u0000",
  "é",
  "\ufeff",
  "~",
  "null",
  "yes",
  "0x1F",
  "1e999",
  ".nan",
  "2001-12-14",
];

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 2 || r < 0.5) {
    const scalars = ["s", "", 0, 1, 1.5, -1, true, false, null, "yes", "2020-01-01", "[", "x: y"];
    return scalars[Math.floor(rand() * scalars.length)];
  }
  if (r < 0.75) {
    return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1));
  }
  return Object.fromEntries(
    Array.from(
      { length: Math.floor(rand() * 3) },
      (_, i) => [`k${i}`, randomValue(rand, depth + 1)],
    ),
  );
}

/** A document of known and unknown keys with values of random types. */
function randomDocument(rand: () => number, keys: readonly string[]): string {
  const lines: string[] = [];
  for (let i = Math.floor(rand() * 6); i >= 0; i--) {
    const key = rand() < 0.8 ? keys[Math.floor(rand() * keys.length)]! : `unknown.k${i}`;
    lines.push(`${JSON.stringify(key)}: ${JSON.stringify(randomValue(rand))}`);
  }
  return lines.join("\n") + "\n";
}

function mutate(rand: () => number, text: string): string {
  let out = text;
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = rand();
    if (op < 0.3) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 5));
    else if (op < 0.7) {
      out = out.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + out.slice(at);
    } else {
      const lines = out.split("\n");
      const i = Math.floor(rand() * lines.length);
      lines.splice(Math.floor(rand() * lines.length), 0, lines[i] ?? "");
      out = lines.join("\n");
    }
  }
  return out;
}

// 400 full chain runs take ~5 s on an idle 2-core machine: a generous bound keeps the test about
// correctness, not about how busy the machine is.
test(`fuzz: ${RUNS} random and mutated YAML files end in exit 0 or 3 (seed ${SEED})`, {
  timeout: 60_000,
}, async () => {
  const rand = prng(SEED);
  const root = mkdtempSync(join(tmpdir(), "sentryctl-fuzz-"));
  const codes = new Map<number, number>();
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = join(root, String(i));
      const file = rand() < 0.7 ? "config.yml" : "sentry.conf.yml";
      const text = rand() < 0.25
        ? randomDocument(rand, file === "config.yml" ? OPTIONS.keys() : SETTING_NAMES)
        : mutate(rand, CORPUS[Math.floor(rand() * CORPUS.length)]!);
      mkdirSync(dir);
      writeFileSync(join(dir, file), text);
      if (file === "config.yml" && rand() < 0.5) {
        writeFileSync(join(dir, "sentry.conf.yml"), "DEBUG: false\n");
      }
      const io = captureInputs({ HOME: root, CI: "true", NO_COLOR: "1" }, root);
      const code = await run(["--config", dir, "config", "validate"], io);
      const stderr = io.err.join("");
      codes.set(code, (codes.get(code) ?? 0) + 1);
      const context = `case ${i} (${file}):\n${JSON.stringify(text)}\n--- stderr:\n${stderr}`;
      assert.ok(code === 0 || code === 3, context);
      assert.doesNotMatch(stderr, /unexpected:|\n\s+at /, context);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  // Both outcomes must actually occur, or the fuzzer is not exercising anything.
  assert.ok((codes.get(0) ?? 0) > 0 && (codes.get(3) ?? 0) > 0, JSON.stringify([...codes]));
});

test(`fuzz: the fast YAML path reads exactly as the yaml library (seed ${SEED})`, {
  timeout: 60_000,
}, () => {
  const rand = prng(SEED + 1);
  let accepted = 0;
  const total = RUNS * 10;
  for (let i = 0; i < total; i++) {
    const version = rand() < 0.5 ? "1.1" : "1.2";
    const text = rand() < 0.3
      ? randomDocument(rand, rand() < 0.5 ? OPTIONS.keys() : SETTING_NAMES)
      : mutate(rand, CORPUS[Math.floor(rand() * CORPUS.length)]!);
    const fast = fastYamlMapping(text, version);
    if (!fast) continue;
    accepted++;
    let full;
    try {
      full = loadYamlMappingFull("f.yml", text, version);
    } catch (err) {
      assert.fail(
        `fast path accepted what the library rejects (${version}):\n${
          JSON.stringify(text)
        }\n${err}`,
      );
    }
    assert.deepEqual(fast, full, `YAML ${version}:\n${JSON.stringify(text)}`);
  }
  // The template (and most real files) must take the fast path, or it buys nothing.
  assert.ok(fastYamlMapping(CORPUS[0]!, "1.1"), "the init template takes the fast path");
  assert.ok(fastYamlMapping(SERVICES_YML, "1.2"), "a services file takes the fast path");
  assert.ok(accepted > total / 20, `only ${accepted} of ${total} documents took the fast path`);
});
