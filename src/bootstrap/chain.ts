// The settings / initializer chain: Sentry's `configure()` → `initialize_app()` as a list of
// named steps run in order. A command asks for the chain "through" the step it needs, so a
// command that only talks to Docker never pays for validators or the SDK. The chain runs each
// step once per process; a failed run is reset so it can be retried.

import { Telemetry } from "../telemetry/index.ts";
import { emptyState } from "./context.ts";
import { CHAIN_LEVELS, CHAIN_STEPS, type Level } from "./steps.ts";
import type { ChainInput, ChainState, ChainStep, StepName } from "./types.ts";

export class InitializerChain {
  #state: ChainState = emptyState();
  #done = 0;
  #running: Promise<ChainState> | undefined;
  readonly #steps: readonly ChainStep[];
  readonly #input: ChainInput;

  /** Without `telemetry` the chain configures a fresh one of its own (tests). */
  constructor(
    input: Omit<ChainInput, "telemetry"> & { telemetry?: Telemetry },
    steps: readonly ChainStep[] = CHAIN_STEPS,
  ) {
    this.#input = { ...input, telemetry: input.telemetry ?? new Telemetry() };
    this.#steps = steps;
  }

  /** The telemetry the `configure-sdk` step configures (the CLI edge captures and flushes it). */
  get telemetry(): Telemetry {
    return this.#input.telemetry;
  }

  /** Names of the steps that have completed, in order (for tests and `--verbose`). */
  get completed(): StepName[] {
    return this.#steps.slice(0, this.#done).map((s) => s.name);
  }

  /** Runs every step up to and including `name` that has not run yet. */
  through(name: StepName): Promise<ChainState> {
    const target = this.#steps.findIndex((s) => s.name === name);
    if (target < 0) throw new Error(`unknown initializer step: ${name}`);
    // Serialize concurrent callers behind the run in progress.
    const previous = this.#running ?? Promise.resolve(this.#state);
    const run = previous.then(() => this.#runUntil(target));
    this.#running = run.catch(() => this.#state);
    return run;
  }

  /** Runs the chain as far as a named level needs (see CHAIN_LEVELS in steps.ts). */
  throughLevel(level: Level): Promise<ChainState> {
    return this.through(CHAIN_LEVELS[level]);
  }

  /** The whole chain: Sentry's `configure()`. */
  configure(): Promise<ChainState> {
    const last = this.#steps[this.#steps.length - 1];
    return last ? this.through(last.name) : Promise.resolve(this.#state);
  }

  async #runUntil(target: number): Promise<ChainState> {
    try {
      while (this.#done <= target) {
        const step = this.#steps[this.#done]!;
        const started = performance.now();
        await step.run(this.#state, this.#input);
        this.#done++;
        // Steps before `logging` go to the null logger.
        this.#state.logger.debug("initializer step done", {
          step: step.name,
          ms: Math.round((performance.now() - started) * 100) / 100,
        });
      }
      return this.#state;
    } catch (err) {
      // Sentry sets `__installed` only after success: start from scratch next time.
      this.#state = emptyState();
      this.#done = 0;
      throw err;
    }
  }
}
