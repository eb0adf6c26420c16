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

describe("sentry.conf.py is read with python3 (needs python3: scripts/ci/install-deps.sh)", () => {
  const PY = [
    "from sentry.conf.server import *  # NOQA",
    "SENTRY_SINGLE_ORGANIZATION = True",
    "SENTRY_OPTIONS[\"system.admin-email\"] = f\"ops@{env('PARITY_DOMAIN', 'example.com')}\"",
    'SENTRY_FEATURES.update({f: True for f in ("organizations:discover",)})',
    "",
  ].join("\n");

  test("settings and options it assigns read back through config get; env() overrides apply", async () => {
    const dir = configDir({ "config.yml": KEY, "sentry.conf.py": PY });
    const env = testEnv();
    const single = await runCli(["--config", dir, "config", "get", "SENTRY_SINGLE_ORGANIZATION"], {
      env,
    });
    assert.equal(single.code, 0, single.stderr);
    assert.equal(single.stdout, "true\n");
    const email = await runCli(["--config", dir, "config", "get", "system.admin-email"], { env });
    assert.equal(email.stdout, "ops@example.com\n");
    const fromEnv = await runCli(["--config", dir, "config", "get", "system.admin-email"], {
      env: testEnv({ PARITY_DOMAIN: "corp.example" }),
    });
    assert.equal(fromEnv.stdout, "ops@corp.example\n");
    const features = await runCli(["--config", dir, "config", "get", "SENTRY_FEATURES"], { env });
    assert.match(features.stdout, /"organizations:discover":true/);
  });

  test("a Python error: exit 3, Sentry's ConfigurationError wording, file:line, no stack trace", async () => {
    const dir = configDir({ "config.yml": KEY, "sentry.conf.py": "import os\n\nDEBUG = nope\n" });
    const r = await runCli(["--config", dir, "config", "get", "DEBUG"], { env: testEnv() });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(
      r.stderr.split("\n")[0],
      `error: ${dir}/sentry.conf.py:3:9: ConfigurationError: NameError: name 'nope' is not defined`,
    );
    assert.doesNotMatch(r.stderr, /Traceback|\n\s+at /);
  });

  test("no python3: the file is reported as not read, with a hint, and the defaults apply", async () => {
    const dir = configDir({ "config.yml": KEY, "sentry.conf.py": "DEBUG = False\n" });
    const r = await runCli(["--config", dir, "config", "get", "DEBUG"], {
      env: testEnv({ SENTRYCTL_PYTHON: "/nonexistent/python3" }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "true\n");
    assert.match(
      r.stderr,
      /warning: .*sentry\.conf\.py is not read: \/nonexistent\/python3 was not found \(hint: install python3/,
    );
  });

  test("precedence .ts > .yml > .py: the others are named in one warning", async () => {
    const dir = configDir({
      "config.yml": KEY,
      "sentry.conf.yml": "DEBUG: false\n",
      "sentry.conf.py": "raise RuntimeError('must not run')\n",
    });
    const r = await runCli(["--config", dir, "config", "get", "DEBUG"], { env: testEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "false\n");
    assert.match(
      r.stderr,
      new RegExp(
        `warning: ${dir}/sentry\\.conf\\.py is not read: ${dir}/sentry\\.conf\\.yml takes precedence`,
      ),
    );
  });
});

describe("config directories of relay, symbolicator, clickhouse, chartcuterie (server.py)", () => {
  test("default to the state directory's devservices/<service>; settings override them", async () => {
    const dir = configDir({ "config.yml": KEY });
    const env = testEnv();
    const expected: [string, string][] = [
      ["DEVSERVICES_CONFIG_DIR", `${dir}/devservices`],
      ["RELAY_CONFIG_DIR", `${dir}/devservices/relay`],
      ["SYMBOLICATOR_CONFIG_DIR", `${dir}/devservices/symbolicator`],
      ["CHARTCUTERIE_CONFIG_DIR", `${dir}/devservices/chartcuterie`],
    ];
    for (const [key, value] of expected) {
      const r = await runCli(["--config", dir, "config", "get", key], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${value}\n`, key);
    }
    assert.equal(existsSync(join(dir, "devservices")), false, "nothing written by config get");
    const custom = configDir({
      "config.yml": KEY,
      "sentry.conf.yml":
        "DEVSERVICES_CONFIG_DIR: /srv/sentry/config\nRELAY_CONFIG_DIR: /srv/relay\n",
    });
    const relay = await runCli(["--config", custom, "config", "get", "RELAY_CONFIG_DIR"], { env });
    assert.equal(relay.stdout, "/srv/relay\n");
    const sym = await runCli(["--config", custom, "config", "get", "SYMBOLICATOR_CONFIG_DIR"], {
      env,
    });
    assert.equal(sym.stdout, "/srv/sentry/config/symbolicator\n");
  });
});
