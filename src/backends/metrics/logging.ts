// `sentry.metrics.logging.LoggingBackend`: every metric becomes a DEBUG line of the
// `sentry.metrics` logger, in Sentry's formats (`%r: %+g`, and `%r: %g ms` for timings).

import { formatG, reprString } from "../../lib/python.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Tags } from "../../metrics/sink.ts";
import { BaseMetricsBackend } from "./base.ts";

export class LoggingMetricsBackend extends BaseMetricsBackend {
  constructor(
    private readonly logger: Logger,
    prefix: string | null | undefined,
    settingsPrefix: unknown,
  ) {
    super(prefix, settingsPrefix);
  }

  #log(text: string, instance: string | null | undefined, tags: Tags | null | undefined) {
    this.logger.debug(text, { instance: instance ?? null, tags: tags ?? {} });
  }

  override incr(key: string, instance?: string | null, tags?: Tags | null, amount = 1): void {
    this.#log(`${reprString(key)}: ${formatG(amount, true)}`, instance, tags);
  }

  override timing(key: string, value: number, instance?: string | null, tags?: Tags | null): void {
    this.#log(`${reprString(key)}: ${formatG(value * 1000)} ms`, instance, tags);
  }

  override gauge(key: string, value: number, instance?: string | null, tags?: Tags | null): void {
    this.#log(`${reprString(key)}: ${formatG(value, true)}`, instance, tags);
  }

  override distribution(
    key: string,
    value: number,
    instance?: string | null,
    tags?: Tags | null,
  ): void {
    this.#log(`${reprString(key)}: ${formatG(value, true)}`, instance, tags);
  }
}
