// Each image pulled once per run, however many services use it, with silent retries on transient
// failures (the engine or registry briefly unavailable): a failure is told once, at the end.

import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import type { Reporter } from "../reporter.ts";
import { pullError } from "./errors.ts";

const TRANSIENT = new Set(["server", "unavailable"]);

export class Pulls {
  readonly #pulls = new Map<string, Promise<void>>();
  /** The service an image is pulled for, for the hint of a failed pull. */
  readonly #for = new Map<string, string>();

  constructor(
    private readonly engine: Engine,
    private readonly reporter: Reporter,
    private readonly signal: AbortSignal,
    private readonly interrupted: () => SentryctlError,
    private readonly sleep: (ms: number) => Promise<void>,
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
    for (let attempt = 1;; attempt++) {
      try {
        await this.engine.pullImage(
          image,
          platform,
          (e) => this.reporter.pull(image, e),
          this.signal,
        );
        return;
      } catch (err) {
        if (this.signal.aborted) throw this.interrupted();
        const reason = err instanceof SentryctlError ? err.reason : undefined;
        if (attempt >= this.attempts || !reason || !TRANSIENT.has(reason)) {
          throw pullError(err, this.#for.get(image) ?? image, image, this.imageHint);
        }
        await this.sleep(1000 * attempt);
      }
    }
  }
}
