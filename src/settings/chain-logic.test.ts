// bootstrap_options, apply_legacy_settings, derived defaults and CSRF origins: the pure parts of
// the chain, case by case.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { defaultOptions } from "../options/index.ts";
import { bootstrapOptions, OPTIONS_MAPPER, SINGLE_ORG_MAPPER } from "./bootstrap-options.ts";
import { defaultSettings, type Settings } from "./defaults.ts";
import { applyDerivedDefaults } from "./derived.ts";
import { applyLegacySettings } from "./legacy.ts";
import { csrfTrustedOrigins } from "./validators/csrf.ts";
import { type DeprecatedSetting, deprecatedSettingText } from "./warnings.ts";

// Expected texts are stated literally: importing them from the module under test would let a
// wrong text pass.
const SECRET_KEY_MESSAGE =
  "`system.secret-key` MUST be set. Use 'sentryctl config generate-secret-key' to get one.";
const REDIS_BOTH_MESSAGE =
  "Cannot specify both SENTRY_OPTIONS['redis.clusters'] option and SENTRY_REDIS_OPTIONS setting.";
const EAGER_TASKS_WARNING =
  "Sentry is configured to run asynchronous tasks in-process. This is not recommended within production environments. See https://develop.sentry.dev/backend/application/domains/tasks/ for more information.";
const FIRST_TIME_ORIGINS = ["http://localhost:9000", "http://127.0.0.1:9000"];

function boot(extra: Settings, file: Record<string, unknown>, mapper = OPTIONS_MAPPER) {
  const settings = { ...defaultSettings({}), ...extra };
  const warnings: string[] = [];
  const result = bootstrapOptions(
    settings,
    file,
    mapper,
    defaultOptions({}),
    (setting, key) =>
      warnings.push(deprecatedSettingText({ setting, replacement: `SENTRY_OPTIONS['${key}']` })),
  );
  return { settings, warnings, result };
}

describe("bootstrap_options", () => {
  test("config.yml wins over a legacy setting, which then gives no warning", () => {
    const { settings, warnings } = boot({ EMAIL_HOST: "legacy" }, { "mail.host": "file" });
    assert.equal(settings.EMAIL_HOST, "file");
    assert.deepEqual(warnings, []);
  });

  test("a legacy setting alone is copied into SENTRY_OPTIONS with Sentry's warning", () => {
    const { settings, warnings, result } = boot({ EMAIL_HOST: "legacy" }, {});
    assert.equal((settings.SENTRY_OPTIONS as Settings)["mail.host"], "legacy");
    assert.deepEqual(warnings, [
      "The EMAIL_HOST setting is deprecated. Please use SENTRY_OPTIONS['mail.host'] instead.",
    ]);
    assert.equal(result.fromLegacy.get("mail.host"), "EMAIL_HOST");
  });

  test("mail.backend aliases map to Django backends; other values pass through", () => {
    assert.equal(
      boot({}, { "mail.backend": "console" }).settings.EMAIL_BACKEND,
      "django.core.mail.backends.console.EmailBackend",
    );
    assert.equal(boot({}, { "mail.backend": "my.Backend" }).settings.EMAIL_BACKEND, "my.Backend");
    assert.equal(
      boot({}, {}).settings.EMAIL_BACKEND,
      "django.core.mail.backends.smtp.EmailBackend",
    );
  });

  test("SENTRY_OPTIONS from the settings file is kept, config.yml overrides it", () => {
    const { settings } = boot(
      { SENTRY_OPTIONS: { "mail.port": 2525, "mail.host": "s" } },
      { "mail.host": "f" },
    );
    assert.deepEqual(settings.SENTRY_OPTIONS, { "mail.port": 2525, "mail.host": "f" });
    assert.equal(settings.EMAIL_PORT, 2525);
  });

  test("single organization: github-app.* drives GITHUB_APP_ID (it comes last)", () => {
    const mapper = { ...OPTIONS_MAPPER, ...SINGLE_ORG_MAPPER };
    const { settings } = boot(
      {},
      { "github-login.client-id": "login", "github-app.client-id": "app" },
      mapper,
    );
    assert.equal(settings.GITHUB_APP_ID, "app");
    const plain = boot({}, { "github-login.client-id": "login", "github-app.client-id": "app" });
    assert.equal(plain.settings.GITHUB_APP_ID, "login");
  });

  test("single organization: a legacy GITHUB_APP_ID fills both keys, with two warnings", () => {
    const mapper = { ...OPTIONS_MAPPER, ...SINGLE_ORG_MAPPER };
    const { settings, warnings } = boot({ GITHUB_APP_ID: "id" }, {}, mapper);
    const options = settings.SENTRY_OPTIONS as Settings;
    assert.equal(options["github-login.client-id"], "id");
    assert.equal(options["github-app.client-id"], "id");
    assert.equal(warnings.length, 2);
  });
});

