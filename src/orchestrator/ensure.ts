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
import { AbortedError, raceAbort } from "./abortable.ts";
import { badRequestHint, createConflictHint, pullFailureHint } from "./hints.ts";

/** Creates the project network when missing (an unlabelled legacy one is reused as it is). */
export async function ensureNetwork(
  docker: DockerClient,
  project: string,
  report: Reporter,
): Promise<boolean> {
  if (await docker.networkExists(project)) return false;
  report.step(`Creating '${project}' network`);
  const id = await docker.createNetwork(project, { [LABELS.project]: project });
  if (id === undefined) return false;
  // Docker lets two concurrent creates make two networks of one name, after which containers
  // fail with "network not found". Every racer keeps the oldest and removes its own extra one.
  const ids = await docker.networkIdsNamed(project);
  if (ids.length > 1 && ids[0] !== id) {
    await docker.removeNetwork(id);
    return false;
  }
  return true;
}

/** Creates missing named volumes; returns the ones this call created. */
export async function ensureVolumes(
  docker: DockerClient,
  plan: ContainerPlan,
  project: string,
  report: Reporter,
  created: string[] = [],
): Promise<string[]> {
  for (const volume of plan.volumes) {
    if (await docker.volumeExists(volume)) continue;
    report.step(`Creating '${volume}' volume`);
    await docker.createVolume(volume, { [LABELS.project]: project });
    created.push(volume);
  }
  return created;
}

export async function ensureImage(
  docker: DockerClient,
  image: string,
  platform: string | undefined,
  report: Reporter,
  signal?: AbortSignal,
  service = "SERVICE",
): Promise<void> {
  if (await docker.imageExists(image)) return;
  report.step(`Pulling image '${image}'`);
  try {
    await docker.pullImage(image, platform, (p) => report.pull(image, p), signal);
  } catch (err) {
    if (err instanceof SentryctlError && err.category === "docker_api") {
      throw rehint(err, pullFailureHint(service, image));
    }
    throw err;
  }
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
  opts: { recreate: boolean; signal?: AbortSignal },
): Promise<EnsuredContainer> {
  const existing = await docker.inspectContainer(plan.name);
  if (existing && existing.Config.Labels?.[LABELS.project] !== plan.body.Labels?.[LABELS.project]) {
    throw foreignContainer(plan.name, existing);
  }
  if (existing) {
    const sameConfig = existing.Config.Labels?.[LABELS.configHash] === plan.configHash;
    if (existing.State.Running && sameConfig && !opts.recreate) {
      report.step(`Container '${plan.name}' is already running`);
      return { id: existing.Id, reused: true };
    }
    if (existing.State.Status === "created" && sameConfig && !opts.recreate) {
      // Created a moment ago by a concurrent sentryctl that is about to start it.
      const winner = await raceAbort(awaitRaceWinner(docker, plan), opts.signal);
      if (winner) {
        report.step(`Container '${plan.name}' was just started by another sentryctl; using it`);
        return { id: winner.Id, reused: true };
      }
    }
    await removeExisting(docker, existing, plan, report, opts.signal);
  }
  if (opts.signal?.aborted) throw new AbortedError();
  report.step(`Creating container '${plan.name}'`);
  let id: string;
  try {
    id = await docker.createContainer(plan.name, plan.body, plan.platform);
  } catch (err) {
    if (err instanceof SentryctlError && err.statusCode === 409) {
      // Lost a create race to another sentryctl (two `attach redis` started together): the
      // winner's container has our project label and config hash, so it is used as found.
      const winner = await awaitRaceWinner(docker, plan);
      if (winner) {
        report.step(`Container '${plan.name}' was just started by another sentryctl; using it`);
        return { id: winner.Id, reused: true };
      }
      throw rehint(err, createConflictHint(plan.name, err.message));
    }
    if (err instanceof SentryctlError && err.statusCode === 400) {
      throw rehint(
        err,
        badRequestHint(plan.body.Labels?.[LABELS.service] ?? plan.name, err.message),
      );
    }
    throw withCategoryHint(err, `is the image '${plan.body.Image}' available?`);
  }
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
  signal?: AbortSignal,
) {
  if (existing.State.Running || existing.State.Restarting) {
    report.step(`Stopping container '${plan.name}'`);
    // A stop can take the whole grace period: a signal meanwhile abandons the set-up.
    await raceAbort(docker.stopContainer(existing.Id, plan.stopGraceSeconds), signal);
  }
  if (signal?.aborted) throw new AbortedError();
  report.step(`Removing container '${plan.name}'`);
  await docker.removeContainer(existing.Id, { force: true });
}

/** After a 409 on create: the container that won, once it runs, if it is ours and alike. */
async function awaitRaceWinner(
  docker: DockerClient,
  plan: ContainerPlan,
): Promise<ContainerInspect | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = await docker.inspectContainer(plan.name);
    // Not visible yet: the engine reserves the name before the create finishes.
    if (found) {
      if (found.Config.Labels?.[LABELS.configHash] !== plan.configHash) return undefined;
      if (found.State.Running) return found;
      if (found.State.Status !== "created") return undefined;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/**
 * A container holding our name without our project label is not ours (SPEC §3): it is never
 * stopped, removed or replaced. Exit 1, naming it and how to clear the name.
 */
function foreignContainer(name: string, existing: ContainerInspect): SentryctlError {
  const project = existing.Config.Labels?.[LABELS.project];
  const whose = project === undefined
    ? "was not created by sentryctl"
    : `belongs to sentryctl project '${project}'`;
  return new SentryctlError(
    "failure",
    `A container named '${name}' already exists and ${whose}; it was left untouched`,
    {
      hint:
        `remove it with 'docker rm -f ${name}' (or rename it with 'docker rename ${name} NEW_NAME'), or run with another --project`,
    },
  );
}

function rehint(err: SentryctlError, hint: string): SentryctlError {
  return new SentryctlError(err.category, err.message, {
    cause: err.cause,
    statusCode: err.statusCode,
    details: err.details,
    hint,
  });
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
