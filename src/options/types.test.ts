// Sentry's `tests/sentry/utils/test_types.py`, case by case, on the string coercion that
// `config set` uses (`Type.__call__` with a str). Each row names the Sentry test it comes from.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Any, Bool, Dict, Float, Int, InvalidTypeError, Sequence, String } from "./types.ts";
import type { OptionType } from "./types.ts";
import { loadYaml } from "../formats/yaml-lib.ts";

await loadYaml(); // option coercion is a synchronous user of it

type Row = [sentryTest: string, type: OptionType, input: string, expected: unknown];
const OK: Row[] = [
  ["test_any", Any, "foo", "foo"],
  ["test_bool", Bool, "y", true],
  ["test_bool", Bool, "YES", true],
  ["test_bool", Bool, "t", true],
  ["test_bool", Bool, "true", true],
  ["test_bool", Bool, "True", true],
  ["test_bool", Bool, "1", true],
  ["test_bool", Bool, "on", true],
  ["test_bool", Bool, "n", false],
  ["test_bool", Bool, "NO", false],
  ["test_bool", Bool, "f", false],
  ["test_bool", Bool, "false", false],
  ["test_bool", Bool, "0", false],
  ["test_bool", Bool, "off", false],
  ["test_int", Int, "1", 1],
  ["test_int", Int, "-1", -1],
  ["test_float", Float, "1", 1],
  ["test_float", Float, "-1.1", -1.1],
  ["test_string", String, "foo", "foo"],
  ["test_dict", Dict, "{foo: bar}", { foo: "bar" }],
  ["test_sequence", Sequence, "[1,2,3]", [1, 2, 3]],
];

const REFUSED: [sentryTest: string, type: OptionType, input: string, message: string][] = [
  ["test_bool", Bool, "foo", "'foo' is not a valid boolean"],
  ["test_int", Int, "foo", "'foo' is not a valid integer"],
  ["test_int", Int, "1.1", "'1.1' is not a valid integer"],
  ["test_float", Float, "foo", "'foo' is not a valid float"],
  ["test_dict", Dict, "[]", "'[]' is not a valid dictionary"],
  ["test_dict", Dict, "", "'' is not a valid dictionary"],
  // "malformed yaml/json (a plain scalar, "b: ar", cannot contain ": ")"
  ["test_dict", Dict, "{foo: b: ar}", "'{foo: b: ar}' is not a valid dictionary"],
  ["test_sequence", Sequence, "{}", "'{}' is not a valid sequence"],
  ["test_sequence", Sequence, "", "'' is not a valid sequence"],
  // "malformed yaml/json"
  ["test_sequence", Sequence, "[1,", "'[1,' is not a valid sequence"],
  // Beyond Sentry's cases, the same rule: whatever PyYAML's safe_load raises on is refused.
  [
    "(PyYAML: unclosed flow in a mapping)",
    Dict,
    "foo: [1, 2",
    "'foo: [1, 2' is not a valid dictionary",
  ],
  ["(PyYAML: bad indentation)", Dict, "a: 1\n b: 2", "'a: 1\\n b: 2' is not a valid dictionary"],
];

for (const [name, type, input, expected] of OK) {
  test(`test_types.py ${name}: ${type.name}(${JSON.stringify(input)}) == ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(type.coerce(input), expected);
  });
}

for (const [name, type, input, message] of REFUSED) {
  test(`test_types.py ${name}: ${type.name}(${JSON.stringify(input)}) raises InvalidTypeError`, () => {
    assert.throws(
      () => type.coerce(input),
      (e: unknown) => e instanceof InvalidTypeError && e.message === message,
    );
  });
}

test("an alias bomb is refused quickly, not expanded", () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) {
    const prev = "abcdefghij"[i - 1]!;
    const name = "abcdefghij"[i]!;
    levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
  }
  const started = performance.now();
  assert.throws(() => Dict.coerce(`{${levels.join(", ")}}`), InvalidTypeError);
  assert.ok(performance.now() - started < 2000);
});

test("repeated keys are not an error (PyYAML keeps the last), unlike config.yml itself", () => {
  assert.deepEqual(Dict.coerce("{a: 1, a: 2}"), { a: 2 });
});