function legacy(extra: Settings, options: Settings = { "system.secret-key": "k" }) {
  const settings: Settings = {
    ...defaultSettings({}),
    SENTRY_DEFAULT_OPTIONS: defaultOptions({}),
    ...extra,
    SENTRY_OPTIONS: { ...options },
  };
  const deprecated: DeprecatedSetting[] = [];
  const boxes: string[] = [];
  const run = () =>
    applyLegacySettings(settings, {}, {
      deprecated: (w) => deprecated.push(w),
      bigError: (m) => boxes.push(m),
      secretKeyHint: "hint",
    });
  return { settings, deprecated, boxes, run };
}

describe("apply_legacy_settings", () => {
  test("old settings become options with a warning, unless the option is set", () => {
    const l = legacy({ SENTRY_ADMIN_EMAIL: "a@b", GOOGLE_CLIENT_ID: "g" }, {
      "system.secret-key": "k",
      "auth-google.client-id": "set",
    });
    l.run();
    const options = l.settings.SENTRY_OPTIONS as Settings;
    assert.equal(options["system.admin-email"], "a@b");
    assert.equal(options["auth-google.client-id"], "set");
    assert.deepEqual(l.deprecated.map(deprecatedSettingText), [
      "The SENTRY_ADMIN_EMAIL setting is deprecated. Please use SENTRY_OPTIONS['system.admin-email'] instead.",
    ]);
  });

  test("SENTRY_REDIS_OPTIONS: deprecated (removed in 8.5), or fatal next to redis.clusters", () => {
    const l = legacy({ SENTRY_REDIS_OPTIONS: { hosts: {} } });
    l.run();
    assert.deepEqual((l.settings.SENTRY_OPTIONS as Settings)["redis.clusters"], {
      default: { hosts: {} },
    });
    assert.equal(
      deprecatedSettingText(l.deprecated[0]!),
      'The SENTRY_REDIS_OPTIONS setting is deprecated. Please use SENTRY_OPTIONS["redis.clusters"] instead. This setting will be removed in Sentry 8.5.',
    );
    const both = legacy({ SENTRY_REDIS_OPTIONS: {} }, {
      "system.secret-key": "k",
      "redis.clusters": {},
    });
    assert.throws(
      both.run,
      (e: unknown) => e instanceof SentryctlError && e.message === REDIS_BOTH_MESSAGE,
    );
  });

  test("without SENTRY_REDIS_OPTIONS it is the default cluster (back-compat)", () => {
    const l = legacy({});
    l.run();
    assert.deepEqual(l.settings.SENTRY_REDIS_OPTIONS, {
      hosts: { 0: { host: "127.0.0.1", port: 6379 } },
    });
  });

  test("TIME_ZONE other than UTC: a big error, and startup continues", () => {
    const l = legacy({ TIME_ZONE: "Europe/Paris" });
    l.run();
    assert.deepEqual(l.boxes, ["TIME_ZONE should be set to UTC"]);
  });

  test("ALLOWED_HOSTS, SENTRY_ALLOW_REGISTRATION and DEFAULT_FROM_EMAIL", () => {
    const l = legacy({ SENTRY_ALLOW_REGISTRATION: false }, {
      "system.secret-key": "k",
      "mail.from": "me@x",
    });
    l.run();
    assert.deepEqual(l.settings.ALLOWED_HOSTS, ["*"]);
    assert.equal((l.settings.SENTRY_FEATURES as Settings)["auth:register"], false);
    assert.equal(
      deprecatedSettingText(l.deprecated[0]!),
      'The SENTRY_ALLOW_REGISTRATION setting is deprecated. Please use SENTRY_FEATURES["auth:register"] instead.',
    );
    assert.equal(l.settings.DEFAULT_FROM_EMAIL, "me@x");
    const d = legacy({ ALLOWED_HOSTS: ["a"] });
    d.run();
    assert.deepEqual(d.settings.ALLOWED_HOSTS, ["a"]);
    assert.equal(d.settings.DEFAULT_FROM_EMAIL, "root@localhost");
  });

  for (
    const [name, options] of [
      ["missing", {}],
      ["empty", { "system.secret-key": "" }],
      ["null", { "system.secret-key": null }],
    ] as const
  ) {
    test(`the secret key check: ${name} is fatal with Sentry's message`, () => {
      const l = legacy({}, options);
      assert.throws(
        l.run,
        (e: unknown) =>
          e instanceof SentryctlError && e.exitCode === 3 && e.message === SECRET_KEY_MESSAGE,
      );
    });
  }
  test("the secret key message begins and ends with Sentry's backticked wording", () => {
    assert.match(
      SECRET_KEY_MESSAGE,
      /^`system\.secret-key` MUST be set\. Use '.+ config generate-secret-key' to get one\.$/,
    );
  });
});

