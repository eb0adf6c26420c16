import { test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync } from "node:fs";
import { isatty } from "node:tty";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTerminal } from "./isatty.ts";

test("files, /dev/null and closed descriptors are not terminals; fds 0-2 agree with node:tty", () => {
  const file = openSync(join(mkdtempSync(join(tmpdir(), "sentryctl-tty-")), "f"), "w");
  const devNull = openSync("/dev/null", "w");
  try {
    assert.equal(isTerminal(file), false);
    assert.equal(isTerminal(devNull), false);
  } finally {
    closeSync(file);
    closeSync(devNull);
  }
  assert.equal(isTerminal(987654), false);
  for (const fd of [0, 1, 2]) assert.equal(isTerminal(fd), isatty(fd), `fd ${fd}`);
});
