import { test } from "node:test";
import assert from "node:assert/strict";
import { center, formatG, pyRepr, pyTruthy, pyTypeOf, reprFloat, reprString } from "./python.ts";

test("reprString follows Python's quote choice and escapes", () => {
  const cases: [string, string][] = [
    ["abc", "'abc'"],
    ["it's", `"it's"`],
    [`say "hi"`, `'say "hi"'`],
    [`it's "x"`, `'it\\'s "x"'`],
    ["a\\b\n\t", "'a\\\\b\\n\\t'"],
    ["\x01", "'\\x01'"],
    ["ünï", "'ünï'"],
  ];
  for (const [input, expected] of cases) assert.equal(reprString(input), expected, input);
});

test("reprFloat matches Python's float repr", () => {
  const cases: [number, string][] = [
    [1, "1.0"],
    [1.5, "1.5"],
    [1e16, "1e+16"],
    [1.5e-5, "1.5e-05"],
    [0.0001, "0.0001"],
    [123456789012345.0, "123456789012345.0"],
    [Infinity, "inf"],
    [NaN, "nan"],
  ];
  for (const [input, expected] of cases) assert.equal(reprFloat(input), expected, String(input));
});

test("pyRepr renders JSON-like values as Python would", () => {
  assert.equal(pyRepr(null), "None");
  assert.equal(pyRepr(true), "True");
  assert.equal(pyRepr(3), "3");
  assert.equal(pyRepr(["a", 1, { k: false }]), "['a', 1, {'k': False}]");
});

test("center reproduces Python's str.center padding, including the odd-odd rule", () => {
  // Python: 'ab'.center(5) == '  ab ', 'abc'.center(6) == ' abc  ', 'a'.center(4) == ' a  '
  assert.equal(center("ab", 5), "  ab ");
  assert.equal(center("abc", 6), " abc  ");
  assert.equal(center("a", 4), " a  ");
  assert.equal(center("abc", 4), "abc ");
  assert.equal(center("", 3), "   ");
  assert.equal(center("toolong", 3), "toolong");
});

test("formatG matches Python's %g and %+g", () => {
  const cases: [number, boolean, string][] = [
    [1, true, "+1"],
    [-2.5, true, "-2.5"],
    [1234567, false, "1.23457e+06"],
    [0.00001, false, "1e-05"],
    [100, false, "100"],
    [0.5, false, "0.5"],
    [123.456789, false, "123.457"],
  ];
  for (const [value, signed, expected] of cases) {
    assert.equal(formatG(value, signed), expected, `${value}`);
  }
});

test("pyTruthy and pyTypeOf", () => {
  assert.equal(pyTruthy(""), false);
  assert.equal(pyTruthy([]), false);
  assert.equal(pyTruthy({}), false);
  assert.equal(pyTruthy("x"), true);
  assert.equal(pyTypeOf(1), "int");
  assert.equal(pyTypeOf(1.5), "float");
  assert.equal(pyTypeOf(null), "NoneType");
  assert.equal(pyTypeOf({}), "dict");
});
