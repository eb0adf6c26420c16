import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../../errors.ts";
import { Logger } from "../../logging/logger.ts";
import { PrometheusRegistry, renderPrometheus } from "../../metrics/prometheus.ts";
import { buildServices, setupServices } from "../index.ts";
import { PrometheusMetricsBackend } from "./prometheus.ts";
import { packLines, statsdLine } from "./statsd.ts";

const logger = new Logger("sentry", { level: 40, format: "human", write: () => {} });

describe("statsd lines (DogStatsD syntax)", () => {
  test("counter, timing, gauge, distribution with rate and tags", () => {
    assert.equal(statsdLine("sentry.jobs", 1, "c", 1, undefined), "sentry.jobs:1|c");
    assert.equal(
      statsdLine("sentry.jobs", 2, "c", 0.5, { a: "b", n: 3 }),
      "sentry.jobs:2|c|@0.5|#a:b,n:3",
    );
    assert.equal(statsdLine("t", 250, "ms", 1, { flag: null }), "t:250|ms|#flag");
    assert.equal(statsdLine("g", -1.5, "g", 1, {}), "g:-1.5|g");
    assert.equal(statsdLine("d", 0.1234567, "d", 1, null), "d:0.123457|d");
  });

  test("characters that would break a line are replaced", () => {
    assert.equal(
      statsdLine("a:b|c", 1, "c", 1, { "x,y": "p|q#r", z: "u:v" }),
      "a_b_c:1|c|#x_y:p_q_r,z:u:v",
    );
    assert.equal(statsdLine("k", NaN, "g", 1, undefined), "k:0|g");
  });

  test("lines pack into packets of at most the limit, newline-separated", () => {
    const lines = ["a".repeat(10), "b".repeat(10), "c".repeat(10)];
    assert.deepEqual(packLines(lines, 21), [
      `${"a".repeat(10)}\n${"b".repeat(10)}`,
      "c".repeat(10),
    ]);
    assert.deepEqual(packLines(["x".repeat(50)], 21), ["x".repeat(50)], "a long line goes alone");
    assert.deepEqual(packLines([]), []);
  });
});

describe("Sentry's metrics settings select the backends", () => {
  test("StatsdMetricsBackend by dotted path with {host, port}; a bad port is exit 3", async () => {
    const ok = buildServices(
      {
        SENTRY_METRICS_BACKEND: "sentry.metrics.statsd.StatsdMetricsBackend",
        SENTRY_METRICS_OPTIONS: { host: "127.0.0.1", port: "9125" },
        SENTRY_METRICS_PREFIX: "sentry.",
        SENTRY_PERMISSIONS_BACKEND: "memory",
      },
      logger,
      () => {},
    );
    await setupServices(ok, true);
    assert.equal((ok.metrics.instance as unknown as { prefix: string }).prefix, "sentry.");
    const bad = buildServices(
      {
        SENTRY_METRICS_BACKEND: "statsd",
        SENTRY_METRICS_OPTIONS: { port: 70000 },
        SENTRY_PERMISSIONS_BACKEND: "memory",
      },
      logger,
      () => {},
    );
    await assert.rejects(
      setupServices(bad, true),
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 3 &&
        e.message === "SENTRY_METRICS_BACKEND: statsd port must be 1-65535, got 70000",
    );
  });

  test("DogStatsD takes statsd_host/statsd_port/tags; unknown options are refused", async () => {
    const bad = buildServices(
      {
        SENTRY_METRICS_BACKEND: "sentry.metrics.dogstatsd.DogStatsdMetricsBackend",
        SENTRY_METRICS_OPTIONS: { host: "x" },
        SENTRY_PERMISSIONS_BACKEND: "memory",
      },
      logger,
      () => {},
    );
    await assert.rejects(setupServices(bad, true), /unexpected option 'host'/);
  });

  test("the prometheus backend scales sampled counts up and keeps sentryctl.* unprefixed", () => {
    const registry = new PrometheusRegistry();
    const b = new PrometheusMetricsBackend(undefined, "sentry.", registry);
    b.incr("jobs", null, { q: "default" }, 1, 0.25);
    b.incr("sentryctl.command", "x", { status: "success" });
    b.gauge("depth", 4);
    const text = renderPrometheus(registry);
    assert.match(text, /^sentry_jobs_total\{q="default"\} 4$/m);
    assert.match(text, /^sentryctl_command_total\{status="success",instance="x"\} 1$/m);
    assert.match(text, /^sentry_depth 4$/m);
  });
});
