import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { defaultSettings } from "../settings/defaults.ts";
import { applyOverride, resolveServices, selectService } from "./resolve.ts";

const settings = (extra: Record<string, unknown> = {}) => ({ ...defaultSettings({}), ...extra });

test("defaults enable the modern dev set: kafka, snuba, clickhouse, redis, postgres", () => {
  const services = resolveServices(settings(), {}, {}, "sentry");
  const enabled = [...services.values()].filter((s) => s.enabled).map((s) => s.name).sort();
  assert.deepEqual(enabled, ["clickhouse", "kafka", "postgres", "redis", "snuba"]);
  assert.equal(services.get("kafka")?.containerName, "sentry_kafka");
});

test("kafka's advertised listener and snuba's brokers are templated with container names", () => {
  const services = resolveServices(settings(), {}, {}, "proj");
  assert.match(
    String(services.get("kafka")?.spec.environment?.KAFKA_ADVERTISED_LISTENERS),
    /INTERNAL:\/\/proj_kafka:9093/,
  );
  assert.equal(services.get("snuba")?.spec.environment?.DEFAULT_BROKERS, "proj_kafka:9093");
  assert.equal(services.get("snuba")?.spec.environment?.CLICKHOUSE_HOST, "proj_clickhouse");
});

test("only_if follows settings, options and environment as in Sentry", () => {
  const noKafka = resolveServices(
    settings({ SENTRY_EVENTSTREAM: "sentry.eventstream.snuba.SnubaEventStream" }),
    {},
    {},
    "s",
  );
  assert.equal(noKafka.get("kafka")?.enabled, false);
  assert.deepEqual(noKafka.get("snuba")?.spec.command, ["devserver", "--no-workers"]);
  assert.equal(noKafka.get("snuba")?.spec.environment?.DEFAULT_BROKERS, "");
  assert.equal(
    resolveServices(settings(), { "symbolicator.enabled": true }, {}, "s").get("symbolicator")
      ?.enabled,
    true,
  );
  assert.equal(
    resolveServices(settings(), {}, { SENTRY_USE_RELAY: "1" }, "s").get("relay")?.enabled,
    true,
  );
  const memcached = settings({
    CACHES: { default: { BACKEND: "django.core.cache.backends.memcached.PyMemcacheCache" } },
  });
  assert.equal(resolveServices(memcached, {}, {}, "s").get("memcached")?.enabled, true);
});

test("overrides: environment deep-merges, other fields replace, null removes, new names add", () => {
  const services = resolveServices(
    settings({
      SENTRY_DEVSERVICES: {
        kafka: {
          image: "local/kafka:1",
          environment: { KAFKA_NODE_ID: "7", KAFKA_LOG_RETENTION_HOURS: null },
        },
        redis: { ports: { "6379/tcp": 16379 }, command: null },
        clickhouse: null,
        mine: { image: "local/mine:1", only_if: true },
      },
    }),
    {},
    {},
    "sentry",
  );
  const kafka = services.get("kafka")!.spec;
  assert.equal(kafka.image, "local/kafka:1");
  assert.equal(kafka.environment?.KAFKA_NODE_ID, "7");
  assert.equal(kafka.environment?.KAFKA_PROCESS_ROLES, "broker,controller", "untouched keys kept");
  assert.equal("KAFKA_LOG_RETENTION_HOURS" in (kafka.environment ?? {}), false);
  assert.deepEqual(services.get("redis")!.spec.ports, { "6379/tcp": 16379 });
  assert.equal(services.get("redis")!.spec.command, undefined);
  assert.equal(services.has("clickhouse"), false);
  assert.equal(services.get("mine")?.containerName, "sentry_mine");
});

test("a new service without an image is a configuration error", () => {
  assert.throws(
    () => applyOverride(undefined, { ports: {} }, "x"),
    (e: unknown) => e instanceof SentryctlError && e.category === "configuration",
  );
  assert.throws(
    () => resolveServices(settings({ SENTRY_DEVSERVICES: { redis: "nope" } }), {}, {}, "s"),
    /SENTRY_DEVSERVICES\['redis'\] must be a mapping/,
  );
});

