import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { planSdk } from "./options.ts";

const dev = { IS_DEV: true, SENTRY_USE_RELAY: false };

describe("planSdk (Sentry's _get_sdk_options and transport choice)", () => {
  test("dsn → upstream, relay_dsn → relay; both leave the options; the config is copied", () => {
    const config = {
      dsn: "http://a@up.example/1",
      relay_dsn: "http://b@relay.example/2",
      release: "1.2.3",
      traces_sample_rate: 0.5,
      project_root: "/usr/src",
    };
    const plan = planSdk({ ...dev, SENTRY_SDK_CONFIG: config }, {}, {});
    assert.equal(plan.upstream, "http://a@up.example/1");
    assert.equal(plan.relay, "http://b@relay.example/2");
    assert.equal(plan.relaySource, "relay_dsn");
    assert.deepEqual(plan.options, {
      environment: "development",
      sendClientReports: true,
      release: "backend@1.2.3",
      tracesSampleRate: 0.5,
    });
    assert.equal(config.dsn, "http://a@up.example/1", "SENTRY_SDK_CONFIG is not mutated");
  });

  test("IS_DEV without SENTRY_USE_RELAY and without relay_dsn: no relay, even with a project", () => {
    const plan = planSdk(
      { ...dev, SENTRY_PROJECT: 1, SENTRY_SDK_CONFIG: { dsn: "http://a@h/1" } },
      {},
      {},
    );
    assert.equal(plan.upstream, "http://a@h/1");
    assert.equal(plan.relay, undefined);
  });

  test("relay_dsn wins even under IS_DEV (first match)", () => {
    const plan = planSdk({ ...dev, SENTRY_SDK_CONFIG: { relay_dsn: "http://b@r/2" } }, {}, {});
    assert.equal(plan.upstream, undefined);
    assert.equal(plan.relay, "http://b@r/2");
  });

  test("SENTRY_USE_RELAY with SENTRY_PROJECT: the internal project at status.bind", () => {
    const plan = planSdk(
      { IS_DEV: true, SENTRY_USE_RELAY: true, SENTRY_PROJECT: 1, SENTRY_SDK_CONFIG: {} },
      { "status.bind": "127.0.0.1:9999" },
      {},
    );
    assert.equal(plan.relay, "http://sentryctl@127.0.0.1:9999/1");
    assert.equal(plan.relaySource, "internal-project");
    const none = planSdk({ IS_DEV: false, SENTRY_SDK_CONFIG: {} }, {}, {});
    assert.equal(none.relay, undefined, "no project: no internal transport");
  });

  test("SENTRY_DEV_DSN sets the upstream DSN; release defaults to sentryctl's version", () => {
    const plan = planSdk({ ...dev, SENTRY_SDK_CONFIG: { dsn: "http://x@y/1" } }, {}, {
      SENTRY_DEV_DSN: "http://k@dev.example/7",
    });
    assert.equal(plan.upstream, "http://k@dev.example/7");
    assert.equal(plan.options.release, "backend@0.1.0");
    const noRelease = planSdk({ ...dev, SENTRY_SDK_CONFIG: { release: null } }, {}, {});
    assert.equal(noRelease.options.release, undefined);
  });

  test("the upstream-metrics setting and the options are read with their defaults", () => {
    const plan = planSdk({ ...dev, SENTRY_SDK_UPSTREAM_METRICS_ENABLED: true }, {}, {});
    assert.equal(plan.upstreamMetrics, true);
    assert.equal(plan.s4sMetricsRate, 0);
    assert.equal(plan.relaySampleRate, 1);
    assert.equal(plan.forceDisableInternal, false);
    const set = planSdk(dev, {
      "store.allow-s4s-ddm-sample-rate": 0.5,
      "store.use-relay-dsn-sample-rate": 0,
      "transaction-events.force-disable-internal-project": true,
    }, {});
    assert.equal(set.s4sMetricsRate, 0.5);
    assert.equal(set.relaySampleRate, 0);
    assert.equal(set.forceDisableInternal, true);
  });

  test("a malformed DSN is a configuration error naming its setting (exit 3)", () => {
    for (
      const [dsn, env, where] of [
        ["not a dsn", {}, "SENTRY_SDK_CONFIG.dsn"],
        ["http://host.example/1", {}, "SENTRY_SDK_CONFIG.dsn"],
        ["ftp://k@host/1", {}, "SENTRY_SDK_CONFIG.dsn"],
        ["http://k@host/", {}, "SENTRY_SDK_CONFIG.dsn"],
        ["http://k@host/1", { SENTRY_DEV_DSN: "http://k@host/abc" }, "SENTRY_DEV_DSN"],
      ] as const
    ) {
      assert.throws(
        () => planSdk({ ...dev, SENTRY_SDK_CONFIG: { dsn } }, {}, env),
        (e: unknown) =>
          e instanceof SentryctlError && e.exitCode === 3 &&
          e.message.startsWith(`${where}: invalid DSN '`),
        dsn,
      );
    }
    assert.throws(
      () => planSdk({ ...dev, SENTRY_SDK_CONFIG: { relay_dsn: "x" } }, {}, {}),
      /SENTRY_SDK_CONFIG\.relay_dsn: invalid DSN 'x'/,
    );
  });
});
