// The Stack: what the orchestrator is asked to run, whatever described it. The catalog
// (catalog-stack.ts) and project files (compose-stack.ts) both produce one; observe, plan and
// execute read only this, so the planner never knows where a stack came from. Names and labels
// are decided by the producer (the naming scheme): the planner only compares and creates.

import type { HealthcheckSpec } from "../services/spec.ts";
import type { ContainerPlan } from "./container-config.ts";
import { LABELS } from "./labels.ts";
import { catalogScope, type StackScope } from "./scope.ts";

/** Where the stack was read from (`ps`, `doctor`, `config stack` name it). */
export type StackSource =
  | { kind: "catalog" }
  | { kind: "project-files"; files: string[]; workingDir: string };

/** How a dependent waits for a service (compose's `depends_on` conditions). */
export type DependencyCondition = "started" | "healthy" | "completed";

export interface BuildPlan {
  /** Absolute context directory. */
  context: string;
  dockerfile: string;
  target?: string;
  args: Record<string, string>;
  /** The tag the built image gets (the container's `Image`). */
  tag: string;
}

export interface StackService {
  name: string;
  container: ContainerPlan;
  /** Services (in this stack) that must be up first: healthy when they have a probe. */
  after: string[];
  /** Per dependency, what "up" means; absent: `healthy` (the catalog's rule). */
  conditions?: Record<string, DependencyCondition>;
  healthcheck?: HealthcheckSpec;
  /** Built from a context instead of (or before) pulled. */
  build?: BuildPlan;
  /** Per-service pull policy (compose's `pull_policy`); overrides the run's. */
  pullPolicy?: "missing" | "always" | "never" | "build";
}

export interface StackNetwork {
  name: string;
  /** Used, never created or removed. */
  external: boolean;
  labels: Record<string, string>;
}

export interface StackVolume {
  name: string;
  external: boolean;
  labels: Record<string, string>;
  /** The first service that mounts it (the catalog labels its volumes with it). */
  service?: string;
}

/**
 * What the stack holds and, as its `StackScope` (./scope.ts), which containers are its own:
 * the project, the owner and service labels and compose's rules, decided by the producer.
 */
export interface Stack extends StackScope {
  source: StackSource;
  services: StackService[];
  networks: StackNetwork[];
  volumes: StackVolume[];
}

/** Kept for the callers that build service lists by hand (tests, `with`). */
export type DesiredService = StackService;

/**
 * The catalog's layout for a list of services: one network named after the project, the
 * volumes the containers name, all labelled with our project label.
 */
export function catalogLayout(project: string, services: readonly StackService[]): Stack {
  const volumes: StackVolume[] = [];
  const seen = new Set<string>();
  for (const s of services) {
    for (const v of s.container.volumes) {
      if (seen.has(v)) continue;
      seen.add(v);
      volumes.push({
        name: v,
        external: false,
        labels: { [LABELS.project]: project, [LABELS.service]: s.name },
        service: s.name,
      });
    }
  }
  return {
    source: { kind: "catalog" },
    services: [...services],
    networks: [{ name: project, external: false, labels: { [LABELS.project]: project } }],
    volumes,
    ...catalogScope(project),
  };
}

/** The same stack with only some services (in the given order). */
export function withServices(stack: Stack, services: readonly StackService[]): Stack {
  const names = new Set(services.flatMap((s) => s.container.volumes));
  return {
    ...stack,
    services: [...services],
    volumes: stack.volumes.filter((v) => names.has(v.name)),
  };
}
