// The file-facing parts of the settings module: YAML loading with positions and Python types,
// settings types, `config set` editing, `init` and redaction.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SentryctlError } from "../errors.ts";
import { withOption } from "./edit.ts";
import { initConfigDir, type InitOptions } from "./init-files.ts";
import { redactOption, redactSetting } from "./redact.ts";
import { checkSetting } from "./schema.ts";
import { generateSecretKey } from "./secret-key.ts";
import { loadYamlMapping, loadYamlMappingFull } from "../formats/yaml-file.ts";
import { fastYamlMapping } from "../formats/yaml-fast.ts";
import { loadYaml } from "../formats/yaml-lib.ts";

// The synchronous users of the library (the full loader, `config set`'s editor) run after it
// has been loaded, as in the CLI.
await loadYaml();

// Stated literally, not imported from the modules under test.
const REDACTED = "********";
const SECRET_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)";

const isConfigError = (pattern: RegExp) => (e: unknown) =>
  e instanceof SentryctlError && e.exitCode === 3 && pattern.test(e.message);

describe("YAML loading", () => {
  test("positions and Python types of top-level values", async () => {
    const m = await loadYamlMapping("c.yml", "a: 1\nb: 1.0\nc: yes\nd:\n  x: 1\ne: 'str'\n", "1.1");
    assert.deepEqual(m.values, { a: 1, b: 1, c: true, d: { x: 1 }, e: "str" });
    assert.deepEqual([...m.types], [["a", "int"], ["b", "float"], ["c", "bool"], ["d", "dict"], [
      "e",
      "str",
    ]]);
    assert.deepEqual(m.positions.get("d"), { line: 5, col: 3 });
    assert.equal((await loadYamlMapping("c.yml", "c: yes\n", "1.2")).values.c, "yes");
  });

  test("empty documents are {}; other documents must be mappings", async () => {
    assert.deepEqual((await loadYamlMapping("c.yml", "")).values, {});
    assert.deepEqual((await loadYamlMapping("c.yml", "# only a comment\n")).values, {});
    await assert.rejects(
      () => loadYamlMapping("c.yml", "- a\n"),
      isConfigError(/^c\.yml:1:1: expected a mapping .* got a list$/),
    );
    await assert.rejects(
      () => loadYamlMapping("c.yml", "just text\n"),
      isConfigError(/got a string/),
    );
  });

  test("syntax errors carry file:line:col, the line and a caret", async () => {
    try {
      await loadYamlMapping("c.yml", "a: 1\nb: [1,\n");
      assert.fail("no error");
    } catch (e) {
      assert.ok(e instanceof SentryctlError);
      assert.match(e.message, /^c\.yml:\d+:\d+: /);
      assert.match(e.details!, /\^$/);
    }
  });

  test("keys must be strings; duplicate keys and alias bombs are configuration errors", async () => {
    await assert.rejects(
      () => loadYamlMapping("c.yml", "a: 1\n1: x\n"),
      isConfigError(/^c\.yml:2:1: keys must be strings/),
    );
    await assert.rejects(
      () => loadYamlMapping("c.yml", "a: 1\na: 2\n"),
      isConfigError(/^c\.yml:2:1: /),
    );
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x]"];
    for (const n of ["b", "c", "d", "e"]) {
      const prev = String.fromCharCode(n.charCodeAt(0) - 1);
      bomb.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    await assert.rejects(
      () => loadYamlMapping("c.yml", bomb.join("\n")),
      isConfigError(/resource exhaustion/),
    );
  });

  test("__proto__ is an ordinary key", async () => {
    const m = await loadYamlMapping("c.yml", "__proto__: {polluted: 1}\n");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(m.values, "__proto__"));
  });
});

