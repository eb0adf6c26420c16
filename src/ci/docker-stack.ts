// `with`'s services on a real engine. `--reuse` is the orchestrator's own `up SERVICE…`; an
// isolated run converges (orchestrator/index.ts) with its container plans changed to
// publish on ephemeral loopback ports (the engine picks them), never restart, and carry the
// owner/session labels. Either way the published ports are read back afterwards; teardown
// removes an isolated project by its label.

import type { Engine } from "../docker/engine.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { type ContainerPlan, planContainer } from "../orchestrator/container-config.ts";
import { catalogServices } from "../orchestrator/catalog-stack.ts";
import { converge } from "../orchestrator/index.ts";
import { LABELS, projectFilter } from "../orchestrator/labels.ts";
import { catalogLayout } from "../orchestrator/stack-model.ts";
import type { Reporter } from "../orchestrator/reporter.ts";
import { tcpProbe } from "../orchestrator/wait/probes.ts";
import { waitHealthy } from "../orchestrator/wait/wait.ts";
import { up } from "../orchestrator/stack.ts";
import { selectForUp } from "../services/graph.ts";
import type { ResolvedService, ServiceSet } from "../services/resolve.ts";
import { portNumber } from "../services/resolve.ts";
import type { HealthcheckSpec } from "../services/spec.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import { freePort } from "../runtime/free-port.ts";
import { connectHost, type PublishedPort, type ServiceEndpoint } from "./env.ts";
import { rewriteProbeUrl } from "./probe-url.ts";
import type { StackRequest, StackRunner } from "./with.ts";

/**
 * Container ports whose default host port the service's own environment names as a loopback
 * address (Kafka: `EXTERNAL://127.0.0.1:9092` in KAFKA_ADVERTISED_LISTENERS). Clients are sent
 * back to that address, so it must be the port actually published: these are picked up front
 * instead of left to the engine.
 */
export function advertisedPorts(plan: ContainerPlan): string[] {
  const env = plan.body.Env ?? [];
  return Object.entries(plan.body.HostConfig.PortBindings ?? {})
    .filter(([, bindings]) => {
      const port = bindings?.[0]?.HostPort;
      if (!port) return false;
      const mention = new RegExp(`(127\\.0\\.0\\.1|localhost):${port}(?![0-9])`);
      return env.some((e) => mention.test(e.slice(e.indexOf("=") + 1)));
    })
    .map(([key]) => key);
}

/**
 * Isolated containers: no restart policy, and no fixed host ports — the engine picks free ones
 * (`HostPort ""`), except for the `pinned` container ports, which get the given host port and
 * have their old loopback address rewritten in the environment.
 */
export function isolate(
  plan: ContainerPlan,
  pinned: ReadonlyMap<string, number> = new Map(),
): ContainerPlan {
  const bindings = plan.body.HostConfig.PortBindings ?? {};
  const ephemeral = Object.fromEntries(
    Object.keys(bindings).map((port) => [
      port,
      [{ HostIp: "127.0.0.1", HostPort: pinned.has(port) ? String(pinned.get(port)) : "" }],
    ]),
  );
  let env = plan.body.Env;
  for (const [port, hostPort] of pinned) {
    const old = bindings[port]?.[0]?.HostPort;
    if (!old || !env) continue;
    const mention = new RegExp(`(127\\.0\\.0\\.1|localhost):${old}(?![0-9])`, "g");
    env = env.map((e) => {
      const eq = e.indexOf("=");
      return e.slice(0, eq + 1) + e.slice(eq + 1).replace(mention, `$1:${hostPort}`);
    });
  }
  return {
    ...plan,
    body: {
      ...plan.body,
      Env: env,
      HostConfig: {
        ...plan.body.HostConfig,
        PortBindings: ephemeral,
        RestartPolicy: { Name: "no" },
      },
    },
  };
}

/** Running for a while already, as the service's own container of this project. */
export const SETTLED_MS = 30_000;

export function isSettled(
  inspect: ContainerInspect,
  expected: ContainerPlan,
  project: string,
  now: number,
): boolean {
  const labels = inspect.Config.Labels ?? {};
  const started = Date.parse(inspect.State.StartedAt);
  return inspect.State.Running && !inspect.State.Restarting &&
    labels[LABELS.project] === project &&
    labels[LABELS.configHash] === expected.configHash &&
    Number.isFinite(started) && now - started >= SETTLED_MS;
}

/** The ports the engine assigned, in the order the service declares them. */
export function publishedPorts(
  inspect: Pick<ContainerInspect, "NetworkSettings">,
  declared: readonly string[],
): PublishedPort[] {
  const ports = inspect.NetworkSettings.Ports ?? {};
  const out: PublishedPort[] = [];
  for (const key of declared) {
    // Several bindings (IPv4 and IPv6) can exist; the IPv4 one is what clients try first.
    const bindings = ports[key] ?? [];
    const b = bindings.find((x) => !x.HostIp.includes(":")) ?? bindings[0];
    if (b && b.HostPort) {
      out.push({ containerPort: key, hostIp: b.HostIp, hostPort: Number(b.HostPort) });
    }
  }
  return out;
}

export function declaredPorts(service: ResolvedService): string[] {
  return Object.keys(service.spec.ports ?? {}).map((p) => (p.includes("/") ? p : `${p}/tcp`));
}

function defaultHostPorts(service: ResolvedService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.spec.ports ?? {}).map((
      [k, v],
    ) => [k.includes("/") ? k : `${k}/tcp`, portNumber(v)]),
  );
}

