import { test } from "node:test";
import assert from "node:assert/strict";
import { interpolate, InterpolationError } from "./interpolate.ts";

function run(text: string, vars: Record<string, string>) {
  const unset: string[] = [];
  const out = interpolate(text, { lookup: (n) => vars[n], unset: (n) => unset.push(n) });
  return { out, unset };
}

const V = { SET: "v", EMPTY: "" };

test("the eight forms with a set, an empty and an unset variable", () => {
  const cases: [string, string, string, string][] = [
    // form, SET, EMPTY, UNSET
    ["${X:-d}", "v", "d", "d"],
    ["${X-d}", "v", "", "d"],
    ["${X:+a}", "a", "", ""],
    ["${X+a}", "a", "a", ""],
    ["${X}", "v", "", ""],
    ["$X", "v", "", ""],
  ];
  for (const [form, set, empty, unset] of cases) {
    assert.equal(run(form.replace("X", "SET"), V).out, set, form);
    assert.equal(run(form.replace("X", "EMPTY"), V).out, empty, form);
    assert.equal(run(form.replace("X", "NOPE"), V).out, unset, form);
  }
  assert.equal(run("${SET:?boom}", V).out, "v");
  assert.equal(run("${EMPTY?boom}", V).out, "", "? accepts an empty value");
  assert.throws(
    () => run("${EMPTY:?must be set}", V),
    /required variable EMPTY is missing a value: must be set/,
  );
  assert.throws(() => run("${NOPE?gone}", V), /required variable NOPE is missing a value: gone/);
});

test("an empty ${X:+y} expansion leaves what surrounds it (snuba)", () => {
  assert.equal(run("--${SNUBA_NO_WORKERS:+no-workers}", {}).out, "--");
  assert.equal(
    run("--${SNUBA_NO_WORKERS:+no-workers}", { SNUBA_NO_WORKERS: "1" }).out,
    "--no-workers",
  );
});

test("$$ is a literal dollar and is not expanded further", () => {
  assert.equal(run("a$$b $${SET} $$$SET", V).out, "a$b ${SET} $v");
});

test("$NAME stops at the first character that cannot be in a name", () => {
  assert.equal(run("$SET.x-$SET/$SET_", { ...V, SET_: "u" }).out, "v.x-v/u");
});

test("defaults may hold variables, nested braces included", () => {
  assert.equal(run("${NOPE:-${SET}-${NOPE2:-z}}", V).out, "v-z");
  assert.equal(run("${NOPE:-{x}}", V).out, "{x}", "a } inside the default closes the brace");
});

test("an unset variable without default is reported once per use", () => {
  const { out, unset } = run("a${NOPE}b$NOPE2", V);
  assert.equal(out, "ab");
  assert.deepEqual(unset, ["NOPE", "NOPE2"]);
  assert.deepEqual(run("${NOPE:-d}${NOPE:+x}", V).unset, [], "a default is not a warning");
});

test("malformed templates are errors with the offset of the $", () => {
  for (
    const [text, offset] of [["ab$", 2], ["x ${", 2], ["${}", 0], ["${1A}", 0], ["$ {X}", 0], [
      "${X!y}",
      0,
    ], ["a $(cmd)", 2]] as const
  ) {
    assert.throws(() => run(text, V), (e: unknown) => {
      assert.ok(e instanceof InterpolationError, text);
      assert.equal(e.offset, offset, text);
      return true;
    });
  }
});
