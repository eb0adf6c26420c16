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

test("either file is enough; sentry.conf.ts wins over sentry.conf.yml; a lone .py is reported", () => {
  const dir = tmp();
  writeFileSync(join(dir, "config.yml"), "a: 1\n");
  let loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.hasOptionsFile, true);
  assert.equal(loc.settingsPath, undefined);

  writeFileSync(join(dir, "sentry.conf.py"), "DEBUG = True\n");
  loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.unreadPyPath, join(dir, "sentry.conf.py"));

  writeFileSync(join(dir, "sentry.conf.yml"), "DEBUG: true\n");
  loc = discoverConfig(dir, {}, "/h")!;
  assert.equal(loc.settingsPath, join(dir, "sentry.conf.yml"));
  assert.equal(loc.unreadPyPath, undefined, "a TS/YAML twin exists");

  writeFileSync(join(dir, "sentry.conf.ts"), "export default {};\n");
  assert.equal(discoverConfig(dir, {}, "/h")!.settingsPath, join(dir, "sentry.conf.ts"));

  const home = tmp();
  mkdirSync(join(home, ".sentry"));
  writeFileSync(join(home, ".sentry", "sentry.conf.yml"), "{}\n");
  assert.equal(discoverConfig(undefined, {}, home)!.source, "default");
});
