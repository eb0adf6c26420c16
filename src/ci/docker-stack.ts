// `with`'s services on a real engine: create what is missing (network, volumes, image,
// containers), start in dependency waves, wait for each probe, read back the published ports;
// and tear an isolated project down again by its label. Built on the orchestrator's ensure
// steps; isolated runs publish on ephemeral loopback ports and carry owner/session labels.

import type { DockerClient } from "../docker/client.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { SentryctlError } from "../errors.ts";
import { type ContainerPlan, planContainer } from "../orchestrator/container-config.ts";
import {
  ensureContainer,
  ensureImage,
  ensureNetwork,
  ensureVolumes,
} from "../orchestrator/ensure.ts";
import { LABELS } from "../orchestrator/labels.ts";
import type { Reporter } from "../orchestrator/reporter.ts";
import type { ResolvedService, ServiceSet } from "../services/resolve.ts";
import { portNumber } from "../services/resolve.ts";
import type { PublishedPort, ServiceEndpoint } from "./env.ts";
import { waitHealthy } from "./health.ts";
import { startWaves } from "./start-order.ts";
import type { Stack, StackRequest } from "./with.ts";

/** Isolated containers: no fixed host ports, no restart, labels that say whose they are. */
export function isolate(plan: ContainerPlan, session: string | undefined): ContainerPlan {
  const bindings = plan.body.HostConfig.PortBindings ?? {};
  const ephemeral = Object.fromEntries(
    Object.keys(bindings).map((port) => [port, [{ HostIp: "127.0.0.1", HostPort: "" }]]),
  );
  return {
    ...plan,
    body: {
      ...plan.body,
      Labels: {
        ...plan.body.Labels,
        [LABELS.owner]: "with",
        ...(session ? { [LABELS.session]: session } : {}),
      },
      HostConfig: {
        ...plan.body.HostConfig,
        PortBindings: ephemeral,
        RestartPolicy: { Name: "no" },
      },
    },
  };
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

function declaredPorts(service: ResolvedService): string[] {
  return Object.keys(service.spec.ports ?? {}).map((p) => (p.includes("/") ? p : `${p}/tcp`));
}

function defaultHostPorts(service: ResolvedService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.spec.ports ?? {}).map((
      [k, v],
    ) => [k.includes("/") ? k : `${k}/tcp`, portNumber(v)]),
  );
}

export class DockerStack implements Stack {
  constructor(
    private readonly docker: DockerClient,
    private readonly services: ServiceSet,
    private readonly report: Reporter,
  ) {}

  async up(req: StackRequest): Promise<ServiceEndpoint[]> {
    const waves = startWaves(req.services, (n) => this.services.get(n)?.spec.depends_on);
    const deadline = Date.now() + req.timeoutSeconds * 1000;
    await ensureNetwork(this.docker, req.project, this.report);
    const endpoints: ServiceEndpoint[] = [];
    for (const wave of waves) {
      const started: { service: ResolvedService; id: string }[] = [];
      // Creates run one after another (port binding and volume creation race otherwise);
      // the waits of a wave run together.
      for (const name of wave) {
        if (req.signal.aborted) throw req.signal.reason;
        const service = this.services.get(name);
        if (!service) {
          throw new SentryctlError("failure", `Service \`${name}\` is not known or not enabled.`);
        }
        let plan = planContainer(service, { project: req.project, foreground: false });
        if (req.isolated) plan = isolate(plan, req.session);
        await ensureVolumes(this.docker, plan, req.project, this.report);
        await ensureImage(this.docker, plan.body.Image, plan.platform, this.report, req.signal);
        const { id } = await ensureContainer(this.docker, plan, this.report, { recreate: false });
        started.push({ service, id });
      }
      const ready = await Promise.all(started.map(async ({ service, id }) => {
        const inspect = await this.docker.inspectContainer(id);
        const ports = inspect ? publishedPorts(inspect, declaredPorts(service)) : [];
        await waitHealthy(this.docker, service.spec.healthcheck, {
          service: service.name,
          containerId: id,
          ports,
        }, {
          deadline: Math.min(
            deadline,
            Date.now() + (service.spec.healthcheck?.timeout_total ?? 180) * 1000,
          ),
          signal: req.signal,
          defaults: defaultHostPorts(service),
        });
        this.report.step(`'${service.name}' is healthy`);
        return { service: service.name, ports };
      }));
      endpoints.push(...ready);
    }
    return endpoints;
  }

  /** Removes everything labelled with the project: containers (with anonymous volumes), named volumes, network. */
  async teardown(project: string): Promise<void> {
    await removeProject(this.docker, project);
  }
}

export async function removeProject(docker: DockerClient, project: string): Promise<void> {
  const label = `${LABELS.project}=${project}`;
  const containers = await docker.listContainers([label]);
  await Promise.all(
    containers.map((c) => docker.removeContainer(c.Id, { force: true, volumes: true })),
  );
  const volumes = (await docker.listVolumes([label])).Volumes ?? [];
  await Promise.all(volumes.map((v) => docker.removeVolume(v.Name)));
  const networks = await docker.listNetworks([label]);
  for (const n of networks) await docker.removeNetwork(n.Id);
}
