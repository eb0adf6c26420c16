// One attempt of a health probe: a command inside the container (exec, output read without a
// hijacked stream, exit code polled), an HTTP GET from the host, or a TCP connect for a
// published container port (./tcp-target.ts: to the container's own address on a local engine,
// else to the host port). Each answers ok plus what it saw.

import type { Engine } from "../../docker/engine.ts";
import { FrameDecoder } from "../../docker/demux.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import type { HealthcheckSpec } from "../../services/spec.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import { poll } from "../../runtime/poll.ts";
import type { ProbeResult } from "./probe-result.ts";
import { TcpTarget } from "./tcp-target.ts";

export type { ProbeResult } from "./probe-result.ts";
export { publishedPort, tcpProbe } from "./tcp-target.ts";

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
    const code = e.cause?.code ?? e.code ?? e.name;
    return {
      ok: false,
      output: attempt.aborted ? `no answer within ${timeoutMs / 1000}s` : `${code}: ${e.message}`,
      // Refused or hung up on by this host (the port proxy with nothing behind it yet): no
      // answer is mistaken for one, and asking again soon costs a local connect.
      ...(!attempt.aborted && NOT_YET.has(code) && isLoopbackUrl(url) ? { soon: true } : {}),
    };
  }
}

const NOT_YET = new Set(["ECONNREFUSED", "ECONNRESET"]);

/** Whether the URL names this host (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** One attempt of whichever probe the spec names. */
export async function probeOnce(
  engine: Engine,
  containerId: string,
  spec: HealthcheckSpec,
  signal?: AbortSignal,
  clock: Clock = realClock,
  /** The wait's tcp target, kept across attempts (its routes are resolved once per start). */
  tcp?: TcpTarget,
): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, spec.timeout ?? 5) * 1000;
  if (spec.exec) return await execProbe(engine, containerId, spec.exec, timeoutMs, signal, clock);
  if (spec.http) return await httpProbe(spec.http, timeoutMs, signal);
  if (spec.tcp !== undefined) {
    return await (tcp ?? new TcpTarget(engine, containerId, spec.tcp)).probe(timeoutMs);
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
