// What execute is given and what it gives back, shared by its modules.

import type { Engine } from "../../docker/engine.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { SentryctlError } from "../../errors.ts";
import type { ProbeTarget } from "../operations.ts";
import type { Reporter } from "../reporter.ts";
import type { BuildPlan } from "../stack-model.ts";

export type Outcome =
  | "created"
  | "reused"
  | "attached-elsewhere"
  | "removed"
  | "failed"
  | "skipped";

export interface ServiceOutcome {
  service: string;
  container: string;
  id?: string;
  outcome: Outcome;
  error?: unknown;
}

export interface ExecuteContext {
  engine: Engine;
  reporter: Reporter;
  /** Aborts pulls and waits; containers this run created are removed, then `aborted` is thrown. */
  signal?: AbortSignal;
  /** Waits until the service's probe passes; throws an `unhealthy` error otherwise. */
  waitHealthy?: (
    service: ProbeTarget,
    containerId: string,
    signal: AbortSignal,
    running: { alreadyRunning: boolean; observed?: ContainerInspect },
  ) => Promise<void>;
  /** Builds an image (project files' `build`); absent: a build operation fails. */
  build?: (build: BuildPlan, platform: string | undefined, signal: AbortSignal) => Promise<void>;
  /**
   * How to point a service at another image, for a failed pull's hint (the settings file or
   * project file by its path); default: the catalog's setting, without a path.
   */
  imageHint?: (service: string) => string;
  /** Called between create (or reuse of a stopped container) and start: attach opens its stream. */
  beforeStart?: (service: string, containerId: string) => Promise<void>;
  /** Pull attempts for transient failures (default 3). */
  pullAttempts?: number;
  /** Time for every wait of the run: pull retries, races, one-shots (default: real time). */
  clock?: Clock;
  /** What to say when interrupted before completion (attach: "Interrupted before X started"). */
  interrupted?: () => SentryctlError;
}

export interface ExecuteResult {
  outcomes: Map<string, ServiceOutcome>;
  /** Containers this run created (and did not remove again). */
  created: string[];
}

/** Per service while its steps run. */
export interface OpState {
  id?: string;
  /** The container was already running (reused, or created by a concurrent run). */
  adopted?: boolean;
}
