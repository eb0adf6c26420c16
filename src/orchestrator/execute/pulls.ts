// Each image pulled once per run, however many services use it, with silent retries on transient
// failures (the engine or registry briefly unavailable): a failure is told once, at the end.

import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import type { Clock } from "../../runtime/clock.ts";
import { retry } from "../../runtime/poll.ts";
import type { Reporter } from "../reporter.ts";
import { pullError } from "./errors.ts";

const TRANSIENT = new Set(["server", "unavailable"]);
/** The pause before the n-th retry is n times this. */
const RETRY_STEP_MS = 1000;

export class Pulls {
  readonly #pulls = new Map<string, Promise<void>>();
  /** The service an image is pulled for, for the hint of a failed pull. */
  readonly #for = new Map<string, string>();

  constructor(
    private readonly engine: Engine,
    private readonly reporter: Reporter,
    private readonly signal: AbortSignal,
    private readonly interrupted: () => SentryctlError,
    private readonly clock: Clock,
    private readonly attempts = 3,
    private readonly imageHint?: (service: string) => string,
  ) {}

  pull(service: string, image: string, platform: string | undefined): Promise<void> {
    if (!this.#for.has(image)) this.#for.set(image, service);
    let p = this.#pulls.get(image);
    if (!p) {
      p = this.#attempt(image, platform);
      this.#pulls.set(image, p);
    }
    return p;
  }

  async #attempt(image: string, platform: string | undefined): Promise<void> {
    const pauses = Array.from(
      { length: Math.max(0, this.attempts - 1) },
      (_, i) => RETRY_STEP_MS * (i + 1),
    );
    try {
      await retry(
        () =>
          this.engine.pullImage(
            image,
            platform,
            (e) => this.reporter.pull(image, e),
            this.signal,
          ),
        {
          pauses,
          retryable: (err) => {
            const reason = err instanceof SentryctlError ? err.reason : undefined;
            return !this.signal.aborted && reason !== undefined && TRANSIENT.has(reason);
          },
          signal: this.signal,
          clock: this.clock,
        },
      );
    } catch (err) {
      if (this.signal.aborted) throw this.interrupted();
      throw pullError(err, this.#for.get(image) ?? image, image, this.imageHint);
    }
  }
}
