// Sentry's `tests/sentry/runner/test_initializer.py::test_apply_legacy_settings`, end to end
// through the chain: every legacy setting in the settings file must read back through
// `config get` (the `options` level) exactly as the whole chain (`config show`) sees it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InitializerChain } from "../bootstrap/chain.ts";
import { sentryOptions } from "./state.ts";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";
import { effectiveValue } from "../bootstrap/effective-value.ts";

const SETTINGS_YML = `SENTRY_ADMIN_EMAIL: admin-email
SENTRY_ENABLE_EMAIL_REPLIES: true
SENTRY_SMTP_HOSTNAME: reply-hostname
MAILGUN_API_KEY: mailgun-api-key
SENTRY_REDIS_OPTIONS: {hosts: {0: {host: redis.local, port: 6380}}}
SENTRY_FILESTORE: some-filestore
SENTRY_FILESTORE_OPTIONS: {filestore-foo: filestore-bar}
SENTRY_RELOCATION_BACKEND: some-other-filestore
SENTRY_RELOCATION_OPTIONS: {relocation-baz: relocation-qux}
SENTRY_PROFILES_BACKEND: profiles-filestore
SENTRY_PROFILES_OPTIONS: {profiles-foo: profiles-bar}
GOOGLE_CLIENT_ID: google-id
GOOGLE_CLIENT_SECRET: google-secret
`;
const CONFIG_YML = "system.secret-key: secret-key\nmail.from: mail-from\n";

// [option key, the legacy setting it comes from, expected value]
const CASES: [string, string, unknown][] = [
  ["system.admin-email", "SENTRY_ADMIN_EMAIL", "admin-email"],
  ["mail.enable-replies", "SENTRY_ENABLE_EMAIL_REPLIES", true],
  ["mail.reply-hostname", "SENTRY_SMTP_HOSTNAME", "reply-hostname"],
  ["mail.mailgun-api-key", "MAILGUN_API_KEY", "mailgun-api-key"],
  ["redis.clusters", "SENTRY_REDIS_OPTIONS", {
    default: { hosts: { 0: { host: "redis.local", port: 6380 } } },
  }],
  ["filestore.backend", "SENTRY_FILESTORE", "some-filestore"],
  ["filestore.options", "SENTRY_FILESTORE_OPTIONS", { "filestore-foo": "filestore-bar" }],
  ["filestore.relocation-backend", "SENTRY_RELOCATION_BACKEND", "some-other-filestore"],
  ["filestore.relocation-options", "SENTRY_RELOCATION_OPTIONS", {
    "relocation-baz": "relocation-qux",
  }],
  ["filestore.profiles-backend", "SENTRY_PROFILES_BACKEND", "profiles-filestore"],
  ["filestore.profiles-options", "SENTRY_PROFILES_OPTIONS", { "profiles-foo": "profiles-bar" }],
  ["auth-google.client-id", "GOOGLE_CLIENT_ID", "google-id"],
  ["auth-google.client-secret", "GOOGLE_CLIENT_SECRET", "google-secret"],
  ["mail.from", "(config.yml)", "mail-from"],
];

function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-legacy-"));
  writeFileSync(join(dir, "sentry.conf.yml"), SETTINGS_YML);
  writeFileSync(join(dir, "config.yml"), CONFIG_YML);
  return dir;
}

const chainFor = (dir: string) =>
  new InitializerChain({
    inputs: captureInputs(),
    flags: { config: dir, project: "parity-legacy", verbose: false },
  });

for (const [key, setting, expected] of CASES) {
  test(`test_apply_legacy_settings: config get ${key} sees ${setting}`, async () => {
    const dir = configDir();
    const got = await effectiveValue(chainFor(dir), key, {});
    assert.deepEqual(got, expected);
    const full = await chainFor(dir).configure();
    assert.deepEqual(sentryOptions(full)[key], got, "config show agrees with config get");
  });
}

test("test_apply_legacy_settings: each legacy setting warns once, with Sentry's replacement", async () => {
  const dir = configDir();
  const inputs = captureInputs();
  const chain = new InitializerChain({
    inputs,
    flags: { config: dir, project: "parity-legacy", verbose: false },
  });
  await effectiveValue(chain, "system.admin-email", {});
  const text = inputs.err.join("");
  assert.match(
    text,
    /The SENTRY_ADMIN_EMAIL setting is deprecated\. Please use SENTRY_OPTIONS\['system\.admin-email'\] instead\./,
  );
  assert.match(
    text,
    /The SENTRY_REDIS_OPTIONS setting is deprecated\. Please use SENTRY_OPTIONS\["redis\.clusters"\] instead\. This setting will be removed in Sentry 8\.5\./,
  );
  assert.equal(text.split("SENTRY_ADMIN_EMAIL setting").length - 1, 1);
});
