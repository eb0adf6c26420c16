// Brings one service's resources into existence: network, named volumes, image (pulled when
// missing), and the container itself — reused when running with the same config hash,
// otherwise removed and created afresh (a stopped container is never restarted, as in Sentry).

import type { DockerClient } from "../docker/client.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { SentryctlError } from "../errors.ts";
import type { ContainerPlan } from "./container-config.ts";
import { LABELS } from "./labels.ts";
import { describePortOwner } from "./port-owner.ts";
import type { Reporter } from "./reporter.ts";

export async function ensureNetwork(
  docker: DockerClient,
  project: string,
  report: Reporter,
): Promise<void> {
  if (await docker.networkExists(project)) return;
  report.step(`Creating '${project}' network`);
  await docker.createNetwork(project, { [LABELS.project]: project });
}

export async function ensureVolumes(
  docker: DockerClient,
  plan: ContainerPlan,
  project: string,
  report: Reporter,
): Promise<void> {
  for (const volume of plan.volumes) {
    if (await docker.volumeExists(volume)) continue;
    report.step(`Creating '${volume}' volume`);
    await docker.createVolume(volume, { [LABELS.project]: project });
  }
}

export async function ensureImage(
  docker: DockerClient,
  image: string,
  platform: string | undefined,
  report: Reporter,
  signal?: AbortSignal,
): Promise<void> {
  if (await docker.imageExists(image)) return;
  report.step(`Pulling image '${image}'`);
  await docker.pullImage(image, platform, (p) => report.pull(image, p), signal);
}

export interface EnsuredContainer {
  id: string;
  /** True when an existing running container was kept. */
  reused: boolean;
}

export async function ensureContainer(
  docker: DockerClient,
  plan: ContainerPlan,
  report: Reporter,
  opts: { recreate: boolean },
): Promise<EnsuredContainer> {
  const existing = await docker.inspectContainer(plan.name);
  if (existing) {
    const sameConfig = existing.Config.Labels?.[LABELS.configHash] === plan.configHash;
    if (existing.State.Running && sameConfig && !opts.recreate) {
      report.step(`Container '${plan.name}' is already running`);
      return { id: existing.Id, reused: true };
    }
    await removeExisting(docker, existing, plan, report);
  }
  report.step(`Creating container '${plan.name}'`);
  const id = await docker.createContainer(plan.name, plan.body, plan.platform).catch((err) => {
    throw withCategoryHint(err, `is the image '${plan.body.Image}' available?`);
  });
  const listening = Object.values(plan.body.HostConfig.PortBindings ?? {})
    .flat()
    .map((b) => `('${b.HostIp}', ${b.HostPort})`)
    .join(", ");
  report.step(`Starting container '${plan.name}'${listening ? ` (listening: ${listening})` : ""}`);
  try {
    await docker.startContainer(id);
  } catch (err) {
    // Leave nothing half-made behind: a created-but-unstartable container blocks the name.
    await docker.removeContainer(id, { force: true }).catch(() => {});
    throw await explainStartFailure(docker, err, plan);
  }
  return { id, reused: false };
}

async function removeExisting(
  docker: DockerClient,
  existing: ContainerInspect,
  plan: ContainerPlan,
  report: Reporter,
) {
  if (existing.State.Running || existing.State.Restarting) {
    report.step(`Stopping container '${plan.name}'`);
    await docker.stopContainer(existing.Id, plan.stopGraceSeconds);
  }
  report.step(`Removing container '${plan.name}'`);
  await docker.removeContainer(existing.Id, { force: true });
}

function withCategoryHint(err: unknown, hint: string): unknown {
  if (err instanceof SentryctlError && !err.hint) {
    return new SentryctlError(err.category, err.message, {
      cause: err.cause,
      statusCode: err.statusCode,
      hint,
    });
  }
  return err;
}

async function explainStartFailure(
  docker: DockerClient,
  err: unknown,
  plan: ContainerPlan,
): Promise<unknown> {
  if (!(err instanceof SentryctlError)) return err;
  const match = /(?:address already in use|port is already allocated)/i.exec(err.message);
  if (!match) return err;
  const port = /:(\d+)(?:\D|$)/.exec(err.message.split(/bind for|listen tcp/i).pop() ?? "")?.[1] ??
    Object.values(plan.body.HostConfig.PortBindings ?? {}).flat()[0]?.HostPort;
  const owner = port ? await describePortOwner(docker, Number(port)) : undefined;
  return new SentryctlError(
    "docker_api",
    `Cannot start '${plan.name}': port ${port ?? "?"} is already in use${
      owner ? ` by ${owner}` : ""
    }`,
    {
      cause: err,
      statusCode: err.statusCode,
      hint: owner?.startsWith("container")
        ? "stop that container, or override the service's ports in SENTRY_DEVSERVICES"
        : "stop the process holding the port, or override the service's ports in SENTRY_DEVSERVICES",
    },
  );
}
