import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "./run.ts";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";

function inputs() {
  const i = captureInputs(
    { HOME: "/nonexistent-home-for-test" },
    "/nonexistent-home-for-test",
    "/",
  );
  return { ...i, out: () => i.out.join(""), err: () => i.err.join("") };
}

test("-v after the command's -- is the command's, not sentryctl's --verbose", async () => {
  const quiet = inputs();
  assert.equal(await run(["with", "redis", "--timeout", "x", "--", "pytest", "-v"], quiet), 2);
  assert.match(quiet.err(), /^error: --timeout needs a number of seconds/);
  assert.doesNotMatch(quiet.err(), /\n\s+at /);

  const loud = inputs();
  assert.equal(await run(["with", "-v", "redis", "--timeout", "x", "--", "pytest"], loud), 2);
  assert.match(loud.err(), /\n\s+at /, "our own -v still shows the stack");
});

test("an unknown command before -- with -v after it: no stack trace", async () => {
  const i = inputs();
  assert.equal(await run(["wiht", "redis", "--", "pytest", "-v"], i), 2);
  assert.match(i.err(), /unknown command 'wiht'/);
  assert.doesNotMatch(i.err(), /\n\s+at /);
});
