// Waits until a service's probe passes: the first attempt 50 ms after the wait begins (an exec
// probe at once: the engine takes longer than that to run its command), then ever less often (100, 200, 400, 800 ms, then once a second, or the probe's interval if
// shorter), until the
// service's own `timeout_total` or the overall deadline. A container that exits meanwhile
// fails (exit 6, "exited while waiting"), unless it starts again within a moment (a
// `docker restart` is no death); a probe the engine refuses because of that exit is just a
// failed attempt. On failure: the service, the probe and what it said, and its last log lines
// (exit 6).

import { isLocalEndpoint } from "../../docker/endpoint.ts";
import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import type { HealthcheckSpec } from "../../services/spec.ts";
import { describeProbe } from "../plan.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import { backoff, poll } from "../../runtime/poll.ts";
import type { ProbeMemo } from "./probe-memo.ts";
import {
  dockerHealth,
  isLoopbackUrl,
  probeOnce,
  type ProbeResult,
  readMultiplexed,
} from "./probes.ts";
import { type Interfaces, TcpTarget } from "./tcp-target.ts";

export interface WaitOptions {
  clock?: Clock;
  /** Absolute time (clock ms) by which everything must be healthy (`up --timeout`). */
  deadline?: number;
  /** Log lines shown on failure. */
  logTail?: number;
  /** A container that was already running is probed at once (warm `up` stays fast). */
  alreadyRunning?: boolean;
  /** Its inspect from moments ago (observe's), so Docker's verdict is read without a call. */
  observed?: ContainerInspect;
  /** Exec probes that passed recently, across processes (./probe-memo.ts). */
  memo?: ProbeMemo;
  /** The host's network interfaces (a tcp probe's direct route, ./tcp-target.ts). */
  interfaces?: Interfaces;
}

// Most services answer within a few hundred milliseconds of their start; every step of the
// back-off a probe waits past that moment is added to a cold `up`. An exec probe goes at once:
// creating and running its process takes the engine 100–300 ms, by which time the service has
// had the head start the pause would give it (a trace of bench/up.ts: `redis-cli ping` sent at
// once passes at its first attempt), and the pause was on the path of every dependent.
const FIRST_DELAY_MS = 50;
const SECOND_DELAY_MS = 100;
const MAX_DELAY_MS = 1000;
// A tcp probe answered by the container's own address (./tcp-target.ts), or an http probe of
// this host refused or hung up on (ProbeResult.soon), costs a local connect: for the first
// SOON_WINDOW_MS such an attempt is repeated this often (the container's state
// looked at no more often than every LIVENESS_MS) instead of waiting out the back-off; a service
// slower than that goes back to the back-off.
const SOON_MS = 10;
const SOON_WINDOW_MS = 2000;
const LIVENESS_MS = 100;
/** How long an exit is watched for the start of a `docker restart`, and how often. */
const RESTART_GRACE_MS = 2000;
const RESTART_POLL_MS = 100;
/** A service without `timeout_total` gets this long. */
const DEFAULT_TOTAL_S = 60;

