// What `files` holds on the resolved relay, symbolicator, clickhouse and chartcuterie, and how
// the state directory gets its defaults (written once, never over a user's edit).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SentryctlError } from "../errors.ts";
import { defaultSettings } from "../settings/defaults.ts";
import { deriveConfigDirs } from "../settings/state-dir.ts";
import { resolveServices } from "./resolve.ts";

const text = (c: string | Uint8Array | undefined) =>
  typeof c === "string" ? c : new TextDecoder().decode(c);

function withStateDir(extra: Record<string, unknown> = {}) {
  const state = mkdtempSync(join(tmpdir(), "sentryctl-state-"));
  const settings = { ...defaultSettings({}), ...extra };
  deriveConfigDirs(settings, state);
  return { state, settings };
}

describe("files on the resolved service", () => {
  test("relay: config.yml (templated with the project's containers) and credentials.json", () => {
    const relay = resolveServices(defaultSettings({}), {}, {}, "parity").get("relay")!;
    const files = relay.files!;
    assert.deepEqual(files.map((f) => [f.path, f.mode]), [
      ["/etc/relay/config.yml", 0o644],
      ["/etc/relay/credentials.json", 0o644],
    ]);
    const config = text(files[0]!.content);
    assert.match(config, /^ {2}port: 7899$/m);
    assert.match(config, /^ {2}upstream: "http:\/\/host\.docker\.internal:8001\/"$/m);
    assert.match(config, /value: "parity_kafka:9093"/);
    assert.match(config, /^ {2}redis: "redis:\/\/parity_redis:6379"$/m);
    assert.doesNotMatch(config, /\{containers/);
    const creds = JSON.parse(text(files[1]!.content));
    assert.match(creds.secret_key, /^[A-Za-z0-9_-]{43}$/);
    assert.match(creds.public_key, /^[A-Za-z0-9_-]{43}$/);
    assert.match(creds.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The secret signs what the public key verifies: a working Ed25519 pair.
    const jwk = { kty: "OKP", crv: "Ed25519", d: creds.secret_key, x: creds.public_key };
    const signature = sign(null, Buffer.from("x"), createPrivateKey({ key: jwk, format: "jwk" }));
    const pub = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: creds.public_key },
      format: "jwk",
    });
    assert.equal(verify(null, Buffer.from("x"), pub, signature), true);
    assert.equal(relay.spec.volumes, undefined, "no bind mount of a config directory");
    assert.deepEqual(relay.spec.command, ["run", "--config", "/etc/relay"]);
  });

  test("symbolicator and chartcuterie: their config file under the directory Sentry mounted", () => {
    const services = resolveServices(defaultSettings({}), {}, {}, "p");
    const sym = services.get("symbolicator")!;
    assert.deepEqual(sym.files!.map((f) => f.path), ["/etc/symbolicator/config.yml"]);
    assert.match(text(sym.files![0]!.content), /^bind: "0\.0\.0\.0:3021"$/m);
    assert.equal(sym.spec.volumes, undefined);
    const chart = services.get("chartcuterie")!;
    assert.deepEqual(chart.files!.map((f) => f.path), ["/etc/chartcuterie/config.js"]);
    assert.match(text(chart.files![0]!.content), /renderConfig: new Map\(\)/);
    assert.equal(chart.spec.volumes, undefined);
  });

  test("clickhouse: loc_config.xml, or dist_config.xml with distributed tables, as config.d/sentry.xml", () => {
    const loc = resolveServices(defaultSettings({}), {}, {}, "p").get("clickhouse")!;
    assert.deepEqual(loc.files!.map((f) => f.path), ["/etc/clickhouse-server/config.d/sentry.xml"]);
    assert.doesNotMatch(text(loc.files![0]!.content), /remote_servers/);
    assert.deepEqual(loc.spec.volumes, { clickhouse: { bind: "/var/lib/clickhouse" } });
    const dist = resolveServices(
      { ...defaultSettings({}), SENTRY_DISTRIBUTED_CLICKHOUSE_TABLES: true },
      {},
      {},
      "p",
    ).get("clickhouse")!;
    assert.match(text(dist.files![0]!.content), /<cluster_one_sh>/);
    assert.deepEqual(dist.spec.volumes, { clickhouse_dist: { bind: "/var/lib/clickhouse" } });
  });

  test("other services have no files", () => {
    const services = resolveServices(defaultSettings({}), {}, {}, "p");
    for (const name of ["redis", "postgres", "kafka", "snuba"]) {
      assert.equal(services.get(name)!.files, undefined, name);
    }
  });
});

