// One attempt of a health probe: a command inside the container (exec, output read without a
// hijacked stream, exit code polled), an HTTP GET from the host, or a TCP connect to the
// host port a container port is published on. Each answers ok plus what it saw.

import type { Engine } from "../../docker/engine.ts";
import { FrameDecoder } from "../../docker/demux.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import type { HealthcheckSpec } from "../../services/spec.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import { poll } from "../../runtime/poll.ts";
import { tcpConnect } from "../../runtime/adapter.ts";

export interface ProbeResult {
  ok: boolean;
  /** What the probe saw: command output, HTTP status, connection error. */
  output: string;
  /** No point in trying again: Docker called the container unhealthy (compose gives up). */
  final?: boolean;
}

const MAX_OUTPUT = 4096;
/** The exit code may trail the output: looked for every 20 ms, for up to 1 s. */
const EXIT_CODE_POLL_MS = 20;
const EXIT_CODE_POLLS = 50;

/** Collects a multiplexed stream as text (stdout and stderr interleaved), bounded. */
export async function readMultiplexed(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new FrameDecoder();
  const text = new TextDecoder();
  let out = "";
  for await (const chunk of stream) {
    for (const frame of decoder.push(chunk)) {
      if (out.length < MAX_OUTPUT) out += text.decode(frame.payload, { stream: true });
    }
  }
  return out.length > MAX_OUTPUT ? `${out.slice(0, MAX_OUTPUT)}…` : out;
}

export async function execProbe(
  engine: Engine,
  containerId: string,
  cmd: string[],
  timeoutMs: number,
  signal?: AbortSignal,
  clock: Clock = realClock,
): Promise<ProbeResult> {
  const attempt = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  const execId = await engine.createExec(containerId, { cmd, output: true });
  let output: string;
  try {
    output = await readMultiplexed(
      (await engine.startExec(execId, attempt)) as AsyncIterable<Uint8Array>,
    );
  } catch (err) {
    if (attempt.aborted && !signal?.aborted) {
      return { ok: false, output: `no answer within ${timeoutMs / 1000}s` };
    }
    throw err;
  }
  // The output ends when the command exits; the exit code may trail it by a moment.
  const code = await poll(async () => {
    const info = await engine.inspectExec(execId);
    return !info.Running && info.ExitCode !== null ? info.ExitCode : undefined;
  }, { every: EXIT_CODE_POLL_MS, attempts: EXIT_CODE_POLLS, signal, clock });
  if (code === undefined) {
    return {
      ok: false,
      output: `still running after its output ended${output ? `: ${output}` : ""}`,
    };
  }
  return { ok: code === 0, output: `exit ${code}${output ? `: ${output.trim()}` : ""}` };
}

export async function httpProbe(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
  fetchFn: typeof fetch = fetch,
): Promise<ProbeResult> {
  const attempt = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  try {
    const res = await fetchFn(url, { signal: attempt, redirect: "manual" });
    const body = (await res.text()).slice(0, 512);
    // devservices counted any answer below 400 as healthy.
    return { ok: res.status < 400, output: `HTTP ${res.status}${body ? `: ${body.trim()}` : ""}` };
  } catch (err) {
    if (signal?.aborted) throw err;
    const e = err as Error & { cause?: { code?: string }; code?: string };
    return {
      ok: false,
      output: attempt.aborted
        ? `no answer within ${timeoutMs / 1000}s`
        : `${e.cause?.code ?? e.code ?? e.name}: ${e.message}`,
    };
  }
}

/**
 * How long a probe's connection must stay open: Docker's port proxy accepts a connection to a
 * published port before anything listens in the container and closes it a few ms later (seen:
 * 7 ms under a load of 20 on 2 cores), so a bare connect passed too early.
 */
const TCP_HOLD_MS = 100;

export async function tcpProbe(
  host: string,
  port: number,
  timeoutMs: number,
  holdMs = TCP_HOLD_MS,
): Promise<ProbeResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() =>
      resolve({
        ok: false,
        output: `no connection to ${host}:${port} within ${timeoutMs / 1000}s`,
      }), timeoutMs);
  });
  const attempt = tcpConnect(host, port, holdMs).then(
    (): ProbeResult => ({ ok: true, output: `connected to ${host}:${port}` }),
    (err: Error & { code?: string }): ProbeResult => ({
      ok: false,
      output: `${host}:${port}: ${
        err.code === "ECLOSED"
          ? `${err.message} (nothing listens behind the published port yet)`
          : err.code ?? err.message
      }`,
    }),
  );
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The host address and port a container port (`6379` or `6379/tcp`) is published on. */
export function publishedPort(
  inspect: ContainerInspect,
  containerPort: number | string,
): { host: string; port: number } | undefined {
  const key = String(containerPort).includes("/") ? String(containerPort) : `${containerPort}/tcp`;
  const binding = inspect.NetworkSettings.Ports?.[key]?.[0];
  if (!binding) return undefined;
  const host = !binding.HostIp || binding.HostIp === "0.0.0.0" || binding.HostIp === "::"
    ? "127.0.0.1"
    : binding.HostIp;
  return { host, port: Number(binding.HostPort) };
}

/** One attempt of whichever probe the spec names. */
export async function probeOnce(
  engine: Engine,
  containerId: string,
  spec: HealthcheckSpec,
  signal?: AbortSignal,
  clock: Clock = realClock,
): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, spec.timeout ?? 5) * 1000;
  if (spec.exec) return await execProbe(engine, containerId, spec.exec, timeoutMs, signal, clock);
  if (spec.http) return await httpProbe(spec.http, timeoutMs, signal);
  if (spec.tcp !== undefined) {
    const inspect = await engine.inspectContainer(containerId);
    const target = inspect ? publishedPort(inspect, spec.tcp) : undefined;
    if (!target) return { ok: false, output: `container port ${spec.tcp} is not published` };
    return await tcpProbe(target.host, target.port, timeoutMs);
  }
  if (spec.docker) return dockerHealth(await engine.inspectContainer(containerId));
  return { ok: true, output: "no probe" };
}

/**
 * Docker's verdict on the container's own HEALTHCHECK (compose's `service_healthy` for an image
 * that defines one): healthy passes, starting is another attempt, unhealthy is final.
 */
export function dockerHealth(inspect: ContainerInspect | undefined): ProbeResult {
  const test = inspect?.Config.Healthcheck?.Test ?? [];
  if (!inspect || test.length === 0 || test[0] === "NONE") {
    return { ok: true, output: "no HEALTHCHECK" };
  }
  const health = inspect.State.Health;
  const last = health?.Log?.at(-1)?.Output?.trim() ?? "";
  const status = health?.Status ?? "starting";
  if (status === "healthy") return { ok: true, output: last };
  return {
    ok: false,
    output: `Docker reports ${status}${last ? `: ${last}` : ""}`,
    final: status === "unhealthy",
  };
}
