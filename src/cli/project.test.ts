import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { validateProject } from "./project.ts";

const RULE_HINT =
  "a project name is a letter or digit, then letters, digits, '_', '.' or '-', at most 63 characters (it prefixes containers, the network and volumes)";

for (const good of ["sentry", "a", "my-proj_2.x", "9lives", "A".repeat(63)]) {
  test(`--project '${good.slice(0, 20)}' is accepted`, () => {
    assert.equal(validateProject(good), good);
  });
}

const BAD: [string, string][] = [
  ["a b", "--project 'a b' is not a valid Docker name"],
  ["_x", "--project '_x' is not a valid Docker name"],
  ["", "--project '' is empty"],
  ["../x", "--project '../x' is not a valid Docker name"],
  ["-x", "--project '-x' is not a valid Docker name"],
  ["x/y", "--project 'x/y' is not a valid Docker name"],
  ["e\x1b[31m", "--project 'e\\x1b[31m' is not a valid Docker name"],
  ["a".repeat(300), `--project '${"a".repeat(40)}… (260 more characters)' is 300 characters long`],
];
for (const [bad, message] of BAD) {
  test(`--project ${JSON.stringify(bad.slice(0, 12))} is a usage error stating the rule`, () => {
    assert.throws(
      () => validateProject(bad),
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 2 && e.message === message &&
        e.hint === RULE_HINT,
    );
  });
}
