import { test } from "node:test";
import assert from "node:assert/strict";
import type { ProcessInputs } from "../runtime/io.ts";
import { run } from "./run.ts";
import { detachedProcess } from "../../tests/helpers/process-inputs.ts";

function inputs(): ProcessInputs & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    env: { HOME: "/nonexistent-home-for-test" },
    home: "/nonexistent-home-for-test",
    cwd: "/",
    stdout: { write: (s) => (out += String(s)) },
    stderr: { write: (s) => (err += String(s)) },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    ...detachedProcess(),
    out: () => out,
    err: () => err,
  };
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
