// The plan's vocabulary: operations that carry everything execute needs to run them (no lookup
// back into the stack), the problems that stop a plan before it runs, and the plan itself.

import type { ContainerInspect, CreateContainerBody } from "../docker/types.ts";
import type { ErrorCategory } from "../errors.ts";
import type { TarFile } from "../lib/tar.ts";
import type { HealthcheckSpec } from "../services/spec.ts";
import type { ContainerPlan } from "./container-config.ts";
import type { Owner } from "./labels.ts";
import type { BuildPlan, DependencyCondition } from "./stack-model.ts";

export type PullPolicy = "missing" | "always" | "never";

export interface UpOptions {
  owner: Owner;
  recreate: boolean;
  pull: PullPolicy;
  /** Wait for probes to pass (`up` without `--no-wait`); `attach` does not wait. */
  wait: boolean;
  /** Build images of services with `build` even when the tag exists (`up --build`). */
  rebuild?: boolean;
}

export type PortBindings = NonNullable<CreateContainerBody["HostConfig"]["PortBindings"]>;

/** What a probe wait needs: the service and its probe. */
export interface ProbeTarget {
  name: string;
  healthcheck?: HealthcheckSpec;
}

export type Operation =
  | { op: "create-network"; name: string; labels: Record<string, string> }
  | { op: "create-volume"; name: string; service?: string; labels: Record<string, string> }
  | { op: "pull"; service: string; image: string; platform?: string }
  | { op: "build"; service: string; build: BuildPlan; platform?: string }
  | { op: "stop"; service: string; container: string; id: string; graceSeconds?: number }
  | {
    op: "remove";
    service: string;
    container: string;
    id: string;
    /** For `up`: the definition a concurrent run's fresh container would have (race adoption). */
    expect?: ContainerPlan;
  }
  | { op: "create"; service: string; container: string; plan: ContainerPlan }
  | { op: "put-files"; service: string; container: string; files: TarFile[] }
  | {
    op: "start";
    service: string;
    container: string;
    publishesPorts: boolean;
    bindings: PortBindings;
    /** Set when starting a container that exists already (a concurrent run's, or stopped). */
    id?: string;
  }
  | {
    op: "reuse";
    service: string;
    container: string;
    id: string;
    /** Made by another tool (docker compose, devservices): reported as such. */
    madeBy?: string;
  }
  | { op: "attached-elsewhere"; service: string; container: string; id: string }
  | {
    op: "wait-healthy";
    service: string;
    container: string;
    probe: string;
    target: ProbeTarget;
    /** A running container's inspect from observe: a warm `up` need not inspect it again. */
    observed?: ContainerInspect;
  }
  | { op: "wait-completed"; service: string; container: string }
  | { op: "remove-volume"; name: string; legacy: boolean }
  | { op: "remove-network"; name: string };

/** Something that stops the whole plan before any operation runs. */
export interface Problem {
  kind: "foreign-container" | "image-missing" | "external-missing" | "remote-bind";
  service: string;
  message: string;
  hint: string;
  category: ErrorCategory;
}

export interface ServiceSteps {
  service: string;
  container: string;
  after: string[];
  /** Per dependency, what it must reach first; absent: its whole steps (probe included). */
  conditions?: Record<string, DependencyCondition>;
  ops: Operation[];
}

export interface Plan {
  project: string;
  /** The label whose value is the project on every resource this plan may adopt. */
  ownerLabel: string;
  problems: Problem[];
  /** Shared resources first: networks, volumes. */
  prelude: Operation[];
  /** Per service, in dependency order. */
  services: ServiceSteps[];
  /** Removals after everything else (rm: volumes, network). */
  finale: Operation[];
}