export async function waitHealthy(
  engine: Engine,
  service: { name: string; healthcheck?: HealthcheckSpec },
  containerId: string,
  signal: AbortSignal,
  opts: WaitOptions = {},
): Promise<void> {
  const spec = service.healthcheck;
  if (!spec || !describeProbe(spec)) return;
  const clock = opts.clock ?? realClock;
  // Docker's own health, already read by observe: a warm `up` asks the engine nothing more.
  if (spec.docker && opts.observed && dockerHealth(opts.observed).ok) return;
  if (opts.alreadyRunning && spec.exec) {
    const inspect = opts.observed ?? await engine.inspectContainer(containerId);
    if (dockerVouches(inspect, spec, Date.now())) return;
    const startedAt = inspect?.State.StartedAt;
    if (startedAt && opts.memo?.passedWithin(containerId, startedAt, probeInterval(spec))) return;
  }
  const started = clock.now();
  const own = started + (spec.timeout_total ?? DEFAULT_TOTAL_S) * 1000;
  const deadline = opts.deadline === undefined ? own : Math.min(own, opts.deadline);
  const cap = Math.min(MAX_DELAY_MS, Math.max(SECOND_DELAY_MS, (spec.interval ?? 1) * 1000));
  const tcp = spec.tcp === undefined ? undefined : new TcpTarget(engine, containerId, spec.tcp, {
    interfaces: opts.interfaces,
  });
  // Docker's own health is one inspect, and most containers have no HEALTHCHECK: asked at once;
  // so is a tcp probe on a local engine (likely a cheap connect to the container's address) and
  // an http probe of this host (refused or hung up on at once while nothing listens).
  const cheap = (tcp && isLocalEndpoint(engine.endpoint)) ||
    (spec.http !== undefined && isLoopbackUrl(spec.http));
  const pauses = backoff({
    first: opts.alreadyRunning || spec.docker || spec.exec || cheap ? 0 : FIRST_DELAY_MS,
    min: SECOND_DELAY_MS,
    max: cap,
  });
  let delay = pauses.next().value;
  let last: ProbeResult = { ok: false, output: "not tried yet" };
  let attempts = 0;
  let lookedAt = -Infinity;
  for (;;) {
    const wait = Math.min(delay, Math.max(0, deadline - clock.now()));
    await clock.sleep(wait, signal);
    attempts++;
    last = await probeOnce(engine, containerId, spec, signal, clock, tcp).catch((err: unknown) =>
      probeRefused(err, signal)
    );
    if (last.ok) {
      if (spec.exec && opts.memo) {
        const startedAt = (await engine.inspectContainer(containerId))?.State.StartedAt;
        if (startedAt) opts.memo.remember(containerId, startedAt);
      }
      return;
    }
    const soon = last.soon === true && clock.now() - started < SOON_WINDOW_MS;
    if (soon && clock.now() - lookedAt < LIVENESS_MS) {
      delay = SOON_MS;
      continue;
    }
    lookedAt = clock.now();
    const inspect = await engine.inspectContainer(containerId);
    if (inspect && !inspect.State.Running && (await startsAgain(engine, inspect, clock, signal))) {
      tcp?.reset(); // its address and host port belong to the run that ended
      continue; // a `docker restart`: probe the new run, from the first back-off step
    }
    if (last.final) {
      throw await unhealthy(
        engine,
        service.name,
        containerId,
        `${service.name} is unhealthy`,
        spec,
        last,
        attempts,
        opts,
      );
    }
    if (!inspect || (!inspect.State.Running && !inspect.State.Restarting)) {
      const why = inspect
        ? `exited with code ${inspect.State.ExitCode}${
          inspect.State.OOMKilled ? " (out of memory)" : ""
        }`
        : "was removed";
      throw await unhealthy(
        engine,
        service.name,
        containerId,
        `${service.name} ${why} while waiting to become healthy`,
        spec,
        last,
        attempts,
        opts,
      );
    }
    if (clock.now() >= deadline) {
      const seconds = Math.round((clock.now() - started) / 100) / 10;
      throw await unhealthy(
        engine,
        service.name,
        containerId,
        `${service.name} did not become healthy within ${seconds}s`,
        spec,
        last,
        attempts,
        opts,
      );
    }
    delay = soon ? SOON_MS : pauses.next().value;
  }
}

/**
 * A probe the engine refused (an exec in a container that stopped meanwhile: 409 "is not
 * running") is a failed attempt: the container's state, read next, says what happened.
 * Losing the engine or being interrupted still ends the wait.
 */
function probeRefused(err: unknown, signal: AbortSignal): ProbeResult {
  if (signal.aborted || !(err instanceof SentryctlError) || err.category === "docker_unavailable") {
    throw err;
  }
  // A 409: the engine would not exec in a container that is not running; say so plainly (the
  // engine's words name a container id and an API call, not what happened to the service).
  if (err.reason === "conflict" || err.statusCode === 409) {
    return { ok: false, output: "not run: the container was not running" };
  }
  return { ok: false, output: err.message };
}

