// Global flags are parsed only before a `--`: what follows belongs to another program.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ProcessInputs } from "../runtime/io.ts";
import { run } from "./run.ts";
import { detachedProcess } from "../../tests/helpers/process-inputs.ts";

function inputs(): ProcessInputs & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    env: { NO_COLOR: "1" },
    home: "/nonexistent-home",
    cwd: "/",
    stdout: { write: (s: string | Uint8Array) => ((out += String(s)), true) },
    stderr: { write: (s: string | Uint8Array) => ((err += String(s)), true) },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    ...detachedProcess(),
    out: () => out,
    err: () => err,
  } as unknown as ProcessInputs & { out: () => string; err: () => string };
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
