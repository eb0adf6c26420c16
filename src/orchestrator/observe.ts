// Observe: what the engine holds for a project, read in one round of parallel calls — the
// label-filtered container listing, plus inspects of the names we are about to use (a container
// without our label may hold one), the network, the volumes and (when asked) the images.

import type { Engine } from "../docker/engine.ts";
import type {
  ContainerInspect,
  ContainerSummary,
  NetworkInspect,
  VolumeInspect,
} from "../docker/types.ts";
import type { ContainerPlan } from "./container-config.ts";
import { projectFilter } from "./labels.ts";

export interface Observation {
  project: string;
  /** Every container carrying the project label, running or not. */
  listed: ContainerSummary[];
  /** Inspects by container name, for the names in the desired plans (undefined: absent). */
  containers: Map<string, ContainerInspect | undefined>;
  network: NetworkInspect | undefined;
  volumes: Map<string, VolumeInspect | undefined>;
  /** Image reference → present locally. Only filled when `images` was asked for. */
  images: Map<string, boolean>;
}

export interface ObserveOptions {
  /** Look up the plans' images (not needed with `--pull always`). */
  images: boolean;
}

export async function observe(
  engine: Engine,
  project: string,
  plans: readonly ContainerPlan[],
  opts: ObserveOptions = { images: true },
): Promise<Observation> {
  const volumeNames = [...new Set(plans.flatMap((p) => p.volumes))];
  const imageRefs = opts.images ? [...new Set(plans.map((p) => p.body.Image))] : [];
  const [listed, inspects, network, volumes, images] = await Promise.all([
    engine.listContainers([projectFilter(project)], true),
    Promise.all(plans.map((p) => engine.inspectContainer(p.name))),
    engine.inspectNetwork(project),
    Promise.all(volumeNames.map((v) => engine.inspectVolume(v))),
    Promise.all(imageRefs.map(async (ref) => (await engine.inspectImage(ref)) !== undefined)),
  ]);
  return {
    project,
    listed,
    containers: new Map(plans.map((p, i) => [p.name, inspects[i]])),
    network,
    volumes: new Map(volumeNames.map((v, i) => [v, volumes[i]])),
    images: new Map(imageRefs.map((r, i) => [r, images[i]!])),
  };
}

/** `/sentry_redis` → `sentry_redis`. (Podman's listing also has an empty `Name`: use `Names`.) */
export function containerName(inspectOrSummary: ContainerInspect | ContainerSummary): string {
  const names = (inspectOrSummary as Partial<ContainerSummary>).Names;
  const raw = Array.isArray(names)
    ? names[0] ?? ""
    : (inspectOrSummary as ContainerInspect).Name ?? "";
  return raw.replace(/^\//, "");
}
