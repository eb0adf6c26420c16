import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTar } from "./tar.ts";

test("an empty archive is two zero blocks", () => {
  const tar = createTar([]);
  assert.equal(tar.length, 1024);
  assert.ok(tar.every((b) => b === 0));
});

test("a file's header carries name, octal size and mode, and a valid checksum", () => {
  const tar = createTar([{ path: "/etc/relay/config.yml", content: "a: 1\n", mode: 0o600 }]);
  // dir etc/, dir etc/relay/, file header, one data block, two end blocks
  assert.equal(tar.length, 512 * 6);
  const fileHeader = tar.subarray(1024, 1536);
  const text = new TextDecoder().decode(fileHeader);
  assert.equal(text.slice(0, 21), "etc/relay/config.yml\0".slice(0, 21));
  assert.equal(text.slice(100, 107), "0000600");
  assert.equal(text.slice(124, 135), "00000000005");
  assert.equal(text[156], "0");
  assert.equal(text.slice(257, 262), "ustar");
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : fileHeader[i]!;
  assert.equal(parseInt(text.slice(148, 154), 8), sum);
  assert.equal(new TextDecoder().decode(tar.subarray(1536, 1541)), "a: 1\n");
});

test("paths with '..' or nothing in them are refused", () => {
  assert.throws(() => createTar([{ path: "../x", content: "" }]), /bad path/);
  assert.throws(() => createTar([{ path: "/", content: "" }]), /bad path/);
});

test("GNU tar extracts what it writes: nested dirs, binary content, modes, long paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-tar-"));
  const binary = new Uint8Array(1500).map((_, i) => (i * 7) % 256);
  const long = `${"d".repeat(90)}/${"e".repeat(90)}/file.txt`;
  const archive = join(dir, "a.tar");
  writeFileSync(
    archive,
    createTar([
      { path: "/etc/app/config.yml", content: "key: värde\n" },
      { path: "etc/app/bin.dat", content: binary, mode: 0o755 },
      { path: long, content: "deep" },
    ]),
  );
  const out = join(dir, "out");
  execFileSync("mkdir", [out]);
  execFileSync("tar", ["-xf", archive, "-C", out]);
  assert.equal(readFileSync(join(out, "etc/app/config.yml"), "utf8"), "key: värde\n");
  assert.deepEqual(new Uint8Array(readFileSync(join(out, "etc/app/bin.dat"))), binary);
  assert.equal(statSync(join(out, "etc/app/bin.dat")).mode & 0o777, 0o755);
  assert.equal(readFileSync(join(out, long), "utf8"), "deep");
  assert.equal(execFileSync("tar", ["-tf", archive], { encoding: "utf8" }).split("\n")[0], "etc/");
});