test("selectService: unknown and disabled services give Sentry's message, exit category failure", () => {
  const services = resolveServices(settings(), {}, {}, "sentry");
  assert.equal(selectService(services, "redis", false).name, "redis");
  assert.throws(() => selectService(services, "nope", false), (e: unknown) => {
    assert.ok(e instanceof SentryctlError);
    assert.equal(e.message, "Service `nope` is not known or not enabled.");
    assert.equal(e.category, "failure");
    assert.match(e.details ?? "", /^Services that are available:\n {2}clickhouse\n/);
    return true;
  });
  assert.throws(
    () => selectService(services, "vroom", false),
    (e: unknown) => e instanceof SentryctlError && /SENTRY_USE_PROFILING/.test(e.hint ?? ""),
  );
  assert.equal(selectService(services, "vroom", true).name, "vroom");
});

test("templates: a removed service's name still renders; an unknown port fails only when used", () => {
  const services = resolveServices(
    settings({
      SENTRY_DEVSERVICES: {
        clickhouse: null,
        mine: { image: "x", environment: { K: "{containers[redis][ports][9999/tcp][1]}" } },
      },
    }),
    {},
    {},
    "p",
  );
  assert.equal(services.get("snuba")?.spec.environment?.CLICKHOUSE_HOST, "p_clickhouse");
  assert.equal(selectService(services, "redis", false).name, "redis");
  assert.throws(() => selectService(services, "mine", false), /publishes no port 9999\/tcp/);
  const ok = resolveServices(
    settings({
      SENTRY_DEVSERVICES: {
        mine: {
          image: "x",
          environment: {
            K: "{containers[redis][ports][6379/tcp][0]}:{containers[redis][ports][6379/tcp][1]}",
          },
        },
      },
    }),
    {},
    {},
    "p",
  );
  assert.equal(ok.get("mine")?.spec.environment?.K, "127.0.0.1:6379");
});

// Sentry's server.py (late 2024), relay: `bool(os.environ.get("SENTRY_USE_RELAY",
// settings.SENTRY_USE_RELAY))`. [environment value (undefined: unset), setting, enabled]
const RELAY_ONLY_IF: [string | undefined, boolean, boolean][] = [
  [undefined, false, false],
  [undefined, true, true],
  ["1", false, true],
  ["0", false, true], // a non-empty str is true in Python
  ["false", false, true],
  ["", true, false], // the empty str is false, whatever the setting says
];
for (const [fromEnv, setting, enabled] of RELAY_ONLY_IF) {
  test(`server.py relay only_if: SENTRY_USE_RELAY=${JSON.stringify(fromEnv)} setting ${setting} → ${enabled}`, () => {
    const env = fromEnv === undefined ? {} : { SENTRY_USE_RELAY: fromEnv };
    const services = resolveServices(settings({ SENTRY_USE_RELAY: setting }), {}, env, "s");
    assert.equal(services.get("relay")?.enabled, enabled);
  });
}

test("server.py taskbroker: TASKBROKER_KAFKA_CLUSTER is the kafka container name, no port", () => {
  const services = resolveServices(settings({ SENTRY_USE_TASKBROKER: true }), {}, {}, "sentry");
  assert.equal(
    services.get("taskbroker")?.spec.environment?.TASKBROKER_KAFKA_CLUSTER,
    "sentry_kafka",
  );
});

test("spotlight is sentryctl's own service, switched by SENTRYCTL_USE_SPOTLIGHT only", () => {
  const off = resolveServices(settings({ SENTRY_USE_SPOTLIGHT: true }), {}, {}, "s");
  assert.equal(off.get("spotlight")?.enabled, false, "SENTRY_USE_SPOTLIGHT is not a switch");
  assert.match(off.get("spotlight")?.enabledBy ?? "", /^SENTRYCTL_USE_SPOTLIGHT /);
  const on = resolveServices(settings({ SENTRYCTL_USE_SPOTLIGHT: true }), {}, {}, "s");
  assert.equal(on.get("spotlight")?.enabled, true);
});
