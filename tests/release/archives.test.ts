// `npm run release` output (issue #13, must-show 1): six archives, each holding an executable of
// the right format, SHA256SUMS that `sha256sum -c` accepts, latest/ identical to v0.1.0/, and a
// second build that gives the same bytes. darwin and musl binaries cannot run on this Debian
// x86-64 host, so for them only the format is checked (`file`); linux-x64 also runs here, and
// linux-arm64 runs under qemu (qemu-arm64.test.ts).

import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { BUN, ensureRelease, LATEST_DIR, RELEASE, VERSION_DIR, versionLine } from "./release.ts";

const FORMATS: Record<string, RegExp> = {
  "linux-x64": /^ELF 64-bit LSB executable, x86-64, .*interpreter \/lib64\/ld-linux-x86-64\.so\.2/,
  "linux-arm64":
    /^ELF 64-bit LSB executable, ARM aarch64, .*interpreter \/lib\/ld-linux-aarch64\.so\.1/,
  "linux-x64-musl":
    /^ELF 64-bit LSB executable, x86-64, .*interpreter \/lib\/ld-musl-x86_64\.so\.1/,
  "linux-arm64-musl":
    /^ELF 64-bit LSB executable, ARM aarch64, .*interpreter \/lib\/ld-musl-aarch64\.so\.1/,
  "darwin-x64": /^Mach-O 64-bit x86_64 executable/,
  "darwin-arm64": /^Mach-O 64-bit arm64 executable/,
};

function run(cmd: string, args: string[], cwd?: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("release archives", { timeout: 300_000 }, () => {
  before(() => ensureRelease());

  test("SHA256SUMS names exactly the six archives and `sha256sum -c` passes", () => {
    for (const dir of [VERSION_DIR, LATEST_DIR]) {
      const sums = readFileSync(join(dir, "SHA256SUMS"), "utf8");
      const names = sums.trim().split("\n").map((l) => {
        assert.match(l, /^[0-9a-f]{64} {2}sentryctl-[a-z0-9-]+\.tar\.gz$/);
        return l.slice(66);
      });
      assert.deepEqual(names, [
        "sentryctl-darwin-arm64.tar.gz",
        "sentryctl-darwin-x64.tar.gz",
        "sentryctl-linux-arm64-musl.tar.gz",
        "sentryctl-linux-arm64.tar.gz",
        "sentryctl-linux-x64-musl.tar.gz",
        "sentryctl-linux-x64.tar.gz",
      ]);
      const check = run("sha256sum", ["-c", "--strict", "SHA256SUMS"], dir);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.equal(check.stdout.match(/: OK$/gm)?.length, 6, check.stdout);
    }
    // Both directories verify against the same sums, so latest/ holds the same archives.
    assert.equal(
      readFileSync(join(LATEST_DIR, "SHA256SUMS"), "utf8"),
      readFileSync(join(VERSION_DIR, "SHA256SUMS"), "utf8"),
    );
    assert.match(readFileSync(join(RELEASE, "install.sh"), "utf8"), /^#!\/bin\/sh\n/);
  });

  test("each archive holds a root-owned executable `sentryctl` of its target's format", () => {
    for (const [target, format] of Object.entries(FORMATS)) {
      const archive = join(VERSION_DIR, `sentryctl-${target}.tar.gz`);
      const list = run("tar", ["-tvzf", archive]);
      assert.equal(list.code, 0, list.stderr);
      const lines = list.stdout.trim().split("\n");
      assert.match(lines[0]!, /^-rwxr-xr-x 0\/0 +\d{8,9} \d{4}-\d\d-\d\d \d\d:\d\d sentryctl$/);
      assert.match(lines[1]!, /^-rw-r--r-- 0\/0 +\d+ .* LICENSE$/);
      assert.match(lines[2]!, /^-rw-r--r-- 0\/0 +\d+ .* README\.md$/);
      const license = run("sh", ["-c", `tar -xzOf '${archive}' LICENSE`]);
      assert.match(license.stdout, /Apache License\s+Version 2\.0, January 2004/);
      // The headers `file` reads sit in the first KiB; no need to unpack 100 MiB each.
      const head = `tar -xzOf '${archive}' sentryctl | head -c 262144 | file -b -`;
      const f = run("sh", ["-c", head]);
      assert.match(f.stdout, format, `${target}: ${f.stdout}`);
    }
  });

  test("the linux-x64 archive's binary runs here and names its target", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-dist-x-"));
    try {
      const x = run("tar", ["-xzf", join(VERSION_DIR, "sentryctl-linux-x64.tar.gz"), "-C", dir]);
      assert.equal(x.code, 0, x.stderr);
      const v = run(join(dir, "sentryctl"), ["--version"]);
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, versionLine("linux-x64"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("release refuses unknown targets and flags before building anything", () => {
    const out = mkdtempSync(join(tmpdir(), "sentryctl-dist-bad-"));
    try {
      const bad = run(BUN, [
        "scripts/release.ts",
        "--targets",
        "linux-x64,windows-x64",
        "--out",
        out,
      ], REPO_ROOT);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^release: unknown target windows-x64; known: linux-x64,/);
      const flag = run(BUN, ["scripts/release.ts", "--fast"], REPO_ROOT);
      assert.equal(flag.code, 1);
      assert.match(
        flag.stderr,
        /^release: usage: bun scripts\/release\.ts \[--targets a,b\] \[--out DIR\]/,
      );
      assert.deepEqual(readdirSync(out), []);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test("a second build gives the same checksums (reproducible)", () => {
    const out = mkdtempSync(join(tmpdir(), "sentryctl-dist-again-"));
    try {
      // One cross target (its runtime comes from Bun's cache) keeps this to a few seconds.
      const targets = "linux-arm64-musl";
      const r = run(BUN, ["scripts/release.ts", "--targets", targets, "--out", out], REPO_ROOT);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const first = readFileSync(join(VERSION_DIR, "SHA256SUMS"), "utf8").trim().split("\n");
      const again = readFileSync(join(out, "release/v0.1.0/SHA256SUMS"), "utf8").trim();
      assert.equal(again.split("\n").length, 1);
      for (const line of again.split("\n")) {
        assert.ok(first.includes(line), `not in first: ${line}`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
