// Observe: what the engine holds for a stack, read in one round of parallel calls — the
// owner-label-filtered container listing, plus inspects of the names we are about to use (a
// container of another project may hold one), the networks, the volumes and (when asked) the
// images.

import type { Engine } from "../docker/engine.ts";
import type {
  ContainerInspect,
  ContainerSummary,
  NetworkInspect,
  VolumeInspect,
} from "../docker/types.ts";
import { scopeFilter } from "./scope.ts";
import type { Stack } from "./stack-model.ts";

export interface Observation {
  project: string;
  /** Every container carrying the project's owner label, running or not. */
  listed: ContainerSummary[];
  /** Inspects by container name, for the names in the desired plans (undefined: absent). */
  containers: Map<string, ContainerInspect | undefined>;
  networks: Map<string, NetworkInspect | undefined>;
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
  stack: Stack,
  opts: ObserveOptions = { images: true },
): Promise<Observation> {
  const plans = stack.services.map((s) => s.container);
  const volumeNames = stack.volumes.map((v) => v.name);
  const networkNames = stack.networks.map((n) => n.name);
  const imageRefs = opts.images ? [...new Set(plans.map((p) => p.body.Image))] : [];
  const [listed, inspects, networks, volumes, images] = await Promise.all([
    engine.listContainers([scopeFilter(stack)], true),
    Promise.all(plans.map((p) => engine.inspectContainer(p.name))),
    Promise.all(networkNames.map((n) => engine.inspectNetwork(n))),
    Promise.all(volumeNames.map((v) => engine.inspectVolume(v))),
    Promise.all(imageRefs.map(async (ref) => (await engine.inspectImage(ref)) !== undefined)),
  ]);
  return {
    project: stack.project,
    listed,
    containers: new Map(plans.map((p, i) => [p.name, inspects[i]])),
    networks: new Map(networkNames.map((n, i) => [n, networks[i]])),
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
