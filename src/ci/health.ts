// Waits until a started service answers its probe (exec in the container, TCP or HTTP from the
// host on the *published* port, so ephemeral ports work). Polls fast at first: `with` exists to
// get a test run going, and a fixed 5 s interval would dominate its cost. A container that
// stops while we wait fails at once with its last log lines.
// (Stop-gap until the engine's waits land in src/orchestrator/; same probe semantics.)

import { connect } from "node:net";
import type { DockerClient } from "../docker/client.ts";
import type { HealthcheckSpec } from "../services/spec.ts";
import { FrameDecoder } from "../docker/demux.ts";
import { SentryctlError } from "../errors.ts";
import type { PublishedPort } from "./env.ts";

export interface ProbeTarget {
  service: string;
  containerId: string;
  /** The container's published ports, to map `tcp: 6379` / `http://127.0.0.1:8123/…` to them. */
  ports: readonly PublishedPort[];
}

/** Delay before attempt n (0-based): 50 ms doubling up to the probe's interval (max 1 s). */
export function pollDelayMs(attempt: number, intervalSeconds = 5): number {
  return Math.min(50 * 2 ** attempt, intervalSeconds * 1000, 1000);
}

/** The host port published for a container port (`6379`, `6379/tcp`). */
export function publishedFor(ports: readonly PublishedPort[], containerPort: string | number) {
  const key = String(containerPort).includes("/") ? String(containerPort) : `${containerPort}/tcp`;
  return ports.find((p) => p.containerPort === key);
}

/**
 * A probe URL names the default host port (`http://127.0.0.1:8123/ping`): point it at the port
 * actually published for the container port the default maps to.
 */
export function rewriteProbeUrl(
  url: string,
  defaults: Record<string, string>,
  ports: readonly PublishedPort[],
): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const containerPort = Object.entries(defaults).find(([, host]) => host === port)?.[0];
  const published = containerPort ? publishedFor(ports, containerPort) : undefined;
  if (published) u.port = String(published.hostPort);
  return u.toString();
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function probeOnce(
  docker: DockerClient,
  check: HealthcheckSpec,
  target: ProbeTarget,
  defaults: Record<string, string>,
  signal: AbortSignal,
): Promise<boolean> {
  const timeoutMs = (check.timeout ?? 5) * 1000;
  if (check.exec) {
    const attempt = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    return (await docker.execExitCode(target.containerId, check.exec, attempt)) === 0;
  }
  if (check.tcp !== undefined) {
    const p = publishedFor(target.ports, check.tcp);
    if (!p) return false;
    return await tcpOpen(p.hostIp === "0.0.0.0" ? "127.0.0.1" : p.hostIp, p.hostPort, timeoutMs);
  }
  if (check.http) {
    const url = rewriteProbeUrl(check.http, defaults, target.ports);
    const res = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    await res.body?.cancel();
    return res.status < 400;
  }
  return true;
}

export interface WaitOptions {
  deadline: number;
  signal: AbortSignal;
  /** The service's default `"6379/tcp" → "6379"` host ports, for probe URLs. */
  defaults: Record<string, string>;
  now?: () => number;
}

export async function waitHealthy(
  docker: DockerClient,
  check: HealthcheckSpec | undefined,
  target: ProbeTarget,
  opts: WaitOptions,
): Promise<void> {
  const now = opts.now ?? Date.now;
  for (let attempt = 0;; attempt++) {
    if (opts.signal.aborted) throw opts.signal.reason;
    const state = await docker.inspectContainer(target.containerId);
    if (!state?.State.Running) {
      throw await stoppedError(docker, target, state?.State.ExitCode);
    }
    if (!check) return;
    let lastError = "";
    try {
      if (await probeOnce(docker, check, target, opts.defaults, opts.signal)) return;
    } catch (err) {
      if (opts.signal.aborted) throw opts.signal.reason;
      lastError = (err as Error).message;
    }
    if (now() >= opts.deadline) {
      const tail = await lastLogs(docker, target.containerId);
      throw new SentryctlError(
        "unhealthy",
        `Service '${target.service}' did not become healthy in time`,
        {
          details: [lastError && `last probe: ${lastError}`, tail && `last log lines:\n${tail}`]
            .filter(Boolean).join("\n"),
          hint: "raise --timeout, or look at 'docker logs' of the container",
        },
      );
    }
    await sleep(pollDelayMs(attempt, check.interval), opts.signal);
  }
}

async function stoppedError(docker: DockerClient, target: ProbeTarget, code?: number) {
  const tail = await lastLogs(docker, target.containerId);
  return new SentryctlError(
    "unhealthy",
    `Service '${target.service}' stopped while starting${
      code === undefined ? "" : ` (exit code ${code})`
    }`,
    { details: tail ? `last log lines:\n${tail}` : undefined },
  );
}

async function lastLogs(docker: DockerClient, id: string): Promise<string> {
  try {
    const stream = await docker.logs(id, { follow: false, tail: 20 });
    const decoder = new FrameDecoder();
    const parts: string[] = [];
    for await (const chunk of stream) {
      for (const f of decoder.push(chunk as Uint8Array)) {
        parts.push(new TextDecoder().decode(f.payload));
      }
    }
    return parts.join("").trimEnd().split("\n").map((l) => `  ${l}`).join("\n");
  } catch {
    return "";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
