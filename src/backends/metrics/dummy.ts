// `sentry.metrics.dummy.DummyMetricsBackend`: records nothing (the default).

import { BaseMetricsBackend } from "./base.ts";

export class DummyMetricsBackend extends BaseMetricsBackend {
  override incr(): void {}
  override timing(): void {}
  override gauge(): void {}
  override distribution(): void {}
}
