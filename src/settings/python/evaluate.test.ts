// sentry.conf.py through python3 (needs python3 on PATH: scripts/ci/install-deps.sh installs
// Debian's). Fixtures in ./fixtures use the constructs real files use: star import, env() with
// defaults, types and overrides, helper functions, f-strings, %-formatting, comprehensions,
// SENTRY_OPTIONS[...] = …, SENTRY_FEATURES.update(...), EXTRA_*, SENTRY_DEVSERVICES edits.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SentryctlError } from "../../errors.ts";
import { BUILTIN_CATALOG } from "../../services/catalog.ts";
import { defaultSettings } from "../defaults.ts";
import { evaluatePySettings } from "./evaluate.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const PATH_ONLY = { PATH: process.env.PATH };
/** Each case starts a Python interpreter: generous on a loaded machine. */
const SLOW = { timeout: 30_000 };

function request(name: string, env: Record<string, string | undefined> = PATH_ONLY) {
  const defaults = defaultSettings(env);
  const devservices = Object.fromEntries(
    Object.entries(BUILTIN_CATALOG).map(([n, e]) => [n, e.build(defaults, {}, env)]),
  );
  return { path: fixture(name), defaults, devservices, env };
}

async function evaluate(name: string, env?: Record<string, string | undefined>) {
  const result = await evaluatePySettings(request(name, env));
  assert.ok(result, "python3 must be installed for this suite (scripts/ci/install-deps.sh)");
  return result;
}

describe("sentry.conf.py read back as data", () => {
  test(
    "env() defaults; every assigned setting is returned, unchanged defaults are not",
    SLOW,
    async () => {
      const { overrides, skipped, printed } = await evaluate("dev.conf.py");
      assert.equal(overrides.CONF_ROOT, fileURLToPath(new URL("./fixtures", import.meta.url)));
      assert.deepEqual(overrides.DATABASES, {
        default: {
          ENGINE: "sentry.db.postgres",
          NAME: "sentry",
          USER: "postgres",
          PASSWORD: "",
          HOST: "127.0.0.1",
          PORT: "",
          AUTOCOMMIT: true,
          ATOMIC_REQUESTS: false,
        },
      });
      assert.equal(overrides.SENTRY_SINGLE_ORGANIZATION, true);
      assert.equal("DEBUG" in overrides, false, "DEBUG = env(..., True) equals the default");
      assert.equal(overrides.SENTRY_WEB_PORT, 9000);
      assert.deepEqual(overrides.SENTRY_WEB_OPTIONS, { http: "0.0.0.0:9000", workers: 2 });
      // Names sentryctl has no default for come back whenever the file has them.
      assert.deepEqual(overrides.INSTALLED_APPS, []);
      assert.equal(
        (overrides.LOGGING as { default_level: string }).default_level,
        "INFO",
      );
      assert.deepEqual(overrides.SENTRY_OPTIONS, {
        "redis.clusters": {
          default: {
            hosts: { 0: { host: "127.0.0.1", port: 6379 }, 1: { host: "127.0.0.1", port: 6380 } },
          },
        },
        "system.admin-email": "admin@example.com",
      });
      assert.deepEqual(overrides.SENTRY_FEATURES, {
        "auth:register": true,
        "organizations:create": true,
        "projects:sample-events": false,
        "organizations:discover": true,
        "projects:plugins": true,
      });
      assert.deepEqual(overrides.KAFKA_CLUSTERS, {
        default: { "bootstrap.servers": "kafka:9092", "message.max.bytes": 50000000 },
      });
      assert.deepEqual(overrides.EXTRA_CSRF_TRUSTED_ORIGINS, ["http://dev.local:9000"]);
      assert.deepEqual(overrides.ALLOWED_HOSTS, ["localhost", "127.0.0.1"], "tuples become lists");
      assert.equal("SENTRY_USE_RELAY" in overrides, false, "bool('') is the default False");
      // Only what changed in the catalog: one field of redis, bigtable removed.
      assert.deepEqual(overrides.SENTRY_DEVSERVICES, {
        redis: { image: "local/redis:7" },
        bigtable: null,
      });
      assert.deepEqual(skipped, [
        { name: "UNITS", reason: "a set" },
        { name: "SENTRY_HELPER", reason: "a type" },
      ]);
      assert.equal(printed, "evaluated dev.conf.py\n");
    },
  );

  test(
    "env() overrides from the environment, converted by the default's type or type=",
    SLOW,
    async () => {
      const { overrides } = await evaluate("dev.conf.py", {
        ...PATH_ONLY,
        PARITY_DB_NAME: "other",
        PARITY_DEBUG: "off",
        PARITY_PORT: "9100",
        PARITY_MAIL_DOMAIN: "corp.example",
        PARITY_RELAY: "0",
      });
      assert.equal((overrides.DATABASES as { default: { NAME: string } }).default.NAME, "other");
      assert.equal(overrides.DEBUG, false);
      assert.equal(overrides.SENTRY_WEB_PORT, 9100);
      assert.equal(
        (overrides.SENTRY_OPTIONS as Record<string, unknown>)["system.admin-email"],
        "admin@corp.example",
      );
      assert.equal(overrides.SENTRY_USE_RELAY, true, "bool('0') is True in Python");
    },
  );

  test(
    "add_settings rules: a str INSTALLED_APPS becomes a 1-tuple; EXTRA_ is returned as is",
    SLOW,
    async () => {
      const { overrides } = await evaluate("extra.conf.py");
      const names = ["INSTALLED_APPS", "EXTRA_SENTRY_METRICS_SKIP_INTERNAL_PREFIXES", "_PRIVATE"];
      assert.deepEqual(Object.fromEntries(names.map((n) => [n, overrides[n]])), {
        INSTALLED_APPS: ["my_app"],
        EXTRA_SENTRY_METRICS_SKIP_INTERNAL_PREFIXES: ["a.", "b."],
        // Python's "_PRIVATE".isupper() is true, so Sentry copies it; the overlay drops it.
        _PRIVATE: 2,
      });
    },
  );
});

