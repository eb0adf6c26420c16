// The tcp probe: one attempt (tcpProbe) and where it connects (TcpTarget). Through the published
// host port, Docker's userland port proxy accepts before anything listens in the container and
// closes a few ms later, so an attempt there must hold the connection open (tcpProbe). On a
// local Linux engine the container's own address on its network is reachable from here: a
// refusal there is an honest "not listening yet" and an accept is the server itself, so no hold
// is needed and a refused attempt is cheap to repeat soon. That direct route is taken only when
// this host owns the network's bridge (interface `br-<network id>` carries the network's
// gateway), which a remote, rootless or Docker Desktop engine never satisfies; any doubt (no
// address, unreachable, slow) falls back to the published port for the rest of the container's
// run. Inspected once per container start.

import { networkInterfaces } from "node:os";
import { isLocalEndpoint } from "../../docker/endpoint.ts";
import type { Engine } from "../../docker/engine.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import { tcpConnect } from "../../runtime/adapter.ts";
import type { ProbeResult } from "./probe-result.ts";

/** `attempt`, or `onTimeout()` once `ms` pass first. */
async function within<T>(attempt: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
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
  return await within(attempt, timeoutMs, () => ({
    ok: false,
    output: `no connection to ${host}:${port} within ${timeoutMs / 1000}s`,
  }));
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

/** A connect to a container's own address answers (accept or refusal) within a ms when local. */
const DIRECT_CONNECT_MS = 300;

/** Interface name → addresses (`os.networkInterfaces()`'s shape, only what is read). */
export type Interfaces = () => Record<string, { address: string }[] | undefined>;

interface NetworkEndpoint {
  NetworkID?: string;
  Gateway?: string;
  IPAddress?: string;
}

/**
 * The container's own address and port for `containerPort`, when this host owns the bridge of
 * one of its networks (a local engine over a unix socket); undefined otherwise.
 */
export function directAddress(
  inspect: ContainerInspect,
  containerPort: number | string,
  opts: { unixSocket: boolean; interfaces?: Interfaces },
): { host: string; port: number } | undefined {
  const [port, proto = "tcp"] = String(containerPort).split("/");
  if (!opts.unixSocket || proto !== "tcp" || !Number(port)) return undefined;
  let interfaces: ReturnType<Interfaces>;
  try {
    interfaces = (opts.interfaces ?? networkInterfaces)();
  } catch {
    return undefined;
  }
  for (const raw of Object.values(inspect.NetworkSettings.Networks ?? {})) {
    const n = raw as NetworkEndpoint | null;
    if (!n?.IPAddress || !n.Gateway || !n.NetworkID) continue;
    const bridge = interfaces[`br-${n.NetworkID.slice(0, 12)}`] ?? [];
    if (bridge.some((a) => a.address === n.Gateway)) {
      return { host: n.IPAddress, port: Number(port) };
    }
  }
  return undefined;
}

export interface TcpTargetOptions {
  interfaces?: Interfaces;
  /** Bound on the direct connect (tests shorten it). */
  directConnectMs?: number;
  /** The direct connect (tests script unreachable and silent addresses). */
  connect?: (host: string, port: number) => Promise<void>;
}

/** One container run's tcp probe: resolves its routes once, then attempts cheaply. */
export class TcpTarget {
  #routes?: Promise<{
    direct?: { host: string; port: number };
    published?: { host: string; port: number };
  }>;
  /** The direct route answered at least once (refused or accepted): trusted from then on. */
  #directProven = false;

  constructor(
    private readonly engine: Engine,
    private readonly containerId: string,
    private readonly containerPort: number | string,
    private readonly opts: TcpTargetOptions = {},
  ) {}

  /** The container started again (a restart): its address and host port may have changed. */
  reset(): void {
    this.#routes = undefined;
    this.#directProven = false;
  }

  #resolve() {
    this.#routes ??= this.engine.inspectContainer(this.containerId).then((inspect) => {
      if (!inspect) return {};
      return {
        published: publishedPort(inspect, this.containerPort),
        direct: directAddress(inspect, this.containerPort, {
          unixSocket: isLocalEndpoint(this.engine.endpoint),
          interfaces: this.opts.interfaces,
        }),
      };
    }, (err) => {
      this.#routes = undefined; // not cached: the next attempt asks again
      throw err;
    });
    return this.#routes;
  }

  async probe(timeoutMs: number): Promise<ProbeResult> {
    const routes = await this.#resolve();
    // The published port is what the service promises its users: without one the probe fails
    // as before, whatever the container's own address would answer.
    if (!routes.published) {
      return { ok: false, output: `container port ${this.containerPort} is not published` };
    }
    if (routes.direct) {
      const direct = await this.#direct(routes.direct, timeoutMs);
      if (direct) return direct;
      routes.direct = undefined; // unreachable from here: the published port from now on
    }
    return await tcpProbe(routes.published.host, routes.published.port, timeoutMs);
  }

  /** An attempt at the container's own address; undefined when that route is no good. */
  async #direct(
    to: { host: string; port: number },
    timeoutMs: number,
  ): Promise<ProbeResult | undefined> {
    const bound = this.#directProven
      ? timeoutMs
      : Math.min(timeoutMs, this.opts.directConnectMs ?? DIRECT_CONNECT_MS);
    const connect = (this.opts.connect ?? tcpConnect)(to.host, to.port).then(
      () => "open",
      (err: Error & { code?: string }) =>
        err.code === "ECONNREFUSED" ? "refused" : `error ${err.code ?? err.message}`,
    );
    const outcome = await within(connect, bound, () => "timeout");
    const where = `${to.host}:${to.port} (the container's own address)`;
    if (outcome === "open") {
      this.#directProven = true;
      return { ok: true, output: `connected to ${where}` };
    }
    if (outcome === "refused") {
      this.#directProven = true;
      return { ok: false, output: `${where}: ECONNREFUSED (not listening yet)`, soon: true };
    }
    // Proven before and now silent or unreachable: the container is going away; the wait's
    // look at its state says so. Never proven: this host cannot reach it, use the port proxy.
    if (this.#directProven) return { ok: false, output: `${where}: ${outcome}` };
    return undefined;
  }
}
