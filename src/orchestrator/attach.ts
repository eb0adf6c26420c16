// `attach SERVICE` (the seed's flow): start or reuse the container, print the recent back-log
// and follow it. SPEC §3 and §8 fix what ends it and how:
// - first SIGINT/SIGTERM/SIGHUP: during set-up the remaining steps are abandoned (exit 130);
//   while following, a container this run created is stopped and removed (exit 0), one it found
//   running is left running and attach says it detached (exit 0);
// - a second signal ends the process within about a second whatever the daemon does (exit 130),
//   saying what may be left running;
// - stdout or stderr closed or failing (EPIPE, ENOSPC) is a stop request ending in exit 141;
// - the container exiting by itself: its exit code; removed by someone else: 1; engine lost: 4.

import type { Readable } from "node:stream";
import { type Clock, realClock } from "../runtime/clock.ts";
import type { Signals, Writer } from "../runtime/io.ts";
import type { Engine } from "../docker/engine.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { type ContainerPlan, planContainer } from "./container-config.ts";
import { failure, SentryctlError } from "../errors.ts";
import { converge } from "./index.ts";
import { catalogLayout, type Stack, type StackService, withServices } from "./stack-model.ts";
import { currentSession, formatSession } from "../runtime/session.ts";
import { raceAbort } from "./abortable.ts";
import { followContainer, type FollowEnd, isUnavailable } from "./follow.ts";
import { GuardedOutput, writeErrorCode } from "./guarded-output.ts";
import type { Reporter } from "./reporter.ts";

export interface AttachOptions {
  project: string;
  sinceUnix: number;
  stdout: Writer;
  stderr: Writer;
  report: Reporter;
  signals: Signals;
  /** Ends the process at once (the second signal); the CLI edge passes `process.exit`. */
  exitNow(code: number): void;
  /** A project file's stack (owner `attach`): the service's container comes from it. */
  stack?: Stack;
  /** How to point the service at another image (names the settings file). */
  imageHint?: (service: string) => string;
  clock?: Clock;
}

/** Exit codes of SPEC §8. */
export const EXIT_STOPPED = 0;
export const EXIT_KILLED = 130;
export const EXIT_OUTPUT_CLOSED = 141;

/** How long an interrupted set-up waits for execute() to remove what it created. */
const CLEANUP_MS = 1500;
/** How long a second signal waits for a best-effort kill before the process ends. */
const FORCE_EXIT_MS = 1000;

export async function attachService(
  docker: Engine,
  service: ResolvedService,
  opts: AttachOptions,
): Promise<number> {
  const fromStack = opts.stack?.services.find((s) => s.name === service.name);
  const plan = fromStack?.container ?? planContainer(service, {
    project: opts.project,
    foreground: true,
    owner: "attach",
    session: formatSession(currentSession()),
  });
  const desired: StackService = fromStack ?? { name: service.name, container: plan, after: [] };
  const stack = opts.stack
    ? withServices(opts.stack, [desired])
    : catalogLayout(opts.project, [desired]);
  const out = guard(opts.stdout, "stdout");
  const err = guard(opts.stderr, "stderr");
  const projectFlag = opts.project === "sentry" ? "" : ` --project ${opts.project}`;
  const clock = opts.clock ?? realClock;
  const run = new AttachRun(
    docker,
    clock,
    service.name,
    plan,
    err,
    opts.exitNow,
    `sentryctl${projectFlag} logs ${service.name}`,
  );
  const onSignal = () => run.signal();
  const names = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const name of names) opts.signals.on(name, onSignal);
  out.onFailure((e) => run.outputFailed(out, e));
  err.onFailure((e) => run.outputFailed(err, e));
  try {
    let prepared: Prepared;
    try {
      prepared = await prepareContainer(docker, stack, opts, run.setupSignal, service.name);
    } catch (e) {
      return run.setupFailed(e);
    }
    run.running(prepared);
    const end = await followContainer(docker, prepared.id, { stdout: out, stderr: err }, {
      sinceUnix: opts.sinceUnix,
      signal: run.followSignal,
      attached: prepared.attached,
      created: prepared.created,
      clock,
    });
    return await run.finish(end);
  } finally {
    for (const name of names) opts.signals.off(name, onSignal);
    out.release();
    err.release();
  }
}

