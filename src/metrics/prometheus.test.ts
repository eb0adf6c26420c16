import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { labelName, metricName, PrometheusRegistry, renderPrometheus } from "./prometheus.ts";

describe("Prometheus names", () => {
  test("dots and dashes become underscores; a leading digit gets an underscore", () => {
    assert.equal(
      metricName("sentry.internal.sent_requests.upstream.events"),
      "sentry_internal_sent_requests_upstream_events",
    );
    assert.equal(metricName("jobs.took-ms"), "jobs_took_ms");
    assert.equal(metricName("9lives"), "_9lives");
    assert.equal(labelName("__reserved"), "_reserved");
    assert.equal(labelName("a.b-c"), "a_b_c");
  });
});

describe("renderPrometheus", () => {
  test("counters end in _total, gauges keep the last value, timings are _seconds histograms", () => {
    const r = new PrometheusRegistry();
    r.inc("sentryctl.command", 1, { command: "send-event", status: "success" });
    r.inc("sentryctl.command", 2, { command: "send-event", status: "success" });
    r.set("queue.size", 5);
    r.set("queue.size", 3);
    r.observe("sentryctl.command.duration", 0.02, { command: "x" }, {
      seconds: true,
      bounds: [0.01, 0.1],
    });
    assert.equal(
      renderPrometheus(r),
      [
        "# HELP queue_size sentryctl metric queue.size",
        "# TYPE queue_size gauge",
        "queue_size 3",
        "# HELP sentryctl_command_duration_seconds sentryctl metric sentryctl.command.duration",
        "# TYPE sentryctl_command_duration_seconds histogram",
        'sentryctl_command_duration_seconds_bucket{command="x",le="0.01"} 0',
        'sentryctl_command_duration_seconds_bucket{command="x",le="0.1"} 1',
        'sentryctl_command_duration_seconds_bucket{command="x",le="+Inf"} 1',
        'sentryctl_command_duration_seconds_sum{command="x"} 0.02',
        'sentryctl_command_duration_seconds_count{command="x"} 1',
        "# HELP sentryctl_command_total sentryctl metric sentryctl.command",
        "# TYPE sentryctl_command_total counter",
        'sentryctl_command_total{command="send-event",status="success"} 3',
        "",
      ].join("\n"),
    );
  });

  test("label values are escaped; HELP newlines too; negative counts are ignored", () => {
    const r = new PrometheusRegistry();
    r.inc("x", 1, { v: 'a"b\\c\nd' }, "line1\nline2");
    r.inc("x", -5, { v: 'a"b\\c\nd' });
    assert.equal(
      renderPrometheus(r),
      "# HELP x_total sentryctl metric line1\\nline2\n# TYPE x_total counter\n" +
        'x_total{v="a\\"b\\\\c\\nd"} 1\n',
    );
  });

  test("the series cap and a name reused with another type drop samples, counted", () => {
    const r = new PrometheusRegistry(2);
    r.inc("a", 1, { n: "1" });
    r.inc("a", 1, { n: "2" });
    r.inc("a", 1, { n: "3" });
    r.set("a_total", 1);
    assert.equal(r.dropped, 2);
    assert.equal(r.value("a_total", { n: "2" }), 1);
    assert.equal(r.value("a_total", { n: "3" }), undefined);
  });

  test("an empty registry renders as an empty body", () => {
    assert.equal(renderPrometheus(new PrometheusRegistry()), "");
  });
});
