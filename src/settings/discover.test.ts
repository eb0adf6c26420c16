import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SentryctlError } from "../errors.ts";
import { configDirFor, discoverConfig } from "./discover.ts";

const MISSING_CONFIG_MESSAGE =
  "Configuration file does not exist. Use 'sentryctl init' to initialize the file.";

const tmp = () => mkdtempSync(join(tmpdir(), "sentryctl-discover-"));

test("precedence: --config > $SENTRY_CONF > ~/.sentry, with ~ expanded", () => {
  assert.deepEqual(configDirFor("/flag", { SENTRY_CONF: "/env" }, "/home/u"), {
    dir: "/flag",
    source: "flag",
  });
  assert.deepEqual(configDirFor(undefined, { SENTRY_CONF: "~/conf" }, "/home/u"), {
    dir: "/home/u/conf",
    source: "env",
  });
  assert.deepEqual(configDirFor(undefined, {}, "/home/u"), {
    dir: "/home/u/.sentry",
    source: "default",
  });
  assert.deepEqual(configDirFor("", { SENTRY_CONF: "" }, "/h"), {
    dir: "/h/.sentry",
    source: "default",
  });
});

test("no default directory: embedded defaults (undefined), not an error", () => {
  assert.equal(discoverConfig(undefined, {}, tmp()), undefined);
});

test("an explicit directory without config files is Sentry's missing-config error", () => {
  const empty = tmp();
  for (
    const [flag, env] of [[empty, {}], [undefined, { SENTRY_CONF: empty }], [
      "/does/not/exist",
      {},
    ]] as const
  ) {
    assert.throws(() => discoverConfig(flag, env, "/h"), (e: unknown) => {
      assert.ok(e instanceof SentryctlError);
      assert.equal(e.category, "configuration");
      assert.equal(e.message, MISSING_CONFIG_MESSAGE);
      return true;
    });
  }
});

test("either file is enough; settings files: .ts > .yml > .py, the others reported", () => {
  const dir = tmp();
  writeFileSync(join(dir, "config.yml"), "a: 1\n");
  let loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.hasOptionsFile, true);
  assert.equal(loc.settingsPath, undefined);
  assert.deepEqual(loc.shadowedSettingsPaths, []);

  writeFileSync(join(dir, "sentry.conf.py"), "DEBUG = True\n");
  loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.settingsPath, join(dir, "sentry.conf.py"));

  writeFileSync(join(dir, "sentry.conf.yml"), "DEBUG: true\n");
  loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.settingsPath, join(dir, "sentry.conf.yml"));
  assert.deepEqual(loc.shadowedSettingsPaths, [join(dir, "sentry.conf.py")]);

  writeFileSync(join(dir, "sentry.conf.ts"), "export default {};\n");
  loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.settingsPath, join(dir, "sentry.conf.ts"));
  assert.deepEqual(loc.shadowedSettingsPaths, [
    join(dir, "sentry.conf.yml"),
    join(dir, "sentry.conf.py"),
  ]);

  // Sentry: either config.yml or sentry.conf.py is enough for a config directory.
  const pyOnly = tmp();
  writeFileSync(join(pyOnly, "sentry.conf.py"), "DEBUG = True\n");
  assert.equal(discoverConfig(pyOnly, {}, "/h")!.settingsPath, join(pyOnly, "sentry.conf.py"));

  const home = tmp();
  mkdirSync(join(home, ".sentry"));
  writeFileSync(join(home, ".sentry", "sentry.conf.yml"), "{}\n");
  assert.equal(discoverConfig(undefined, {}, home)!.source, "default");
});
