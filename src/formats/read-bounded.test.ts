import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SentryctlError } from "../errors.ts";
import { readBoundedText } from "./read-bounded.ts";

const dir = mkdtempSync(join(tmpdir(), "sentryctl-bounded-"));

test("a file at the limit is read whole", () => {
  const path = join(dir, "ok.yml");
  writeFileSync(path, "a".repeat(1024 * 1024));
  assert.equal(readBoundedText(path).length, 1024 * 1024);
});

test("a file over 1 MiB is refused with exit 3 naming the file and the limit", () => {
  const path = join(dir, "big.yml");
  writeFileSync(path, "a".repeat(3 * 1024 * 1024));
  assert.throws(
    () => readBoundedText(path),
    (e: unknown) =>
      e instanceof SentryctlError && e.exitCode === 3 &&
      e.message === `${path} is too large for a settings file (3.0 MiB; the limit is 1.0 MiB)`,
  );
});

test("a missing file is a configuration error", () => {
  assert.throws(
    () => readBoundedText(join(dir, "nope.yml")),
    (e: unknown) => e instanceof SentryctlError && e.exitCode === 3,
  );
});

test("a file that reports no size (/proc) is read whole, growing the buffer, and still bounded", {
  skip: !existsSync("/proc/self/status") && "no /proc here",
}, () => {
  const text = readBoundedText("/proc/self/status");
  assert.match(text, /^Name:/);
  assert.match(text, /\nPid:\s+\d+\n/);
  assert.throws(
    () => readBoundedText("/proc/self/status", 100),
    (e: unknown) => e instanceof SentryctlError && e.exitCode === 3 && /too large/.test(e.message),
  );
});

test("UTF-8 text over several reads comes back unchanged", () => {
  const path = join(dir, "utf8.yml");
  const body = "é€😀 ".repeat(40_000);
  writeFileSync(path, body);
  assert.equal(readBoundedText(path), body);
});
