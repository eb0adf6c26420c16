// Follows one container until something ends it, and says what that was: a stop request (the
// caller's abort), the container exiting by itself, the container removed by someone else, or
// the engine lost. A container that Docker restarts (a restart policy, `docker restart`) is
// followed across the restart.
// Losing the engine is never mistaken for a clean exit: a stream that ends is checked against
// the engine before its state is believed.

import type { Readable } from "node:stream";
import type { EventsOptions, LogsOptions } from "../docker/engine.ts";
import { LogCursor } from "../docker/log-cursor.ts";
import type { ContainerInspect, EngineEvent } from "../docker/types.ts";
import { SentryctlError } from "../errors.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import { poll } from "../runtime/poll.ts";
import { AbortedError, raceAbort } from "./abortable.ts";
import { COMPOSE_LABELS, LABELS } from "./labels.ts";
import { type LogSinks, type ShownBytes, streamLogs } from "./log-follow.ts";

export interface FollowEngine {
  inspectContainer(id: string): Promise<ContainerInspect | undefined>;
  logs(id: string, opts: LogsOptions): Promise<Readable>;
  ping(signal?: AbortSignal): Promise<unknown>;
  /** The engine's container events (who asked a container to stop), where available. */
  events?(opts: EventsOptions): AsyncIterable<EngineEvent>;
}

export type FollowEnd =
  | { kind: "stopped" }
  | { kind: "exited"; code: number; detail: string }
  | { kind: "removed" }
  | { kind: "lost"; error: unknown };

const PING_TIMEOUT_MS = 3000;
/** How long an exit someone asked for (stop, kill, restart) is watched for a start. */
const RESTART_WAIT_MS = 3000;
/** How often a stopped container's state is looked at again. */
const STATE_POLL_MS = 100;
/** Looks at an exit before it is final whatever the restart policy (2 s), and at most (60 s). */
const POLICY_GRACE_POLLS = 20;
const SETTLE_POLLS = 600;
/** Looks for the removal half of a `docker rm -f` after a SIGKILL exit (1 s). */
const REMOVAL_POLLS = 10;

export async function followContainer(
  engine: FollowEngine,
  id: string,
  sinks: LogSinks,
  opts: {
    sinceUnix: number;
    signal: AbortSignal;
    /**
     * The attach stream, opened before this run started the container: everything it prints.
     * It carries no timestamps, so after it ends (a restart) the logs API is read from the start,
     * skipping exactly the bytes it showed.
     */
    attached?: Readable;
    /** This run created the container: its whole output is shown, not just `sinceUnix`. */
    created?: boolean;
    clock?: Clock;
  },
): Promise<FollowEnd> {
  const signal = opts.signal;
  const clock = opts.clock ?? realClock;
  const watching = new AbortController();
  const stopWatch = AbortSignal.any([signal, watching.signal]);
  try {
    let inspect = await raceAbort(engine.inspectContainer(id), signal);
    if (!inspect) return { kind: "removed" };
    const raw = inspect.Config.Tty ?? false;
    const stops = new StopRequests(engine, id, inspect, stopWatch);
    /** Where the logs API reads stopped; only a read that showed everything moves it. */
    let cursor = new LogCursor();
    let since: number | string = opts.created || opts.attached ? 0 : opts.sinceUnix;
    let source = opts.attached ? Promise.resolve(opts.attached) : undefined;
    const shownByAttach: ShownBytes = { stdout: 0, stderr: 0 };
    let skip: ShownBytes | undefined;
    for (;;) {
      const reading = source;
      source = undefined;
      // A read that must first skip what the attach stream showed starts from the beginning
      // with its own cursor, kept only once the skip is through (else it is read again).
      const reader = skip ? new LogCursor() : cursor;
      try {
        await streamLogs(engine, id, raw, sinks, {
          since,
          cursor: reader,
          showTimestamps: false,
          follow: true,
          signal,
          source: reading,
          lean: true,
          skip,
          shown: reading ? shownByAttach : undefined,
        });
        if (reading) skip = { ...shownByAttach };
        else if (skip && (skip.stdout > 0 || skip.stderr > 0)) skip = { ...shownByAttach };
        else {
          skip = undefined;
          cursor = reader;
        }
      } catch (err) {
        if (signal.aborted) return { kind: "stopped" };
        if (isUnavailable(err) || !(await engineAnswers(engine, signal))) {
          return { kind: "lost", error: err };
        }
        throw err;
      }
      if (signal.aborted || sinks.stdout.failure || sinks.stderr.failure) {
        return { kind: "stopped" };
      }
      // The stream ended: the container stopped, restarted, was removed, or the engine went away.
      if (!(await engineAnswers(engine, signal))) {
        return { kind: "lost", error: new Error("the engine stopped answering") };
      }
      inspect = await settledState(engine, id, stops, signal, clock);
      if (!inspect) return { kind: "removed" };
      if (inspect.State.Running) {
        since = cursor.since() ?? since;
        continue;
      }
      // `docker rm -f` kills first and removes a moment later: an exit that is followed by a
      // removal was the removal.
      if (await beingRemoved(engine, id, inspect.State.ExitCode, signal, clock)) {
        return { kind: "removed" };
      }
      const s = inspect.State;
      const detail = s.OOMKilled ? " (out of memory)" : s.Error ? ` (${s.Error})` : "";
      return { kind: "exited", code: s.ExitCode, detail };
    }
  } catch (err) {
    if (err instanceof AbortedError || signal.aborted) return { kind: "stopped" };
    if (isUnavailable(err)) return { kind: "lost", error: err };
    throw err;
  } finally {
    watching.abort();
  }
}