describe("derived defaults", () => {
  test("cookies: SUDO_ and CSRF_ follow SESSION_ unless set", () => {
    const s: Settings = {
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_PATH: "/x",
      CSRF_COOKIE_PATH: "/c",
    };
    const { derived } = applyDerivedDefaults(s);
    assert.equal(s.SUDO_COOKIE_SECURE, true);
    assert.equal(s.SUDO_COOKIE_DOMAIN, null);
    assert.equal(s.SUDO_COOKIE_PATH, "/x");
    assert.equal(s.CSRF_COOKIE_SECURE, true);
    assert.equal(s.CSRF_COOKIE_PATH, "/c");
    assert.equal(derived.has("CSRF_COOKIE_PATH"), false);
  });

  test("every cache gets VERSION 2, even one that set its own (Sentry's hasattr quirk)", () => {
    const s: Settings = { CACHES: { default: { BACKEND: "x", VERSION: 7 }, other: {} } };
    applyDerivedDefaults(s);
    assert.deepEqual(s.CACHES, { default: { BACKEND: "x", VERSION: 2 }, other: { VERSION: 2 } });
  });

  test("single organization disables organizations:create; eager tasks warn without DEBUG", () => {
    const s: Settings = {
      SENTRY_SINGLE_ORGANIZATION: true,
      TASKWORKER_ALWAYS_EAGER: true,
      DEBUG: false,
    };
    const { warnings } = applyDerivedDefaults(s);
    assert.equal((s.SENTRY_FEATURES as Settings)["organizations:create"], false);
    assert.deepEqual(warnings, [EAGER_TASKS_WARNING]);
    assert.deepEqual(
      applyDerivedDefaults({ TASKWORKER_ALWAYS_EAGER: true, DEBUG: true }).warnings,
      [],
    );
  });
});

describe("CSRF trusted origins", () => {
  const CASES: [string, Settings, unknown, string[] | undefined][] = [
    [
      "not self-hosted",
      { SENTRY_SELF_HOSTED: false, CSRF_TRUSTED_ORIGINS: [] },
      "http://x",
      undefined,
    ],
    [
      "already set",
      { SENTRY_SELF_HOSTED: true, CSRF_TRUSTED_ORIGINS: ["a"] },
      "http://x",
      undefined,
    ],
    ["the URL prefix", { SENTRY_SELF_HOSTED: true, CSRF_TRUSTED_ORIGINS: [] }, "http://x", [
      "http://x",
    ]],
    [
      "first-time users",
      { SENTRY_SELF_HOSTED: true, CSRF_TRUSTED_ORIGINS: [] },
      "",
      FIRST_TIME_ORIGINS,
    ],
  ];
  for (const [name, settings, prefix, expected] of CASES) {
    test(name, () => assert.deepEqual(csrfTrustedOrigins(settings, prefix), expected));
  }
});

describe("apply_legacy_settings: every legacy option mapping", () => {
  // The twelve pairs of Sentry's list, stated literally so a dropped or mistyped pair fails.
  const PAIRS: [string, string][] = [
    ["SENTRY_ADMIN_EMAIL", "system.admin-email"],
    ["SENTRY_ENABLE_EMAIL_REPLIES", "mail.enable-replies"],
    ["SENTRY_SMTP_HOSTNAME", "mail.reply-hostname"],
    ["MAILGUN_API_KEY", "mail.mailgun-api-key"],
    ["SENTRY_FILESTORE", "filestore.backend"],
    ["SENTRY_FILESTORE_OPTIONS", "filestore.options"],
    ["SENTRY_RELOCATION_BACKEND", "filestore.relocation-backend"],
    ["SENTRY_RELOCATION_OPTIONS", "filestore.relocation-options"],
    ["SENTRY_PROFILES_BACKEND", "filestore.profiles-backend"],
    ["SENTRY_PROFILES_OPTIONS", "filestore.profiles-options"],
    ["GOOGLE_CLIENT_ID", "auth-google.client-id"],
    ["GOOGLE_CLIENT_SECRET", "auth-google.client-secret"],
  ];
  for (const [old, key] of PAIRS) {
    test(`${old} → SENTRY_OPTIONS['${key}'] with a deprecation warning`, () => {
      const value = `value-of-${old}`;
      const l = legacy({ [old]: value });
      l.run();
      assert.equal((l.settings.SENTRY_OPTIONS as Settings)[key], value);
      assert.deepEqual(l.deprecated.map(deprecatedSettingText), [
        `The ${old} setting is deprecated. Please use SENTRY_OPTIONS['${key}'] instead.`,
      ]);
    });
  }
});
