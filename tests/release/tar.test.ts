// The release archive writer (scripts/release/tar.ts), read back by the system's GNU tar and
// gzip: entries, order, modes, owner and mtime as given, identical bytes on every call, and a
// gzip header without a timestamp.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tar, tarGz } from "../../scripts/release/tar.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("release tar writer", () => {
  const entries = [
    { name: "sentryctl", mode: 0o755, data: text("#!/bin/sh\necho hi\n") },
    { name: "README.md", mode: 0o644, data: new Uint8Array(513).fill(65) }, // crosses a block
    { name: "empty", mode: 0o600, data: new Uint8Array(0) },
  ];

  test("GNU tar lists and extracts what was written", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-dist-tar-"));
    try {
      const file = join(dir, "a.tar.gz");
      writeFileSync(file, tarGz(entries, 1700000000));
      const list = spawnSync("tar", ["--utc", "-tvzf", file], { encoding: "utf8" });
      assert.equal(list.status, 0, list.stderr);
      assert.equal(
        list.stdout,
        "-rwxr-xr-x 0/0              18 2023-11-14 22:13 sentryctl\n" +
          "-rw-r--r-- 0/0             513 2023-11-14 22:13 README.md\n" +
          "-rw------- 0/0               0 2023-11-14 22:13 empty\n",
      );
      const x = spawnSync("tar", ["-xzf", file, "-C", dir], { encoding: "utf8" });
      assert.equal(x.status, 0, x.stderr);
      assert.equal(readFileSync(join(dir, "sentryctl"), "utf8"), "#!/bin/sh\necho hi\n");
      assert.equal(readFileSync(join(dir, "README.md"), "utf8"), "A".repeat(513));
      assert.equal(readFileSync(join(dir, "empty"), "utf8"), "");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("same input, same bytes; the gzip header carries no mtime", () => {
    const a = tarGz(entries, 1700000000);
    const b = tarGz(entries, 1700000000);
    assert.deepEqual(a, b);
    assert.deepEqual([...a.subarray(0, 3)], [0x1f, 0x8b, 8]); // gzip, deflate
    assert.deepEqual([...a.subarray(4, 8)], [0, 0, 0, 0]); // MTIME = 0
    assert.equal(a[3], 0); // FLG: no file name, no comment
  });

  test("blocks: 512-byte headers, data padded, two zero blocks at the end", () => {
    // 3 headers + data blocks (1 + 2 + 0) + 2 end blocks = 8 blocks
    assert.equal(tar(entries, 0).length, 8 * 512);
  });

  test("a name over 100 bytes is refused rather than silently cut", () => {
    assert.throws(
      () => tar([{ name: "x".repeat(101), mode: 0o644, data: new Uint8Array(0) }], 0),
      /tar: name too long/,
    );
  });
});
