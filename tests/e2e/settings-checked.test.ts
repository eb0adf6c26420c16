// End-to-end (issue 19 item 13): service specs in the settings chain are checked before Docker
// sees them. Each bad value the issue lists makes `config validate` and `up --dry-run` exit 3
// naming the file, the key and why; invalid UTF-8 in a settings file is an error at its line.
// No Docker needed: the chain refuses before any engine is asked.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";

function confWith(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-misc-settings-"));
  writeFileSync(join(dir, name), content);
  return dir;
}

const yamlCases: Array<[string, string, RegExp]> = [
  [
    "host port 70000",
    'redis: {ports: {"6379/tcp": 70000}}',
    /\['redis'\]\.ports\['6379\/tcp'\]: host port 70000/,
  ],
  ["host port -1", 'redis: {ports: {"6379/tcp": -1}}', /host port -1 is not a port number/],
  ["host port abc", 'redis: {ports: {"6379/tcp": "abc"}}', /host port 'abc' is not a port number/],
  ["host port 1.5", 'redis: {ports: {"6379/tcp": 1.5}}', /host port 1\.5 is not a port number/],
  ["host port 6379/xyz", 'redis: {ports: {"6379/tcp": "6379/xyz"}}', /host port '6379\/xyz'/],
  ["service ../x", '"../x": {image: "busybox"}', /\['\.\.\/x'\]: a service name may hold only/],
  [
    "service a b\\nc",
    '"a b\\nc": {image: "busybox"}',
    /\['a b\\nc'\]: a service name may hold only/,
  ],
  ["env B=C", 'redis: {environment: {"B=C": 1}}', /\.environment\['B=C'\]: .*cannot contain '='/],
  [
    "env D\\nE",
    'redis: {environment: {"D\\nE": 1}}',
    /\.environment\['D\\nE'\]: .*control characters/,
  ],
];

describe("settings that would reach Docker unchecked", () => {
  for (const [what, entry, why] of yamlCases) {
    test(`sentry.conf.yml with ${what}: config validate and up --dry-run exit 3`, async () => {
      const conf = confWith("sentry.conf.yml", `SENTRY_DEVSERVICES:\n  ${entry}\n`);
      for (const args of [["config", "validate"], ["up", "--dry-run"]]) {
        const r = await runCli(["--config", conf, ...args], { env: testEnv() });
        assert.equal(r.code, 3, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /^error: .*sentry\.conf\.yml:2:3: SENTRY_DEVSERVICES\[/);
        assert.match(r.stderr, why);
        assert.doesNotMatch(r.stdout, /create|pull|start/, "nothing planned");
      }
    });
  }

  test("sentry.conf.ts data with a bad port names the file and the key", async () => {
    const conf = confWith(
      "sentry.conf.ts",
      'export default { SENTRY_DEVSERVICES: { redis: { ports: { "6379/tcp": 70000 } } } };\n',
    );
    const r = await runCli(["--config", conf, "config", "validate"], { env: testEnv() });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /sentry\.conf\.ts: SENTRY_DEVSERVICES\['redis'\]\.ports\['6379\/tcp'\]/);
  });

  test("invalid UTF-8 in a settings file or config.yml is an error at its line, not U+FFFD", async () => {
    const bad = new Uint8Array([
      ...new TextEncoder().encode('SENTRY_DEVSERVICES:\n  redis:\n    environment: {A: "x'),
      0xff,
      ...new TextEncoder().encode('"}\n'),
    ]);
    const conf = confWith("sentry.conf.yml", bad);
    const r = await runCli(["--config", conf, "config", "validate"], { env: testEnv() });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /sentry\.conf\.yml:3:24: not valid UTF-8 \(byte 0xff at offset 52\)/);
    const opts = confWith(
      "config.yml",
      new Uint8Array([...new TextEncoder().encode("mail.from: 'a"), 0xc3, 0x28, 0x27, 0x0a]),
    );
    const o = await runCli(["--config", opts, "config", "validate"], { env: testEnv() });
    assert.equal(o.code, 3, o.stderr);
    assert.match(o.stderr, /config\.yml:1:14: not valid UTF-8 \(byte 0xc3/);
  });
});