function guard(w: Writer, name: "stdout" | "stderr"): GuardedOutput {
  return w instanceof GuardedOutput ? w : new GuardedOutput(w, name);
}

interface Prepared {
  id: string;
  /** True when this run created the container (so a stop request removes it). */
  created: boolean;
  /** The attach stream opened before the container this run created started. */
  attached?: Readable;
}

/** Observe → plan → execute for the one service; the container once it runs. */
async function prepareContainer(
  docker: Engine,
  stack: Stack,
  opts: AttachOptions,
  aborted: AbortSignal,
  name: string,
): Promise<Prepared> {
  // Attached before it starts, as `docker run` does: a stream opened after the start misses what
  // is printed between the two (a burst lost tens of thousands of lines that way).
  let attached: Readable | undefined;
  const beforeStart = async (_service: string, id: string) => {
    attached?.destroy();
    attached = undefined;
    if (!docker.attachOutput) return; // the logs API from the start will do
    try {
      attached = await docker.attachOutput(id, aborted);
      attached.pause(); // held in the socket, not in memory, until followed
    } catch (e) {
      if (aborted.aborted || isUnavailable(e)) throw e;
    }
  };
  // The whole set-up races the abort: a frozen daemon or the long stop of an old container must
  // not hold a Ctrl-C hostage. execute() sees the same signal and starts no further step.
  const work = (async () => {
    const { result } = await converge(docker, stack, {
      owner: "attach",
      recreate: false,
      pull: "missing",
      wait: false,
      // The set-up races its own abort (below); a lock would hold a Ctrl-C hostage.
      lock: false,
      reporter: opts.report,
      signal: aborted,
      imageHint: opts.imageHint,
      beforeStart,
      clock: opts.clock,
    });
    const outcome = result!.outcomes.get(name)!;
    const created = outcome.outcome === "created";
    if (!created) attached?.destroy();
    return { id: outcome.id!, created, attached: created ? attached : undefined };
  })();
  try {
    return await raceAbort(work, aborted);
  } catch (err) {
    attached?.destroy();
    // Interrupted: execute removes what it created; give it a moment (not a hostage's wait).
    if (aborted.aborted) {
      await Promise.race([work.catch(() => {}), (opts.clock ?? realClock).sleep(CLEANUP_MS)]);
    }
    throw err;
  }
}

type StopReason = "signal" | "output";

/** The state of one attach: what runs, who asked it to end, and how it ends. */
class AttachRun {
  readonly #setup = new AbortController();
  readonly #follow = new AbortController();
  #stage: "setup" | "running" | "stopping" = "setup";
  #reason: StopReason | undefined;
  #signals = 0;
  #prepared: Prepared | undefined;
  #stopping: Promise<number> | undefined;
  #outputError: string | undefined;

  constructor(
    private readonly docker: Engine,
    private readonly clock: Clock,
    private readonly service: string,
    private readonly plan: ContainerPlan,
    private readonly err: GuardedOutput,
    private readonly exitNow: (code: number) => void,
    /** The command that shows the stopped container's output (`sentryctl logs …`). */
    private readonly logsCommand: string,
  ) {}

  get setupSignal(): AbortSignal {
    return this.#setup.signal;
  }
  get followSignal(): AbortSignal {
    return this.#follow.signal;
  }

