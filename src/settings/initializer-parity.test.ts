// Sentry's `tests/sentry/runner/test_initializer.py`, replayed through sentryctl's chain with a
// real config directory (`config.yml` + `sentry.conf.yml`). Each test names the Sentry test.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InitializerChain } from "../bootstrap/chain.ts";
import { sentryOptions } from "./state.ts";
import type { StepName } from "../bootstrap/types.ts";
import { captureInputs } from "../../tests/helpers/process-inputs.ts";
import { SentryctlError } from "../errors.ts";
import { SECRET_KEY_MESSAGE } from "./legacy.ts";

function run(files: Record<string, string>, through: StepName) {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-init-parity-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const inputs = captureInputs();
  const chain = new InitializerChain({
    inputs,
    flags: { config: dir, project: "parity-init", verbose: false },
  });
  return { state: chain.through(through), inputs };
}

const MAIL_SETTINGS = [
  "SECRET_KEY: xxx",
  "EMAIL_BACKEND: xxx",
  "EMAIL_HOST: xxx",
  "EMAIL_PORT: 6969",
  "EMAIL_HOST_USER: xxx",
  "EMAIL_HOST_PASSWORD: xxx",
  "EMAIL_USE_TLS: false",
  "EMAIL_USE_SSL: false",
  "SERVER_EMAIL: xxx",
  "EMAIL_SUBJECT_PREFIX: xxx",
].join("\n");

describe("test_initializer.py", () => {
  test("test_bootstrap_options_simple: config.yml prevails over the settings file", async () => {
    const { state } = run({
      "sentry.conf.yml": `${MAIL_SETTINGS}\nSENTRY_OPTIONS: {something.else: true}\n`,
      "config.yml": [
        "foo.bar: my-foo-bar",
        "system.secret-key: my-system-secret-key",
        "mail.backend: my-mail-backend",
        "mail.host: my-mail-host",
        "mail.port: 123",
        "mail.username: my-mail-username",
        "mail.password: my-mail-password",
        "mail.use-tls: true",
        "mail.use-ssl: false",
        "mail.from: my-mail-from",
        "mail.subject-prefix: my-mail-subject-prefix",
        "",
      ].join("\n"),
    }, "bootstrap-options");
    const s = await state;
    assert.deepEqual(sentryOptions(s), {
      "something.else": true,
      "foo.bar": "my-foo-bar",
      "system.secret-key": "my-system-secret-key",
      "mail.backend": "my-mail-backend",
      "mail.host": "my-mail-host",
      "mail.port": 123,
      "mail.username": "my-mail-username",
      "mail.password": "my-mail-password",
      "mail.use-tls": true,
      "mail.use-ssl": false,
      "mail.from": "my-mail-from",
      "mail.subject-prefix": "my-mail-subject-prefix",
    });
    const expected: Record<string, unknown> = {
      SECRET_KEY: "my-system-secret-key",
      EMAIL_BACKEND: "my-mail-backend",
      EMAIL_HOST: "my-mail-host",
      EMAIL_PORT: 123,
      EMAIL_HOST_USER: "my-mail-username",
      EMAIL_HOST_PASSWORD: "my-mail-password",
      EMAIL_USE_TLS: true,
      EMAIL_USE_SSL: false,
      SERVER_EMAIL: "my-mail-from",
      EMAIL_SUBJECT_PREFIX: "my-mail-subject-prefix",
    };
    for (const [name, value] of Object.entries(expected)) {
      assert.equal(s.settings[name], value, name);
    }
  });

  for (const [text, label] of [["1", "a scalar"], ["{{{", "broken YAML"]] as const) {
    test(`test_bootstrap_options_malformed_yml: ${label} is a configuration error`, async () => {
      await assert.rejects(
        run({ "config.yml": text }, "bootstrap-options").state,
        (e: unknown) =>
          e instanceof SentryctlError && e.exitCode === 3 && /config\.yml/.test(e.message),
      );
    });
  }

  test("test_bootstrap_options_no_config: settings alone fill the options, one warning each", async () => {
    const { state, inputs } = run(
      { "sentry.conf.yml": `${MAIL_SETTINGS}\nFOO_BAR: lol\n` },
      "bootstrap-options",
    );
    const s = await state;
    const options = sentryOptions(s);
    assert.equal(options["mail.host"], "xxx");
    assert.equal(options["mail.port"], 6969);
    assert.equal(options["system.secret-key"], "xxx");
    const text = inputs.err.join("");
    for (
      const [setting, key] of [
        ["EMAIL_BACKEND", "mail.backend"],
        ["EMAIL_HOST", "mail.host"],
        ["EMAIL_HOST_PASSWORD", "mail.password"],
        ["EMAIL_HOST_USER", "mail.username"],
        ["EMAIL_PORT", "mail.port"],
        ["EMAIL_SUBJECT_PREFIX", "mail.subject-prefix"],
        ["EMAIL_USE_SSL", "mail.use-ssl"],
        ["EMAIL_USE_TLS", "mail.use-tls"],
        ["SECRET_KEY", "system.secret-key"],
        ["SERVER_EMAIL", "mail.from"],
      ]
    ) {
      assert.ok(
        text.includes(
          `The ${setting} setting is deprecated. Please use SENTRY_OPTIONS['${key}'] instead.`,
        ),
        setting,
      );
    }
  });

  test("test_bootstrap_options_no_config_only_sentry_options: promoted into settings", async () => {
    const { state } = run({
      "sentry.conf.yml": [
        "SENTRY_OPTIONS:",
        "  system.secret-key: my-system-secret-key",
        "  mail.host: my-mail-host",
        "  mail.port: 123",
        "  mail.use-tls: true",
        "  mail.from: my-mail-from",
        "",
      ].join("\n"),
    }, "bootstrap-options");
    const s = await state;
    assert.equal(s.settings.SECRET_KEY, "my-system-secret-key");
    assert.equal(s.settings.EMAIL_HOST, "my-mail-host");
    assert.equal(s.settings.EMAIL_PORT, 123);
    assert.equal(s.settings.EMAIL_USE_TLS, true);
    assert.equal(s.settings.SERVER_EMAIL, "my-mail-from");
  });

  test("test_bootstrap_options_mail_aliases: SENTRY_EMAIL_BACKEND_ALIASES maps mail.backend", async () => {
    const { state } = run({
      "sentry.conf.yml":
        "SENTRY_EMAIL_BACKEND_ALIASES: {dummy: alias-for-dummy}\nSENTRY_OPTIONS: {mail.backend: dummy}\n",
    }, "bootstrap-options");
    assert.equal((await state).settings.EMAIL_BACKEND, "alias-for-dummy");
  });

  test("test_bootstrap_options_empty_file: an empty config.yml gives no options", async () => {
    const { state } = run({ "config.yml": "" }, "bootstrap-options");
    assert.deepEqual(sentryOptions(await state), {});
  });

  test("test_require_secret_key: config.yml without system.secret-key is fatal", async () => {
    await assert.rejects(
      run({ "config.yml": "mail.host: x\n" }, "legacy-settings").state,
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 3 && e.message === SECRET_KEY_MESSAGE,
    );
  });

  test("test_initialize_app: a secret key in SENTRY_OPTIONS is enough for the whole chain", async () => {
    const { state } = run({
      "config.yml": "mail.host: x\n",
      "sentry.conf.yml": "SENTRY_OPTIONS: {system.secret-key: secret-key}\n",
    }, "csrf-trusted-origins");
    assert.equal(sentryOptions(await state)["system.secret-key"], "secret-key");
  });
});