describe("the state directory's devservices/<service>/", () => {
  test("derived settings: DEVSERVICES_CONFIG_DIR, then one directory per service", () => {
    const { state, settings } = withStateDir();
    assert.equal(settings.DEVSERVICES_CONFIG_DIR, join(state, "devservices"));
    assert.equal(settings.RELAY_CONFIG_DIR, join(state, "devservices", "relay"));
    assert.equal(settings.SYMBOLICATOR_CONFIG_DIR, join(state, "devservices", "symbolicator"));
    assert.equal(settings.CHARTCUTERIE_CONFIG_DIR, join(state, "devservices", "chartcuterie"));
    const custom = withStateDir({ DEVSERVICES_CONFIG_DIR: "/srv/conf", RELAY_CONFIG_DIR: "/r" });
    assert.equal(custom.settings.RELAY_CONFIG_DIR, "/r");
    assert.equal(custom.settings.SYMBOLICATOR_CONFIG_DIR, "/srv/conf/symbolicator");
  });

  test("nothing is written until files are read; then defaults, credentials owner-only", () => {
    const { state, settings } = withStateDir();
    const services = resolveServices(settings, {}, {}, "p");
    assert.equal(existsSync(join(state, "devservices")), false, "resolving alone writes nothing");
    const files = services.get("relay")!.files!;
    assert.equal(files.length, 2);
    const dir = join(state, "devservices", "relay");
    assert.match(readFileSync(join(dir, "config.yml"), "utf8"), /\{containers\[kafka\]\[name\]\}/);
    assert.equal(statSync(join(dir, "credentials.json")).mode & 0o777, 0o600);
    assert.equal(statSync(join(state, "devservices")).mode & 0o777, 0o700);
    assert.equal(existsSync(join(state, "devservices", "symbolicator")), false, "only relay's");
  });

  test("a user's edit is kept and delivered; extra files are delivered too; credentials stay", () => {
    const { state, settings } = withStateDir();
    resolveServices(settings, {}, {}, "p").get("relay")!.files;
    const dir = join(state, "devservices", "relay");
    const creds = readFileSync(join(dir, "credentials.json"), "utf8");
    writeFileSync(join(dir, "config.yml"), "relay: {port: 7899}\nlogging: {level: DEBUG}\n");
    mkdirSync(join(dir, "extra"));
    writeFileSync(join(dir, "extra", "notes.txt"), "hi {containers[redis][name]}\n");
    const files = resolveServices(settings, {}, {}, "q").get("relay")!.files!;
    assert.deepEqual(files.map((f) => [f.path, text(f.content)]), [
      ["/etc/relay/config.yml", "relay: {port: 7899}\nlogging: {level: DEBUG}\n"],
      ["/etc/relay/credentials.json", creds],
      ["/etc/relay/extra/notes.txt", "hi q_redis\n"],
    ]);
  });

  test("a directory the user named is read as is: never written to, missing is an error", () => {
    const mine = mkdtempSync(join(tmpdir(), "sentryctl-relay-"));
    writeFileSync(join(mine, "config.yml"), "relay: {}\n");
    const { settings } = withStateDir({ RELAY_CONFIG_DIR: mine });
    const files = resolveServices(settings, {}, {}, "p").get("relay")!.files!;
    assert.deepEqual(files.map((f) => f.path), ["/etc/relay/config.yml"]);
    assert.equal(existsSync(join(mine, "credentials.json")), false);

    const gone = withStateDir({ SYMBOLICATOR_CONFIG_DIR: join(mine, "nope") }).settings;
    assert.throws(
      () => resolveServices(gone, {}, {}, "p").get("symbolicator")!.files,
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 3 && /cannot read .*nope/.test(e.message) &&
        /SYMBOLICATOR_CONFIG_DIR/.test(e.hint ?? ""),
    );
  });

  test("clickhouse in a user's DEVSERVICES_CONFIG_DIR without the chosen file is an error", () => {
    const mine = mkdtempSync(join(tmpdir(), "sentryctl-conf-"));
    mkdirSync(join(mine, "clickhouse"));
    writeFileSync(join(mine, "clickhouse", "loc_config.xml"), "<clickhouse/>\n");
    const { settings } = withStateDir({
      DEVSERVICES_CONFIG_DIR: mine,
      SENTRY_DISTRIBUTED_CLICKHOUSE_TABLES: true,
    });
    assert.throws(
      () => resolveServices(settings, {}, {}, "p").get("clickhouse")!.files,
      /clickhouse\/dist_config\.xml is missing$/,
    );
  });
});
