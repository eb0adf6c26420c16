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
  opts: { sinceUnix: number; signal: AbortSignal },
): Promise<FollowEnd> {
  const signal = opts.signal;
  try {
    let inspect = await raceAbort(engine.inspectContainer(id), signal);
    if (!inspect) return { kind: "removed" };
    const raw = inspect.Config.Tty ?? false;
    let after: string | undefined;
    let since: number | string = opts.sinceUnix;
    for (;;) {
      try {
        after = await streamLogs(engine, id, raw, sinks, {
          since,
          after,
          showTimestamps: false,
          follow: true,
          signal,
        });
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
      if (await beingRemoved(engine, id, signal)) return { kind: "removed" };
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
  signal: AbortSignal,
): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    await sleep(i === 0 ? 300 : 100, signal);
    const now = await raceAbort(engine.inspectContainer(id), signal);
    if (!now) return true;
    if (now.State.Status !== "removing" && now.State.Status !== "dead") return false;
  }
  return false;
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