/** An HTTP probe names the default host port; point it at the one actually published. */
function probeFor(
  service: ResolvedService,
  inspect: ContainerInspect | undefined,
): HealthcheckSpec | undefined {
  const check = service.spec.healthcheck;
  if (!check?.http || !inspect) return check;
  const ports = publishedPorts(inspect, declaredPorts(service));
  return { ...check, http: rewriteProbeUrl(check.http, defaultHostPorts(service), ports) };
}

/** The services a `with` run starts: the named ones and what they depend on, in order. */
export function selectWith(services: ServiceSet, names: readonly string[]): ResolvedService[] {
  return selectForUp(services, { names, includeDependencies: true });
}

export class EngineStack implements StackRunner {
  constructor(
    private readonly engine: Engine,
    private readonly services: ServiceSet,
    private readonly report: Reporter,
    private readonly clock: Clock = realClock,
  ) {}

  async up(req: StackRequest): Promise<ServiceEndpoint[]> {
    const chosen = selectWith(this.services, req.services);
    const ids = req.isolated
      ? await this.#upIsolated(req, chosen)
      : await this.#upReused(req, chosen);
    return await Promise.all(chosen.map(async (s) => {
      const id = ids.get(s.name);
      const inspect = id ? await this.engine.inspectContainer(id) : undefined;
      return { service: s.name, ports: inspect ? publishedPorts(inspect, declaredPorts(s)) : [] };
    }));
  }

  /**
   * `--reuse` fast path: when every service runs already — our project label, the same config
   * hash, up for at least SETTLED_MS (so whatever started it has long waited for its probe) —
   * and every published TCP port accepts a connection, nothing needs doing and the exec probe
   * (~170 ms of `docker exec`) is skipped. Anything else goes through `up` as usual.
   */
  async #alreadyUp(
    req: StackRequest,
    chosen: ResolvedService[],
  ): Promise<Map<string, string | undefined> | undefined> {
    const now = this.clock.now();
    const checks = await Promise.all(chosen.map(async (s) => {
      const expected = planContainer(s, { project: req.project, foreground: false });
      const inspect = await this.engine.inspectContainer(expected.name);
      if (!inspect || !isSettled(inspect, expected, req.project, now)) return undefined;
      const ports = publishedPorts(inspect, declaredPorts(s)).filter((p) =>
        p.containerPort.endsWith("/tcp")
      );
      const open = await Promise.all(
        // A short hold: the container has run for a while, and this path is `with --reuse`'s
        // whole cost (a port proxy with nothing behind it closes within a few ms).
        ports.map((p) => tcpProbe(connectHost(p.hostIp), p.hostPort, 1000, 30)),
      );
      return open.every((r) => r.ok) ? inspect.Id : undefined;
    }));
    if (checks.some((id) => id === undefined)) return undefined;
    this.report.step(`${chosen.map((s) => s.name).join(", ")} already running`);
    return new Map(chosen.map((s, i) => [s.name, checks[i]]));
  }

  /** `--reuse`: exactly `up SERVICE…` on the normal project (its lock, reuse, fixed ports). */
  async #upReused(
    req: StackRequest,
    chosen: ResolvedService[],
  ): Promise<Map<string, string | undefined>> {
    const running = await this.#alreadyUp(req, chosen);
    if (running) return running;
    const { result } = await up(this.engine, this.services, {
      project: req.project,
      names: req.services,
      exclude: [],
      skipOnlyIf: true,
      recreate: false,
      pull: "missing",
      wait: true,
      timeoutSeconds: req.timeoutSeconds,
      dryRun: false,
      owner: "up",
      reporter: this.report,
      signal: req.signal,
      clock: this.clock,
    });
    return new Map([...(result?.outcomes ?? new Map())].map(([name, o]) => [name, o.id]));
  }

  /** An isolated project: ephemeral ports, owner `with`, the session label, no restart. */
  async #upIsolated(
    req: StackRequest,
    chosen: ResolvedService[],
  ): Promise<Map<string, string | undefined>> {
    const byName = new Map(chosen.map((s) => [s.name, s]));
    const desired = await Promise.all(
      catalogServices(chosen, req.project, "with", req.session).map(async (d) => {
        const pinned = new Map<string, number>();
        for (const port of advertisedPorts(d.container)) pinned.set(port, await freePort());
        return { ...d, container: isolate(d.container, pinned) };
      }),
    );
    const deadline = this.clock.now() + req.timeoutSeconds * 1000;
    const { result } = await converge(this.engine, catalogLayout(req.project, desired), {
      owner: "with",
      recreate: false,
      pull: "missing",
      wait: true,
      // An isolated project is this run's alone: no other run takes turns with it.
      lock: false,
      reporter: this.report,
      signal: req.signal,
      clock: this.clock,
      waitHealthy: async (d, id, signal, { alreadyRunning }) => {
        const inspect = await this.engine.inspectContainer(id);
        await waitHealthy(
          this.engine,
          { name: d.name, healthcheck: probeFor(byName.get(d.name)!, inspect) },
          id,
          signal,
          { deadline, alreadyRunning, clock: this.clock },
        );
      },
    });
    return new Map([...result!.outcomes].map(([name, o]) => [name, o.id]));
  }

  async teardown(project: string): Promise<void> {
    await removeProject(this.engine, project);
  }
}

/**
 * Removes everything labelled with the project: containers (killed, with their anonymous
 * volumes: these are throw-away), then named volumes and the network.
 */
export async function removeProject(engine: Engine, project: string): Promise<void> {
  const label = projectFilter(project);
  const containers = await engine.listContainers([label], true);
  await Promise.all(
    containers.map((c) => engine.removeContainer(c.Id, { force: true, volumes: true })),
  );
  const volumes = await engine.listVolumes([label]);
  await Promise.all(volumes.map((v) => engine.removeVolume(v.Name)));
  for (const n of await engine.listNetworks([label])) await engine.removeNetwork(n.Name);
}
