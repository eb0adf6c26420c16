// The process's metrics: one `MetricsPipeline` every module records into (`metrics.incr(…)`),
// bound by the initializer chain to the backend SENTRY_METRICS_BACKEND names (the services
// layer, `src/backends/metrics/`), and flushed by the CLI edge before the process exits. This
// module is small and imports no backend, so `--version` pays nothing for it.

import { MetricsPipeline } from "./pipeline.ts";

export { type MetricOptions, MetricsPipeline } from "./pipeline.ts";
export {
  getProcessRegistry,
  PROMETHEUS_CONTENT_TYPE,
  PrometheusRegistry,
  renderPrometheus,
} from "./prometheus.ts";

/** The process-wide pipeline (Sentry's module-level `metrics`). */
export const metrics: MetricsPipeline = new MetricsPipeline();

/** Counts and times a CLI command: `sentryctl_command_total{command,status}` and its duration. */
export function recordCommand(command: string, status: string, seconds: number): void {
  const tags = { command, status };
  metrics.incr("sentryctl.command", 1, { tags, sampleRate: 1 });
  metrics.timing("sentryctl.command.duration", seconds, { tags, sampleRate: 1 });
}
