// Global flags are parsed only before a `--`: what follows belongs to another program.

import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "./run.ts";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";

function inputs() {
  const i = captureInputs({ NO_COLOR: "1" }, "/nonexistent-home", "/");
  return { ...i, out: () => i.out.join(""), err: () => i.err.join("") };
}

test("a -v after -- does not turn on verbose error output", async () => {
  const io = inputs();
  const code = await run(["nope", "--", "-v"], io);
  assert.equal(code, 2);
  assert.equal(io.err().includes("    at "), false, io.err());
});

test("-v before -- does (a stack trace is shown)", async () => {
  const io = inputs();
  await run(["-v", "nope", "--", "x"], io);
  assert.equal(io.err().includes("    at "), true, io.err());
});

test("--version after -- is not ours", async () => {
  const io = inputs();
  const code = await run(["--", "--version"], io);
  assert.equal(code, 0);
  assert.equal(io.out().startsWith("sentryctl "), false);
});
