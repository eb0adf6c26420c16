// End-to-end parity with Sentry's own test cases (issue #7), through the binary: each case names
// the Sentry test it comes from. No Docker needed.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-parity-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const KEY = "system.secret-key: 'parity-secret-0123456789-0123456789-0123456789-01'\n";

describe("config set refuses what Sentry's option types refuse (test_types.py)", () => {
  const CASES: [string, string, string, string][] = [
    ["test_dict", "filestore.options", "{foo: b: ar}", "'{foo: b: ar}' is not a valid dictionary"],
    ["test_dict", "filestore.options", "[]", "'[]' is not a valid dictionary"],
    [
      "test_sequence",
      "github-login.extended-permissions",
      "[1,",
      "'[1,' is not a valid sequence",
    ],
    ["test_sequence", "github-login.extended-permissions", "{}", "'{}' is not a valid sequence"],
  ];
  for (const [sentryTest, key, value, message] of CASES) {
    test(`${sentryTest}: config set ${key} ${JSON.stringify(value)} exits 3, file untouched`, async () => {
      const dir = configDir({ "config.yml": KEY });
      const r = await runCli(["--config", dir, "config", "set", key, value], { env: testEnv() });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stderr.split("\n")[0], `error: ${message}`);
      assert.equal(readFileSync(join(dir, "config.yml"), "utf8"), KEY);
    });
  }

  test("test_dict / test_sequence: well-formed values are written and read back", async () => {
    const dir = configDir({ "config.yml": KEY });
    const env = testEnv();
    const set1 = await runCli(
      ["--config", dir, "config", "set", "filestore.options", "{foo: bar}"],
      {
        env,
      },
    );
    assert.equal(set1.code, 0, set1.stderr);
    const set2 = await runCli(
      ["--config", dir, "config", "set", "github-login.extended-permissions", "[1,2,3]"],
      { env },
    );
    assert.equal(set2.code, 0, set2.stderr);
    const get1 = await runCli(["--config", dir, "config", "get", "filestore.options"], { env });
    assert.equal(get1.stdout, '{"foo":"bar"}\n');
    const get2 = await runCli(
      ["--config", dir, "config", "get", "github-login.extended-permissions"],
      { env },
    );
    assert.equal(get2.stdout, "[1,2,3]\n");
  });
});

describe("config get sees legacy settings (test_apply_legacy_settings)", () => {
  test("SENTRY_ADMIN_EMAIL, MAILGUN_API_KEY, SENTRY_REDIS_OPTIONS, SENTRY_FILESTORE*", async () => {
    const dir = configDir({
      "config.yml": KEY,
      "sentry.conf.yml": [
        "SENTRY_ADMIN_EMAIL: admin@example.com",
        "MAILGUN_API_KEY: mailgun-key",
        "SENTRY_REDIS_OPTIONS: {hosts: {0: {host: redis.local}}}",
        "SENTRY_FILESTORE: s3",
        "SENTRY_FILESTORE_OPTIONS: {bucket_name: b}",
        "",
      ].join("\n"),
    });
    const env = testEnv();
    const expected: [string, string][] = [
      ["system.admin-email", "admin@example.com"],
      ["mail.mailgun-api-key", "mailgun-key"],
      ["redis.clusters", '{"default":{"hosts":{"0":{"host":"redis.local"}}}}'],
      ["filestore.backend", "s3"],
      ["filestore.options", '{"bucket_name":"b"}'],
    ];
    for (const [key, value] of expected) {
      const r = await runCli(["--config", dir, "config", "get", key], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${value}\n`, key);
    }
  });
});

describe("init refuses a DIRECTORY named like a file (test_init.py::test_no_directory)", () => {
  for (const name of ["sentry.conf.py", "sentry.conf.ts", "sentry.conf.yml"]) {
    test(`init ${name}: exit 2, nothing created`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), "sentryctl-parity-init-"));
      const r = await runCli(["init", name], { env: testEnv(), cwd });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.split("\n")[0], "error: DIRECTORY must not be a file.");
      assert.equal(existsSync(join(cwd, name)), false);
    });
  }
});
