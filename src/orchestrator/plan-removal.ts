// The removal plan of `down` and `rm`: the project's containers (the listing is filtered by the
// stack's owner label, so whoever made them), then for `rm` the volumes and the networks.

import { LABELS } from "./labels.ts";
import { containerName, type Observation } from "./observe.ts";
import type { Operation, Plan, ServiceSteps } from "./operations.ts";
import type { Stack } from "./stack-model.ts";

export interface RemovalOptions {
  /** Services to act on; empty: every container of the project. */
  services: readonly string[];
  /** `rm`: also remove volumes (and, with no names, the network). */
  volumes: boolean;
  /** `rm --legacy`: also unlabelled volumes with our names. */
  legacy: boolean;
  /** For `rm SERVICE`: the volume names each service's plan uses. */
  volumesOf?: ReadonlyMap<string, readonly string[]>;
}

/**
 * `down` and `rm`: stop and remove the project's containers, then for `rm` the volumes and
 * networks. Unlabelled legacy volumes are kept unless `legacy`; they are reported so the user
 * knows. Under compose's rules `down` removes the project's networks as compose does.
 */
export function planRemoval(
  observed: Observation,
  stack: Stack,
  labelledVolumes: readonly { name: string; service?: string }[],
  legacyVolumes: readonly string[],
  opts: RemovalOptions,
): Plan & { keptLegacy: string[] } {
  const project = stack.project;
  const wanted = new Set(opts.services);
  const services: ServiceSteps[] = [];
  const listed = [...observed.listed].sort((a, b) => containerName(a) < containerName(b) ? -1 : 1);
  for (const c of listed) {
    const service = c.Labels[stack.serviceLabel] ?? c.Labels[LABELS.service] ?? containerName(c);
    if (wanted.size > 0 && !wanted.has(service)) continue;
    const name = containerName(c);
    const ops: Operation[] = [];
    if (c.State === "running" || c.State === "restarting" || c.State === "paused") {
      // No grace given: Docker uses the container's own StopTimeout (stop_grace_period).
      ops.push({ op: "stop", service, container: name, id: c.Id });
    }
    ops.push({ op: "remove", service, container: name, id: c.Id });
    services.push({ service, container: name, after: [], ops });
  }
  const finale: Operation[] = [];
  const keptLegacy: string[] = [];
  if (opts.volumes) {
    const ofServices = wanted.size === 0
      ? undefined
      : new Set([...wanted].flatMap((s) => opts.volumesOf?.get(s) ?? []));
    for (const v of [...labelledVolumes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (ofServices && !ofServices.has(v.name)) continue;
      finale.push({ op: "remove-volume", name: v.name, legacy: false });
    }
    for (const name of [...legacyVolumes].sort()) {
      if (ofServices && !ofServices.has(name)) continue;
      if (opts.legacy) finale.push({ op: "remove-volume", name, legacy: true });
      else keptLegacy.push(name);
    }
  }
  if (wanted.size === 0 && (opts.volumes || stack.composeRules)) {
    for (const n of stack.networks) {
      const found = observed.networks.get(n.name);
      if (!n.external && found?.Labels?.[stack.ownerLabel] === project) {
        finale.push({ op: "remove-network", name: n.name });
      }
    }
  }
  return {
    project,
    ownerLabel: stack.ownerLabel,
    problems: [],
    prelude: [],
    services,
    finale,
    keptLegacy,
  };
}
