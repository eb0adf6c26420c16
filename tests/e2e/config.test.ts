// End-to-end: `init` and `config show|get|set|validate|generate-secret-key` through the binary
// (or `bun main.ts` when dist/sentryctl is missing). No Docker needed.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliResult, runCli, testEnv } from "../helpers/cli.ts";

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-conf-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const KEY = "system.secret-key: 'e2e-secret-value-that-must-never-be-printed-0123456'\n";
const env = (extra: Record<string, string> = {}) => testEnv(extra);

/** One clear message: `error: …` first, a hint, no stack trace. */
function assertConfigError(r: CliResult, message: RegExp) {
  assert.equal(r.code, 3, `exit code\n${r.stderr}`);
  assert.equal(r.stderr.match(/(^|\n)error: /g)?.length, 1, `one error line\n${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at |node_modules|\.ts:\d+:\d+\)/, "no stack trace");
}

describe("config show --origin", () => {
  const dir = configDir({
    "config.yml":
      `# comment\n${KEY}system.url-prefix: 'http://sentry.local:9000'\nmail.password: 'hunter2-mail'\n`,
    "sentry.conf.ts": [
      "export default (defaults) => ({",
      "  DEBUG: false,",
      "  SENTRY_SDK_CONFIG: { dsn: 'https://dsnkey42@o1.ingest.sentry.io/1' },",
      "  DATABASES: { default: { ...defaults.DATABASES.default, PASSWORD: 'db-pass-99' } },",
      "});",
      "",
    ].join("\n"),
  });

  test("text: the file and line, the settings file, env and defaults; secrets never appear", async () => {
    const r = await runCli(["--config", dir, "config", "show", "--origin"], {
      env: env({ SENTRY_LOG_FORMAT: "Machine", PG_VERSION: "16" }),
    });
    assert.equal(r.code, 0, r.stderr);
    const line = (key: string) =>
      r.stdout.split("\n").find((l) => l.trimStart().startsWith(`${key} `)) ?? "";
    assert.match(
      line("system.url-prefix"),
      new RegExp(`"http://sentry\\.local:9000"\\s+${dir}/config\\.yml:3$`),
    );
    assert.match(line("system.secret-key"), new RegExp(`"\\*{8}"\\s+${dir}/config\\.yml:2$`));
    assert.match(line("system.logging-format"), /"machine"\s+env SENTRY_LOG_FORMAT$/);
    assert.match(line("mail.host"), /"127\.0\.0\.1"\s+default$/);
    assert.match(line("DEBUG"), new RegExp(`false\\s+${dir}/sentry\\.conf\\.ts$`));
    assert.match(line("PG_VERSION"), /"16"\s+env PG_VERSION$/);
    assert.match(line("TIME_ZONE"), /"UTC"\s+default$/);
    assert.match(line("SECRET_KEY"), /"\*{8}"\s+derived from option system\.secret-key$/);
    assert.match(line("EMAIL_HOST"), /derived from option mail\.host$/);
    for (const secret of ["e2e-secret-value", "hunter2-mail", "dsnkey42", "db-pass-99"]) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} leaked`);
    }
  });

  test("--json: one document with value and origin per key", async () => {
    const r = await runCli(["--config", dir, "config", "show", "--origin", "--json"], {
      env: env(),
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.config_dir, dir);
    assert.deepEqual(doc.files, [join(dir, "config.yml"), join(dir, "sentry.conf.ts")]);
    assert.deepEqual(doc.options["system.url-prefix"], {
      value: "http://sentry.local:9000",
      origin: { kind: "file", path: join(dir, "config.yml"), line: 3, col: 20 },
    });
    assert.deepEqual(doc.options["system.logging-format"], {
      value: "human",
      origin: { kind: "default" },
    });
    assert.equal(doc.settings.DEBUG.origin.path, join(dir, "sentry.conf.ts"));
    assert.equal(doc.settings.DATABASES.value.default.PASSWORD, "********");
    assert.ok(!r.stdout.includes("e2e-secret-value"));
  });

  test("config get reads the effective option; settings too", async () => {
    const url = await runCli(["--config", dir, "config", "get", "system.url-prefix"], {
      env: env(),
    });
    assert.equal(url.code, 0, url.stderr);
    assert.equal(url.stdout, "http://sentry.local:9000\n");
    const port = await runCli(["--config", dir, "config", "get", "mail.port"], { env: env() });
    assert.equal(port.stdout, "25\n");
    const debug = await runCli(["--config", dir, "config", "get", "DEBUG"], { env: env() });
    assert.equal(debug.stdout, "false\n");
    const typo = await runCli(["--config", dir, "config", "get", "system.url-prefx"], {
      env: env(),
    });
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /unknown option 'system\.url-prefx'\nhint: did you mean 'system\.url-prefix'\?/,
    );
  });
});

describe("init", () => {
  test("init in an empty dir, then config validate: exit 0", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sentryctl-init-")), "conf");
    const init = await runCli(["init", dir], { env: env() });
    assert.equal(init.code, 0, init.stderr);
    assert.match(
      readFileSync(join(dir, "config.yml"), "utf8"),
      /^system\.secret-key: '[^']{50}'$/m,
    );
    const v = await runCli(["--config", dir, "config", "validate"], { env: env() });
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, `Configuration OK: ${dir}\n`);
    assert.equal(v.stderr, "");
  });

  test("init --dev writes the dev values, and they validate (DEBUG turns on validate_snuba)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-init-"));
    const init = await runCli(["init", "--dev", dir], { env: env() });
    assert.equal(init.code, 0, init.stderr);
    assert.match(readFileSync(join(dir, "config.yml"), "utf8"), /^mail\.backend: 'console'/m);
    assert.match(readFileSync(join(dir, "sentry.conf.ts"), "utf8"), /^ {2}DEBUG: true,$/m);
    const backend = await runCli(["--config", dir, "config", "get", "EMAIL_BACKEND"], {
      env: env(),
    });
    assert.equal(backend.stdout, "django.core.mail.backends.console.EmailBackend\n");
    const v = await runCli(["--config", dir, "config", "validate"], { env: env() });
    assert.equal(v.code, 0, v.stderr);
  });

  test("a second init without a TTY refuses to overwrite; --no-clobber keeps; --force overwrites", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-init-"));
    await runCli(["init", dir], { env: env() });
    const before = readFileSync(join(dir, "config.yml"), "utf8");
    const again = await runCli(["init", dir], { env: env() });
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`^error: File already exists at '${dir}/config\\.yml'`));
    assert.match(again.stderr, /hint: pass --no-clobber .* or --force/);
    assert.equal(readFileSync(join(dir, "config.yml"), "utf8"), before);
    const kept = await runCli(["init", "--no-clobber", dir], { env: env() });
    assert.equal(kept.code, 0);
    assert.equal(readFileSync(join(dir, "config.yml"), "utf8"), before);
    const forced = await runCli(["init", "--force", dir], { env: env() });
    assert.equal(forced.code, 0);
    assert.notEqual(readFileSync(join(dir, "config.yml"), "utf8"), before, "a new secret key");
  });
});

describe("bad inputs: one clear message, exit 3, no stack trace", () => {
  const CASES: [string, Record<string, string>, RegExp][] = [
    [
      "YAML syntax error",
      { "config.yml": `${KEY}mail.backend: [unclosed\nother: 1\n` },
      /config\.yml:\d+:\d+: .*\n\d+ \| .*\n\s+\^\nhint: /,
    ],
    [
      "a non-mapping document",
      { "config.yml": "- a\n- b\n" },
      /config\.yml:1:1: expected a mapping of keys to values, got a list/,
    ],
    [
      "a wrong type",
      { "config.yml": `${KEY}mail.port: 'twenty-five'\n` },
      /config\.yml:2:12: 'mail\.port': got <class 'str'>, expected integer\n2 \| mail\.port: 'twenty-five'\n {15}\^/,
    ],
    [
      "an empty secret key",
      { "config.yml": "system.secret-key: ''\n" },
      /^error: `system\.secret-key` MUST be set\. Use 'sentryctl config generate-secret-key' to get one\.\nhint: set system\.secret-key in .*config\.yml/,
    ],
    ["a throwing sentry.conf.ts", {
      "sentry.conf.ts": "throw new RangeError('no settings today');\n",
    }, /sentry\.conf\.ts: RangeError: no settings today\nhint: /],
    ["a throwing settings function", {
      "sentry.conf.ts": "export default () => { throw new Error('nope'); };\n",
    }, /sentry\.conf\.ts: Error: nope\nhint: the default export threw/],
    [
      "a sentry.conf.yml setting of the wrong type",
      { "sentry.conf.yml": "DEBUG: true\nSENTRY_DEVSERVICES: [redis]\n" },
      /sentry\.conf\.yml:2:21: SENTRY_DEVSERVICES: expected a mapping, got a list\n2 \| SENTRY_DEVSERVICES: \[redis\]\n/,
    ],
    [
      "a store-only option",
      { "config.yml": `${KEY}status.token: abc\n` },
      /'status\.token' is not allowed to be loaded from config/,
    ],
    [
      "SENTRY_LOG_LEVEL in lower case",
      { "config.yml": KEY },
      /^error: debug is not a valid logging level\.\n/,
    ],
    [
      "snuba required but the eventstream is not",
      {
        "config.yml": KEY,
        "sentry.conf.yml": "SENTRY_EVENTSTREAM: sentry.eventstream.base.EventStream\n",
      },
      /!! {16}It appears that you are requiring Snuba, {15}!!\n[^]*error: Cannot continue without Snuba configured correctly\.\n/,
    ],
  ];
  for (const [name, files, message] of CASES) {
    test(name, async () => {
      const dir = configDir(files);
      const extra: Record<string, string> = name.startsWith("SENTRY_LOG_LEVEL")
        ? { SENTRY_LOG_LEVEL: "debug" }
        : {};
      const r = await runCli(["--config", dir, "config", "validate"], { env: env(extra) });
      assertConfigError(r, message);
      assert.equal(r.stdout, "");
    });
  }

  test("an unknown option only warns: exit 0", async () => {
    const dir = configDir({ "config.yml": `${KEY}not.an-option: 1\n` });
    const r = await runCli(["--config", dir, "config", "validate"], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "* Unknown config option found: 'not.an-option'\n");
    assert.equal(r.stdout, `Configuration OK: ${dir} (1 warning)\n`);
  });

  test("legacy settings warn with Sentry's deprecation text and still work", async () => {
    const dir = configDir({
      "config.yml": KEY,
      "sentry.conf.yml": "EMAIL_HOST: smtp.example\nTIME_ZONE: Europe/Paris\n",
    });
    const r = await runCli(["--config", dir, "config", "get", "EMAIL_HOST"], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "smtp.example\n");
    assert.match(
      r.stderr,
      new RegExp(
        `${dir}/sentry\\.conf\\.yml:1: DeprecatedSettingWarning: The EMAIL_HOST setting is deprecated\\. Please use SENTRY_OPTIONS\\['mail\\.host'\\] instead\\.\n`,
      ),
    );
    assert.ok(
      r.stderr.includes(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!                                !!\n!! TIME_ZONE should be set to UTC !!\n",
      ),
    );
  });
});

describe("config set, generate-secret-key", () => {
  test("set keeps comments and key order, converts to the option's type, and validates", async () => {
    const text =
      `# top comment\nmail.backend: 'smtp'  # Use dummy to disable\n# mail.port: 25\n${KEY}\n# end\n`;
    const dir = configDir({ "config.yml": text });
    const port = await runCli(["--config", dir, "config", "set", "mail.port", "2525"], {
      env: env(),
    });
    assert.equal(port.code, 0, port.stderr);
    const backend = await runCli(["--config", dir, "config", "set", "mail.backend", "console"], {
      env: env(),
    });
    assert.equal(backend.code, 0, backend.stderr);
    assert.equal(
      readFileSync(join(dir, "config.yml"), "utf8"),
      `# top comment\nmail.backend: 'console' # Use dummy to disable\n# mail.port: 25\n${KEY}mail.port: 2525\n\n# end\n`,
    );
    const got = await runCli(["--config", dir, "config", "get", "mail.port"], { env: env() });
    assert.equal(got.stdout, "2525\n");
    const bad = await runCli(["--config", dir, "config", "set", "mail.port", "many"], {
      env: env(),
    });
    // Sentry's InvalidTypeError: a configuration problem (exit 3) naming the type.
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /^error: 'many' is not a valid integer\n/);
    const storeOnly = await runCli(["--config", dir, "config", "set", "status.token", "x"], {
      env: env(),
    });
    assert.equal(storeOnly.code, 3);
  });

  test("generate-secret-key prints 50 characters from Sentry's alphabet", async () => {
    const r = await runCli(["config", "generate-secret-key"], { env: env() });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^[a-z0-9!@#%^&*(\-_=+)]{50}\n$/);
  });
});