/**
 * An exit during the wait may be the stop half of a `docker restart` (nothing in the state
 * tells it from a death until it starts again): watched for a new start for a moment. Out of
 * memory is a death at once.
 */
async function startsAgain(
  engine: Engine,
  exited: ContainerInspect,
  clock: Clock,
  signal: AbortSignal,
): Promise<boolean> {
  if (exited.State.OOMKilled || exited.State.Restarting) return false;
  const started = await poll(async () => {
    const now = await engine.inspectContainer(exited.Id);
    if (!now) return false;
    return now.State.Running || now.State.StartedAt !== exited.State.StartedAt ? true : undefined;
  }, {
    every: RESTART_POLL_MS,
    pauseFirst: true,
    deadline: clock.now() + RESTART_GRACE_MS,
    signal,
    clock,
  });
  return started ?? false;
}

/**
 * A running container whose Docker HEALTHCHECK (the same exec probe, installed at create) has
 * passed within its interval counts as healthy without running the command again: an exec costs
 * the engine ~0.2 s, most of a warm `up`. A streak of failures, an old or missing last check, or
 * an engine clock that disagrees with ours falls back to probing.
 */
export async function checkedByDocker(
  engine: Engine,
  containerId: string,
  spec: HealthcheckSpec,
  nowMs = Date.now(),
): Promise<boolean> {
  return dockerVouches(await engine.inspectContainer(containerId), spec, nowMs);
}

/** `checkedByDocker` on an inspect already at hand. */
function dockerVouches(
  inspect: ContainerInspect | undefined,
  spec: HealthcheckSpec,
  nowMs: number,
): boolean {
  // The probe is not part of the config hash: a container created before the probe changed
  // still runs the old command as its HEALTHCHECK, and its verdict says nothing about the new.
  const test = inspect?.Config.Healthcheck?.Test ?? [];
  const same = test[0] === "CMD" && test.length === (spec.exec?.length ?? 0) + 1 &&
    spec.exec!.every((arg, i) => String(arg) === test[i + 1]);
  if (!same) return false;
  const health = inspect?.State.Health;
  const last = health?.Log?.at(-1);
  if (health?.Status !== "healthy" || (health.FailingStreak ?? 0) > 0 || last?.ExitCode !== 0) {
    return false;
  }
  const age = nowMs - Date.parse(last.End);
  return age >= -1000 && age <= probeInterval(spec) + 1000;
}

/** How often Docker runs the HEALTHCHECK (container-config.ts installs it with this interval). */
function probeInterval(spec: HealthcheckSpec): number {
  return Math.max(1, spec.interval ?? 5) * 1000;
}

async function unhealthy(
  engine: Engine,
  name: string,
  containerId: string,
  message: string,
  spec: HealthcheckSpec,
  last: ProbeResult,
  attempts: number,
  opts: WaitOptions,
): Promise<SentryctlError> {
  const tail = await logTail(engine, containerId, opts.logTail ?? 20);
  const lines = [
    `probe: ${describeProbe(spec)} (${attempts} attempt${attempts === 1 ? "" : "s"})`,
    `last probe result: ${last.output.trim() || "(no output)"}`,
    tail.length > 0 ? `last log lines of ${name}:` : `${name} logged nothing`,
    ...tail.map((l) => `  ${l}`),
  ];
  return new SentryctlError("unhealthy", message, {
    details: lines.join("\n"),
    hint: `see 'sentryctl logs ${name}'; a slow service may need a larger healthcheck ` +
      "timeout_total in SENTRY_DEVSERVICES (or a larger --timeout)",
  });
}

export async function logTail(engine: Engine, containerId: string, n: number): Promise<string[]> {
  try {
    const stream = await engine.logs(containerId, { follow: false, tail: n });
    const text = await readMultiplexed(stream as AsyncIterable<Uint8Array>);
    return text.split("\n").filter((l) => l.trim() !== "").slice(-n);
  } catch {
    return [];
  }
}