  #say(line: string): void {
    this.err.write(`${line}\n`);
  }

  signal(): void {
    this.#signals++;
    if (this.#signals === 1) this.#request("signal");
    else if (this.#signals === 2) void this.#force();
  }

  outputFailed(which: GuardedOutput, e: Error): void {
    if (this.#outputError) return;
    this.#outputError = `${which.name} ${
      writeErrorCode(e) === "EPIPE" ? "was closed" : `failed (${writeErrorCode(e)})`
    }`;
    this.#request("output");
  }

  #request(reason: StopReason): void {
    if (this.#reason) return;
    this.#reason = reason;
    if (this.#stage === "setup") this.#setup.abort();
    else if (this.#stage === "running") this.#beginStop();
  }

  running(prepared: Prepared): void {
    this.#prepared = prepared;
    this.#stage = "running";
    if (this.#reason) this.#beginStop();
  }

  #beginStop(): void {
    this.#stage = "stopping";
    this.#follow.abort();
    this.#stopping = this.#stop();
  }

  /** The first request while the container runs: stop and remove it, or detach. */
  async #stop(): Promise<number> {
    const { id, created } = this.#prepared!;
    const code = this.#reason === "output" ? EXIT_OUTPUT_CLOSED : EXIT_STOPPED;
    const why = this.#outputError ? ` (${this.#outputError})` : "";
    const container = this.plan.name;
    if (!created) {
      this.#say(
        `Detached from ${this.service}${why}; container '${container}' keeps running (it was already running when attach started)`,
      );
      return code;
    }
    this.#say(`Stopping ${this.service}${why}`);
    try {
      await this.docker.stopContainer(id, this.plan.stopGraceSeconds);
      this.#say(`Removing ${this.service}`);
      await this.docker.removeContainer(id, { force: true });
      return code;
    } catch (e) {
      if (isUnavailable(e)) {
        throw new SentryctlError(
          "docker_unavailable",
          `Lost the Docker engine while stopping ${this.service}`,
          {
            cause: e,
            hint:
              `check that the Docker engine is running; container '${container}' may still be running`,
          },
        );
      }
      throw failure(`Could not stop ${this.service}: ${(e as Error).message}`, {
        cause: e,
        hint: `remove it with 'docker rm -f ${container}'`,
      });
    }
  }

  /** The second signal: a best-effort kill bounded in time, then the process ends. */
  async #force(): Promise<void> {
    const container = this.plan.name;
    const prepared = this.#prepared;
    let left: string;
    if (prepared && !prepared.created) {
      left = `container '${container}' keeps running (attach did not create it)`;
    } else if (prepared) {
      const removed = await Promise.race([
        this.docker.removeContainer(prepared.id, { force: true }).then(() => true, () => false),
        this.clock.sleep(FORCE_EXIT_MS).then(() => false),
      ]);
      left = removed
        ? `container '${container}' was killed and removed`
        : `may still be running: container '${container}' (remove it with 'docker rm -f ${container}')`;
    } else {
      left =
        `may still be running: container '${container}', if Docker created it before the interrupt (remove it with 'docker rm -f ${container}')`;
    }
    this.#say(`Interrupted again: exiting now; ${left}`);
    this.exitNow(EXIT_KILLED);
  }

  /** Set-up ended with an error: an abort (signal or output) or a real failure. */
  setupFailed(e: unknown): number {
    if (!this.#reason) throw e;
    const container = this.plan.name;
    if (this.#reason === "output") {
      this.#say(`${this.#outputError}; stopped before ${this.service} started`);
      return EXIT_OUTPUT_CLOSED;
    }
    throw new SentryctlError("aborted", `Interrupted before ${this.service} started`, {
      hint:
        `the remaining steps were not run; if Docker had already created '${container}', remove it with 'docker rm -f ${container}'`,
    });
  }

  /** Following ended: a stop request's outcome, or what happened to the container. */
  async finish(end: FollowEnd): Promise<number> {
    if (this.#stopping) {
      const code = await this.#stopping;
      // After a second signal the forced exit decides (130), even if the stop won the race.
      return this.#signals >= 2 ? await new Promise<number>(() => {}) : code;
    }
    const container = this.plan.name;
    switch (end.kind) {
      case "stopped":
        // Output failed without a request having started a stop (cannot happen) — be safe.
        this.#beginStop();
        return await this.#stopping!;
      case "removed":
        throw failure(
          `Container '${container}' was removed by someone else while attach followed it`,
          { hint: `nothing is left to follow; run 'sentryctl attach ${this.service}' again` },
        );
      case "lost":
        throw new SentryctlError(
          "docker_unavailable",
          `Lost the Docker engine while following ${this.service}: ${(end.error as Error).message}`,
          {
            cause: end.error,
            hint:
              `check that the Docker engine is running; container '${container}' may still exist`,
          },
        );
      case "exited":
        this.#say(
          `> Container '${container}' exited with code ${end.code}${end.detail}; left stopped (see '${this.logsCommand}')`,
        );
        return end.code;
    }
  }
}
