// The Prometheus rendering checked by the real `promtool check metrics` (Debian package
// `prometheus`, installed by scripts/ci/install-deps.sh). Metrics go through the process's
// pipeline to the backend Sentry-style settings select (a ServiceDelegator with the prometheus
// backend first and statsd second), exactly as a command records them.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Logger } from "../../src/logging/logger.ts";
import { buildServices, setupServices } from "../../src/backends/index.ts";
import { getProcessRegistry, MetricsPipeline, renderPrometheus } from "../../src/metrics/index.ts";
import { udpReceiver } from "../helpers/receivers.ts";

function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (r.error) throw new Error(`promtool is required (Debian package prometheus): ${r.error}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("Prometheus rendering", () => {
  test("what the pipeline records passes promtool check metrics, and statsd gets the same calls", async () => {
    const udp = await udpReceiver();
    try {
      const logger = new Logger("sentry", { level: 40, format: "human", write: () => {} });
      const services = buildServices(
        {
          SENTRY_METRICS_BACKEND: "sentry.utils.services.ServiceDelegator",
          SENTRY_METRICS_OPTIONS: {
            backend_base: "sentry.metrics.base.MetricsBackend",
            backends: {
              prom: { path: "prometheus" },
              statsd: {
                path: "sentry.metrics.statsd.StatsdMetricsBackend",
                options: { host: "127.0.0.1", port: udp.port },
              },
            },
          },
          SENTRY_METRICS_PREFIX: "sentry.",
          SENTRY_PERMISSIONS_BACKEND: "memory",
        },
        logger,
        () => {},
      );
      await setupServices(services, true);
      const pipeline = new MetricsPipeline();
      pipeline.bind(() => services.metrics.instance);
      pipeline.incr("internal.sent_requests.upstream.events");
      pipeline.incr("internal.uncaptured.events.relay", 1, { tags: { reason: "unsafe" } });
      pipeline.incr("sentryctl.command", 1, { tags: { command: "send-event", status: "success" } });
      pipeline.timing("sentryctl.command.duration", 0.042, {
        tags: { command: "send-event", status: "success" },
      });
      pipeline.gauge("jobs.queue-depth", 3, { instance: "default" });
      pipeline.distribution("payload.size", 1234, { tags: { "weird.tag-name": 'quo"te' } });
      assert.equal(await pipeline.flush(2000), true);

      const text = renderPrometheus(getProcessRegistry());
      const checked = promtool(text);
      assert.equal(checked.status, 0, `promtool:\n${checked.output}\n---\n${text}`);
      assert.equal(checked.output.trim(), "", "no lint warnings");
      assert.match(text, /^sentry_internal_sent_requests_upstream_events_total 1$/m);
      assert.match(
        text,
        /^sentryctl_command_total\{command="send-event",status="success"\} 1$/m,
      );
      assert.match(
        text,
        /^sentryctl_command_duration_seconds_count\{command="send-event",status="success"\} 1$/m,
      );
      assert.match(text, /^sentry_jobs_queue_depth\{instance="default"\} 3$/m);

      assert.equal(
        await udp.waitFor(/^sentry\.jobs\.queue-depth/),
        "sentry.jobs.queue-depth.default:3|g",
      );
    } finally {
      udp.close();
    }
  });

  test("promtool rejects what it should: the check is real", () => {
    const bad = promtool('# TYPE x counter\nx{a="1"} 1\n');
    assert.notEqual(bad.output.trim(), "", "a counter without _total and HELP is reported");
  });
});
