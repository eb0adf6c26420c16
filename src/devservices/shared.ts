// `down`'s reference counting: which of a stopping service's projects another running service
// still needs. A project is needed when it appears in another active service's plan (its active
// modes), or is itself an active service (started on its own).

import type { DependencyPlan } from "./resolve.ts";

export interface DownDecision {
  /** Projects to stop, dependents first. */
  stop: string[];
  /** Project → the running services that need it. */
  leave: Map<string, string[]>;
}

export function decideDown(
  stopping: DependencyPlan,
  others: ReadonlyMap<string, DependencyPlan>,
): DownDecision {
  const leave = new Map<string, string[]>();
  const stop: string[] = [];
  for (const project of [...stopping.projects].reverse()) {
    const needers: string[] = [];
    for (const [service, plan] of others) {
      if (service === stopping.root) continue;
      if (project.name === stopping.root) continue; // the service itself always stops
      if (service === project.name || plan.projects.some((p) => p.name === project.name)) {
        needers.push(service);
      }
    }
    if (needers.length > 0) leave.set(project.name, needers.sort());
    else stop.push(project.name);
  }
  return { stop, leave };
}
