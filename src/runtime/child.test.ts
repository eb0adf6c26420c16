import { test } from "node:test";
import assert from "node:assert/strict";
import { runCaptured } from "./child.ts";

const env = { PATH: process.env.PATH };

test("stdin in, stdout and stderr out, the exit code", async () => {
  const r = await runCaptured({
    command: "sh",
    args: ["-c", 'read line; echo "got $line"; echo oops >&2; exit 7'],
    env,
    input: "hello\n",
    timeoutMs: 10_000,
  });
  assert.deepEqual(
    {
      code: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      notFound: r.notFound,
      timedOut: r.timedOut,
    },
    { code: 7, stdout: "got hello\n", stderr: "oops\n", notFound: false, timedOut: false },
  );
});

test("a program that does not exist is 'not found', not a failure", async () => {
  const r = await runCaptured({ command: "/nonexistent/python3", args: [], env, timeoutMs: 1000 });
  assert.equal(r.notFound, true);
  assert.equal(r.code, null);
});

test("only the given environment reaches the child", async () => {
  const r = await runCaptured({
    command: "sh",
    args: ["-c", 'echo "[$ONLY_THIS][$HOME]"'],
    env: { PATH: process.env.PATH, ONLY_THIS: "yes" },
    timeoutMs: 10_000,
  });
  assert.equal(r.stdout, "[yes][]\n");
});

test("output beyond the cap is dropped and flagged", async () => {
  const r = await runCaptured({
    command: "sh",
    args: ["-c", "head -c 100000 /dev/zero"],
    env,
    timeoutMs: 10_000,
    maxOutputBytes: 1000,
  });
  assert.equal(r.stdout.length, 1000);
  assert.equal(r.truncated, true);
});

test("the deadline kills the child, without waiting for pipes a grandchild holds", async () => {
  const started = performance.now();
  const r = await runCaptured({
    command: "sh",
    args: ["-c", "sleep 4 & exec sleep 30"],
    env,
    timeoutMs: 300,
  });
  const elapsed = performance.now() - started;
  assert.equal(r.timedOut, true);
  assert.equal(r.signal, "SIGKILL");
  assert.ok(elapsed < 3000, `returned after ${Math.round(elapsed)} ms`);
});