describe("settings types", () => {
  const CASES: [string, unknown, string | undefined][] = [
    ["DEBUG", true, undefined],
    ["DEBUG", "yes", 'DEBUG: expected a boolean, got a string ("yes")'],
    ["SENTRY_DEVSERVICES", [], "SENTRY_DEVSERVICES: expected a mapping, got a list"],
    ["ALLOWED_HOSTS", "*", 'ALLOWED_HOSTS: expected a list, got a string ("*")'],
    ["SENTRY_RELAY_PORT", 7899.5, "SENTRY_RELAY_PORT: expected an integer, got a number (7899.5)"],
    ["SESSION_COOKIE_DOMAIN", null, undefined],
    ["TIME_ZONE", null, "TIME_ZONE: expected a string, got null"],
    [
      "SILO_MODE",
      "monolith",
      'SILO_MODE: expected one of "MONOLITH", "CONTROL", "REGION" or null, got a string ("monolith")',
    ],
    ["PG_VERSION", 16, undefined],
    ["SENTRY_METRICS_SAMPLE_RATE", 1, undefined],
    ["SOMETHING_UNKNOWN", 1, undefined],
  ];
  for (const [name, value, expected] of CASES) {
    test(`${name} = ${JSON.stringify(value)}`, () =>
      assert.equal(checkSetting(name, value), expected));
  }
});

describe("config set editing", () => {
  const FILE =
    "# head\n\nmail.backend: 'smtp'  # Use dummy\n# mail.host: 'localhost'\nsystem.secret-key: 'k'\n\n# tail\n";

  test("changes a value in place, keeping comments, blank lines and order", () => {
    const out = withOption("c.yml", FILE, "mail.backend", "console");
    assert.equal(out, FILE.replace("'smtp'  # Use dummy", "'console' # Use dummy"));
  });

  test("adds a new key at the end of the mapping, before trailing comments", () => {
    const out = withOption("c.yml", FILE, "mail.port", 2525);
    assert.match(out, /system\.secret-key: 'k'\nmail\.port: 2525\n/);
    assert.ok(out.startsWith("# head\n"));
    assert.ok(out.includes("# mail.host: 'localhost'"));
  });

  test("a string that YAML 1.1 would read as a boolean is quoted; floats stay floats", () => {
    assert.match(withOption("c.yml", FILE, "mail.host", "yes"), /mail\.host: "yes"/);
    assert.match(withOption("c.yml", "", "a.rate", 2, { float: true }), /a\.rate: 2\.0/);
    assert.match(withOption("c.yml", "mail.port: '25'\n", "mail.port", 26), /^mail\.port: 26\n$/);
  });

  test("an empty file or one with only comments becomes a mapping", () => {
    assert.equal(withOption("c.yml", "", "a.b", "x"), "a.b: x\n");
    assert.equal(withOption("c.yml", "# c\n", "a.b", "x"), "# c\n\na.b: x\n");
  });

  test("a broken file is reported as the loader reports it", () => {
    assert.throws(() => withOption("c.yml", "a: [\n", "a", 1), isConfigError(/^c\.yml:\d+:\d+: /));
    assert.throws(() => withOption("c.yml", "- x\n", "a", 1), isConfigError(/expected a mapping/));
  });
});