describe("errors keep Sentry's ConfigurationError form with the traceback's file:line", () => {
  const CASES: [string, RegExp, RegExp][] = [
    [
      "broken_runtime.conf.py",
      /broken_runtime\.conf\.py:5:12: ConfigurationError: KeyError: 'no-such-key'$/,
      /^5 \| {5}return SENTRY_OPTIONS\["no-such-key"\]\n {15}\^$/,
    ],
    [
      "broken_syntax.conf.py",
      /broken_syntax\.conf\.py:3:18: ConfigurationError: SyntaxError: '\{' was never closed$/,
      /^3 \| SENTRY_OPTIONS = \{\n/,
    ],
    [
      "missing_module.conf.py",
      /missing_module\.conf\.py:2:1: ConfigurationError: ModuleNotFoundError: No module named 'sentry\.runner'/,
      /^2 \| import sentry\.runner\.settings/,
    ],
  ];
  for (const [name, message, details] of CASES) {
    test(name, SLOW, async () => {
      await assert.rejects(evaluatePySettings(request(name)), (e: unknown) => {
        assert.ok(e instanceof SentryctlError);
        assert.equal(e.exitCode, 3);
        assert.match(e.message, message);
        assert.match(e.details ?? "", details);
        return true;
      });
    });
  }

  test("bounded in time: a file that hangs is stopped at the deadline", SLOW, async () => {
    const started = performance.now();
    await assert.rejects(
      evaluatePySettings({ ...request("slow.conf.py"), timeoutMs: 700 }),
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 3 &&
        /slow\.conf\.py: evaluating the settings file took longer than 0\.7 s$/.test(e.message),
    );
    assert.ok(performance.now() - started < 5000);
  });

  test("no interpreter: undefined (the caller warns)", SLOW, async () => {
    const result = await evaluatePySettings({
      ...request("extra.conf.py"),
      python: "/nonexistent/python3",
    });
    assert.equal(result, undefined);
  });
});

describe("hostile files", () => {
  test(
    "non-plain values are skipped by name; fd-1 writes and big prints do not spoil the answer",
    SLOW,
    async () => {
      const { overrides, skipped, printed } = await evaluate("hostile.conf.py");
      assert.deepEqual(skipped.map((s) => s.name).sort(), ["LOOP", "NAN", "RAW", "TUPLE_KEYS"]);
      assert.deepEqual(Object.fromEntries(skipped.map((s) => [s.name, s.reason])), {
        LOOP: "nested more than 64 levels deep",
        NAN: "a float that is not finite",
        RAW: "a bytes",
        TUPLE_KEYS: "a dict with a tuple key",
      });
      assert.deepEqual(overrides.NESTED, { a: { b: [1, [2, 3], { c: null }] } });
      assert.equal(overrides.BIG, 2 ** 70);
      assert.equal(overrides.INJECTED, "1");
      assert.match(printed, /^straight to fd 1\n/);
      assert.ok(printed.includes("x".repeat(100000)));
    },
  );
});