/**
 * Whether someone asked the container to stop (`docker stop`, `restart`, `kill`) since it last
 * started, from the engine's events: such an exit may be the first half of a `docker restart`,
 * which nothing in the container's state tells apart from a `docker stop` until it starts again.
 * An exit nobody asked for is the container's own and is reported at once.
 */
class StopRequests {
  #requested = false;

  constructor(engine: FollowEngine, id: string, inspect: ContainerInspect, signal: AbortSignal) {
    if (!engine.events) return;
    // The container's own project label narrows the subscription (compose's when docker compose
    // made it); the events are matched by id either way.
    const own = inspect.Config.Labels ?? {};
    const label = own[LABELS.project] !== undefined ? LABELS.project : COMPOSE_LABELS.project;
    const labels = own[label] === undefined ? [] : [`${label}=${own[label]}`];
    void (async () => {
      for await (const event of engine.events!({ labels, signal })) {
        if (event.Actor.ID !== id) continue;
        const action = event.Action.split(":")[0]!.trim();
        if (action === "kill" || action === "stop" || action === "restart") this.#requested = true;
        else if (action === "start") this.#requested = false;
      }
    })().catch(() => {}); // without events an exit is taken as final, as before
  }

  get requested(): boolean {
    return this.#requested;
  }
}

export function isUnavailable(err: unknown): boolean {
  return err instanceof SentryctlError && err.category === "docker_unavailable";
}

async function engineAnswers(engine: FollowEngine, signal: AbortSignal): Promise<boolean> {
  const timeout = AbortSignal.timeout(PING_TIMEOUT_MS);
  try {
    await raceAbort(engine.ping(timeout), AbortSignal.any([signal, timeout]));
    return true;
  } catch {
    if (signal.aborted) throw new AbortedError();
    return false;
  }
}

export async function beingRemoved(
  engine: Pick<FollowEngine, "inspectContainer">,
  id: string,
  exitCode: number,
  signal: AbortSignal,
  clock: Clock = realClock,
): Promise<boolean> {
  const removing = (c: ContainerInspect | undefined) =>
    !c || c.State.Status === "removing" || c.State.Status === "dead";
  // Only a SIGKILL (137) can be the first half of `docker rm -f`; any other exit is the
  // container's own, and is reported without delay.
  const gone = await poll(
    async () => (await raceAbort(engine.inspectContainer(id), signal)) ? undefined : true,
    { every: STATE_POLL_MS, attempts: exitCode === 137 ? REMOVAL_POLLS : 1, signal, clock },
  );
  return gone ?? removing(await raceAbort(engine.inspectContainer(id), signal));
}

/**
 * After the log stream ends: waits out a restart in progress (a restart policy's, or a
 * `docker restart`, whose stop phase looks like any exit) and returns the state.
 */
export async function settledState(
  engine: Pick<FollowEngine, "inspectContainer">,
  id: string,
  stops: { readonly requested: boolean },
  signal: AbortSignal,
  clock: Clock = realClock,
): Promise<ContainerInspect | undefined> {
  const waitForStartUntil = clock.now() + RESTART_WAIT_MS;
  const settled = await poll(async (attempt) => {
    const inspect = await raceAbort(engine.inspectContainer(id), signal);
    if (!inspect) return { inspect };
    const s = inspect.State;
    if (s.Running && !s.Restarting) return { inspect };
    // Exited for good unless a restart policy or a `docker restart` is about to bring it back.
    const policy = inspect.HostConfig.RestartPolicy?.Name ?? "no";
    const asked = stops.requested && clock.now() < waitForStartUntil;
    const policyGraceOver = s.Status === "exited" && attempt > POLICY_GRACE_POLLS + 1;
    if (!s.Restarting && !asked && (policy === "no" || policy === "" || policyGraceOver)) {
      return { inspect };
    }
    return undefined;
  }, { every: STATE_POLL_MS, attempts: SETTLE_POLLS, signal, clock });
  return settled ? settled.inspect : await raceAbort(engine.inspectContainer(id), signal);
}