describe("init", () => {
  function options(dir: string, extra: Partial<InitOptions> = {}) {
    const lines: string[] = [];
    const asked: string[] = [];
    const opts: InitOptions = {
      dir,
      dev: false,
      noClobber: false,
      force: false,
      interactive: false,
      confirm: (q) => (asked.push(q), Promise.resolve(true)),
      report: (l) => lines.push(l),
      ...extra,
    };
    return { opts, lines, asked };
  }

  test("writes config.yml (owner-only, with a fresh key) then sentry.conf.ts", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sentryctl-init-")), "conf");
    const { opts, lines } = options(dir);
    await initConfigDir(opts);
    assert.deepEqual(lines, [`Created ${dir}/config.yml`, `Created ${dir}/sentry.conf.ts`]);
    const yml = readFileSync(join(dir, "config.yml"), "utf8");
    assert.match(yml, /^mail\.backend: 'smtp'/m);
    assert.match(yml, /^system\.secret-key: '.{50}'$/m);
    assert.equal(statSync(join(dir, "config.yml")).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, "sentry.conf.ts"), "utf8"), /^ {2}DEBUG: false,$/m);
  });

  test("--dev writes the console mail backend and DEBUG true", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-init-"));
    await initConfigDir(options(dir, { dev: true }).opts);
    assert.match(readFileSync(join(dir, "config.yml"), "utf8"), /^mail\.backend: 'console'/m);
    assert.match(readFileSync(join(dir, "sentry.conf.ts"), "utf8"), /^ {2}DEBUG: true,$/m);
  });

  test("existing files: refused without a terminal, kept with --no-clobber, asked on a terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-init-"));
    writeFileSync(join(dir, "config.yml"), "mine: 1\n");
    await assert.rejects(
      initConfigDir(options(dir).opts),
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 1 &&
        e.message.startsWith(`File already exists at '${dir}/config.yml'`),
    );
    assert.equal(existsSync(join(dir, "sentry.conf.ts")), false, "nothing written");

    const kept = options(dir, { noClobber: true });
    await initConfigDir(kept.opts);
    assert.equal(readFileSync(join(dir, "config.yml"), "utf8"), "mine: 1\n");
    assert.deepEqual(kept.lines, [`Kept ${dir}/config.yml`, `Created ${dir}/sentry.conf.ts`]);

    const asked = options(dir, { interactive: true });
    await initConfigDir(asked.opts);
    assert.deepEqual(asked.asked, [
      `File already exists at '${dir}/config.yml', overwrite?`,
      `File already exists at '${dir}/sentry.conf.ts', overwrite?`,
    ]);
    assert.match(readFileSync(join(dir, "config.yml"), "utf8"), /system\.secret-key/);
  });

  test("a file where the directory should be", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sentryctl-init-")), "f");
    writeFileSync(file, "");
    await assert.rejects(
      initConfigDir(options(file).opts),
      isConfigError(/^DIRECTORY must not be a file\.$/),
    );
  });

  // Sentry: tests/sentry/runner/commands/test_init.py::test_no_directory (`init sentry.conf.py`
  // exits non-zero) and discover_configs' legacy `.py`/`.conf` file-path form.
  const FILE_LIKE_CASES: [string, string, boolean, RegExp][] = [
    [
      "test_no_directory: sentry.conf.py",
      "sentry.conf.py",
      false,
      /^DIRECTORY must not be a file\.$/,
    ],
    ["legacy .conf path", "sentry.conf", false, /^DIRECTORY must not be a file\.$/],
    ["our own sentry.conf.ts", "sentry.conf.ts", false, /^DIRECTORY must not be a file\.$/],
    ["a YAML settings file", "sentry.conf.yml", false, /^DIRECTORY must not be a file\.$/],
    ["config.yaml", "config.yaml", false, /^DIRECTORY must not be a file\.$/],
    [
      "an existing sentry.conf.py",
      "sentry.conf.py",
      true,
      /^Found legacy '.*sentry\.conf\.py' file, so aborting\.$/,
    ],
  ];
  for (const [name, file, exists, message] of FILE_LIKE_CASES) {
    test(`a DIRECTORY named like a settings file: ${name} (exit 2, nothing created)`, async () => {
      const parent = mkdtempSync(join(tmpdir(), "sentryctl-init-"));
      const path = join(parent, file);
      if (exists) writeFileSync(path, "DEBUG = True\n");
      await assert.rejects(initConfigDir(options(path).opts), (e: unknown) => {
        assert.ok(e instanceof SentryctlError);
        assert.equal(e.exitCode, 2);
        assert.match(e.message, message);
        assert.match(e.hint ?? "", /pass the directory that holds it/);
        return true;
      });
      assert.equal(exists ? statSync(path).isFile() : existsSync(path), exists);
    });
  }

  test("an existing sentry.conf.py is not shadowed by a new sentry.conf.ts (unless --force)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-init-"));
    writeFileSync(join(dir, "sentry.conf.py"), "DEBUG = True\n");
    const kept = options(dir);
    await initConfigDir(kept.opts);
    assert.deepEqual(kept.lines, [
      `Created ${dir}/config.yml`,
      `Kept ${dir}/sentry.conf.py (a new sentry.conf.ts would shadow it; --force writes one)`,
    ]);
    assert.equal(existsSync(join(dir, "sentry.conf.ts")), false);
    const forced = options(dir, { force: true });
    await initConfigDir(forced.opts);
    assert.equal(existsSync(join(dir, "sentry.conf.ts")), true);
  });

  test("secret keys: 50 characters from Sentry's alphabet, never the same twice", () => {
    const a = generateSecretKey();
    assert.equal(a.length, 50);
    assert.ok([...a].every((c) => SECRET_KEY_ALPHABET.includes(c)));
    assert.notEqual(a, generateSecretKey());
  });
});

