// Follows one container until something ends it, and says what that was: a stop request (the
// caller's abort), the container exiting by itself, the container removed by someone else, or
// the engine lost. A reused container that Docker restarts is followed across the restart.
// Losing the engine is never mistaken for a clean exit: a stream that ends is checked against
// the engine before its state is believed.

import type { Readable } from "node:stream";
import type { LogsOptions } from "../docker/client.ts";
import { timestampToSince } from "../docker/demux.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { SentryctlError } from "../errors.ts";
import { AbortedError, raceAbort, sleep } from "./abortable.ts";
import { type LogSinks, streamLogs } from "./log-follow.ts";

export interface FollowEngine {
  inspectContainer(id: string): Promise<ContainerInspect | undefined>;
  logs(id: string, opts: LogsOptions): Promise<Readable>;
  ping(signal?: AbortSignal): Promise<unknown>;
  /** The attach endpoint's output, where available (see DockerClient.attachOutput). */
  attachOutput?(id: string, signal?: AbortSignal): Promise<Readable> | undefined;
}

export type FollowEnd =
  | { kind: "stopped" }
  | { kind: "exited"; code: number; detail: string }
  | { kind: "removed" }
  | { kind: "lost"; error: unknown };

const PING_TIMEOUT_MS = 3000;

export async function followContainer(
  engine: FollowEngine,
  id: string,
  sinks: LogSinks,
  opts: {
    sinceUnix: number;
    signal: AbortSignal;
    /** Read the attach endpoint first (a container this run created and just started). */
    viaAttach?: boolean;
  },
): Promise<FollowEnd> {
  const signal = opts.signal;
  try {
    let inspect = await raceAbort(engine.inspectContainer(id), signal);
    if (!inspect) return { kind: "removed" };
    const raw = inspect.Config.Tty ?? false;
    let after: string | undefined;
    let since: number | string = opts.sinceUnix;
    // The attach endpoint is about twice as fast as the logs API (no log-driver round trip) and,
    // replayed from the start, holds everything a container created a moment ago printed. It
    // carries no timestamps, so a restart is followed through the logs API from then on.
    const attached = opts.viaAttach ? await openAttach(engine, id, signal) : undefined;
    let source = attached ? Promise.resolve(attached) : undefined;
    for (;;) {
      const reading = source;
      source = undefined;
      try {
        after = await streamLogs(engine, id, raw, sinks, {
          since,
          after,
          showTimestamps: false,
          follow: true,
          signal,
          source: reading,
          lean: true,
        });
        if (reading && after === undefined) since = Math.floor(Date.now() / 1000);
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
      inspect = await settledState(engine, id, signal);
      if (!inspect) return { kind: "removed" };
      if (inspect.State.Running) {
        if (after) since = timestampToSince(after);
        continue;
      }
      // `docker rm -f` kills first and removes a moment later: an exit that is followed by a
      // removal was the removal.
      if (await beingRemoved(engine, id, inspect.State.ExitCode, signal)) {
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
  }
}

/**
 * Opens the attach endpoint, then checks the container still runs: attaching to one that has
 * already exited would wait for a start that never comes. Nothing has been read yet (the body
 * holds its data until a reader listens), so falling back to the logs API repeats nothing.
 */
async function openAttach(
  engine: FollowEngine,
  id: string,
  signal: AbortSignal,
): Promise<Readable | undefined> {
  const opening = engine.attachOutput?.(id, signal);
  if (!opening) return undefined;
  let stream: Readable;
  try {
    stream = await raceAbort(opening, signal);
  } catch (err) {
    if (signal.aborted) throw new AbortedError();
    if (isUnavailable(err)) throw err;
    return undefined; // the logs API will do
  }
  const now = await raceAbort(engine.inspectContainer(id), signal);
  if (now?.State.Running) return stream;
  stream.destroy();
  return undefined;
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

async function beingRemoved(
  engine: FollowEngine,
  id: string,
  exitCode: number,
  signal: AbortSignal,
): Promise<boolean> {
  // Only a SIGKILL (137) can be the first half of `docker rm -f`; any other exit is the
  // container's own, and is reported without delay.
  const polls = exitCode === 137 ? 10 : 1;
  for (let i = 0; i < polls; i++) {
    const now = await raceAbort(engine.inspectContainer(id), signal);
    if (!now) return true;
    if (now.State.Status === "removing" || now.State.Status === "dead") {
      await sleep(100, signal);
      continue;
    }
    if (i + 1 < polls) await sleep(100, signal);
  }
  const last = await raceAbort(engine.inspectContainer(id), signal);
  return !last || last.State.Status === "removing" || last.State.Status === "dead";
}

/** After the log stream ends: waits out a restart in progress and returns the state. */
async function settledState(
  engine: FollowEngine,
  id: string,
  signal: AbortSignal,
): Promise<ContainerInspect | undefined> {
  for (let i = 0; i < 600; i++) {
    const inspect = await raceAbort(engine.inspectContainer(id), signal);
    if (!inspect) return undefined;
    const s = inspect.State;
    if (s.Running && !s.Restarting) return inspect;
    // Exited for good unless a restart policy is about to bring it back.
    const policy = inspect.HostConfig.RestartPolicy?.Name ?? "no";
    if (!s.Restarting && (policy === "no" || policy === "" || (s.Status === "exited" && i > 20))) {
      return inspect;
    }
    await sleep(100, signal);
  }
  return await raceAbort(engine.inspectContainer(id), signal);
}
