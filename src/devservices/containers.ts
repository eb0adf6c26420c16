// devservices' containers on the engine, found as devservices and compose find them: by
// `com.docker.compose.project` (the project is the service_name) and `orchestrator=devservices`.
// `down` stops without removing (as devservices' `docker compose stop`); `reset` and `purge`
// remove containers and their volumes. Only containers carrying these labels are touched.

import type { Engine } from "../docker/engine.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { COMPOSE_LABELS } from "../orchestrator/labels.ts";

export const ORCHESTRATOR_LABEL = "orchestrator=devservices";
export const NETWORK = "devservices";

export function projectContainers(engine: Engine, project: string): Promise<ContainerSummary[]> {
  return engine.listContainers([`${COMPOSE_LABELS.project}=${project}`], true);
}

/** The compose service a container was made for ("" when unlabelled). */
export function composeServiceOf(c: ContainerSummary): string {
  return c.Labels?.[COMPOSE_LABELS.service] ?? "";
}

export function nameOf(c: ContainerSummary): string {
  return (c.Names?.[0] ?? c.Id).replace(/^\//, "");
}

/** Stops a project's containers (all, or these compose services); they stay for `up`. */
export async function stopProject(
  engine: Engine,
  project: string,
  services?: readonly string[],
): Promise<string[]> {
  const found = await projectContainers(engine, project);
  const chosen = found.filter((c) => !services || services.includes(composeServiceOf(c)));
  await Promise.all(
    chosen.filter((c) => c.State === "running").map((c) => engine.stopContainer(c.Id)),
  );
  return chosen.map(nameOf);
}

/** Named volumes mounted by these containers. */
async function volumesOf(engine: Engine, containers: ContainerSummary[]): Promise<string[]> {
  const names = new Set<string>();
  for (const c of containers) {
    const inspect = await engine.inspectContainer(c.Id);
    for (const m of inspect?.Mounts ?? []) {
      if (m.Type === "volume" && m.Name) names.add(m.Name);
    }
  }
  return [...names];
}

/** Removes containers and the named volumes they mount; answers what went. */
export async function removeWithVolumes(
  engine: Engine,
  containers: ContainerSummary[],
): Promise<{ containers: string[]; volumes: string[] }> {
  const volumes = await volumesOf(engine, containers);
  await Promise.all(containers.map((c) => engine.removeContainer(c.Id, { force: true })));
  await Promise.all(volumes.map((v) => engine.removeVolume(v)));
  return { containers: containers.map(nameOf), volumes };
}

/** A compose service's containers, wherever devservices ran it (`reset SERVICE`). */
export function serviceContainers(engine: Engine, service: string): Promise<ContainerSummary[]> {
  return engine.listContainers([ORCHESTRATOR_LABEL, `${COMPOSE_LABELS.service}=${service}`], true);
}

export function devservicesContainers(engine: Engine): Promise<ContainerSummary[]> {
  return engine.listContainers([ORCHESTRATOR_LABEL], true);
}