describe("redaction", () => {
  test("credential options, secret-looking keys at any depth and URL user info", () => {
    assert.equal(redactOption("system.secret-key", "abc"), REDACTED);
    assert.equal(redactOption("mail.password", "p"), REDACTED);
    assert.equal(redactOption("mail.password", ""), "");
    assert.equal(redactOption("mail.host", "h"), "h");
    assert.deepEqual(redactOption("filestore.options", { access_key: "A", bucket_name: "b" }), {
      access_key: REDACTED,
      bucket_name: "b",
    });
    assert.equal(redactSetting("SECRET_KEY", "abc"), REDACTED);
    assert.deepEqual(redactSetting("DATABASES", { default: { PASSWORD: "p", NAME: "n" } }), {
      default: { PASSWORD: REDACTED, NAME: "n" },
    });
    assert.deepEqual(redactSetting("SENTRY_SDK_CONFIG", { dsn: "https://k@x/1", release: "r" }), {
      dsn: REDACTED,
      release: "r",
    });
    assert.equal(
      redactSetting("BROKER_URL", "redis://:pw@localhost:6379"),
      `redis://${REDACTED}@localhost:6379`,
    );
  });
});

describe("the fast YAML path", () => {
  // [document, takes the fast path in YAML 1.1]
  const CASES: [string, boolean][] = [
    ["a: 1\nb: 'x'\nc: \"y\"\nd: plain text # comment\n", true],
    ["redis.clusters:\n  default:\n    hosts:\n      0:\n        host: 127.0.0.1\n", true],
    ["mail.use-tls: yes\nmail.port: 25\nrate: 0.5\nnone: ~\n", true],
    ["url: http://sentry.local:9000\npath: /tmp/x\n", true],
    ["list:\n  - a\n", true],
    ["flow: {a: 1}\n", true],
    ["ports: {\"6379/tcp\": 6379}\nexec: [redis-cli, 'ping']  # probe\n", true],
    ["list:\n  - a: 1\n", false],
    ["flow: {a: 1,\n  b: 2}\n", false],
    ["flow: {a:1}\n", false],
    ["flow: [a, ]\n", false],
    [`deep: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, false],
    [`nested: ${"[".repeat(17)}${"]".repeat(17)}\n`, false],
    [`nested: ${"[".repeat(16)}${"]".repeat(16)}\n`, true],
    ["octal: 0777\n", false],
    ["date: 2020-01-01\n", false],
    ["anchor: &a 1\n", false],
    ["empty:\n", false],
    ["multi: a\n  b\n", false],
    ['escaped: "a\\tb"\n', false],
    ["0: top-level int key\n", false],
  ];
  for (const [text, fast] of CASES) {
    test(JSON.stringify(text), () => {
      const result = fastYamlMapping(text, "1.1");
      assert.equal(result !== undefined, fast);
      if (result) assert.deepEqual(result, loadYamlMappingFull("f.yml", text, "1.1"));
    });
  }
});
