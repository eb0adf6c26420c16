// The stack lifecycle on top of observe → plan → execute: `up` (dependency order, probes,
// timeouts), `down` (containers go, volumes and network stay) and `rm` (volumes too). The CLI
// commands and, later, `with`/`run` and the status server call these.

import type { Engine } from "../docker/engine.ts";
import { configError, failure, SentryctlError } from "../errors.ts";
import { dependenciesOf, selectForUp } from "../services/graph.ts";
import { type ResolvedService, type ServiceSet, unknownServiceError } from "../services/resolve.ts";
import { type ContainerPlan, planContainer } from "./container-config.ts";
import { execute, type ExecuteResult } from "./execute.ts";
import { LABELS, type Owner, projectFilter } from "./labels.ts";
import { observe } from "./observe.ts";
import {
  type DesiredService,
  type Plan,
  planRemoval,
  planUp,
  type PullPolicy,
  renderPlan,
} from "./plan.ts";
import type { Reporter } from "./reporter.ts";
import { acquireLock, type Lock, lockPath } from "../runtime/lock.ts";
import { type Clock, realClock } from "./wait/clock.ts";
import { waitHealthy } from "./wait/wait.ts";
import type { ProbeMemo } from "./wait/probe-memo.ts";

export interface UpRequest {
  project: string;
  /** Named services (empty: every enabled one). Named services bypass `only_if`. */
  names: readonly string[];
  exclude: readonly string[];
  skipOnlyIf: boolean;
  recreate: boolean;
  pull: PullPolicy;
  wait: boolean;
  /** Overall limit in seconds for everything to be healthy. */
  timeoutSeconds?: number;
  dryRun: boolean;
  owner?: Owner;
  session?: string;
  reporter: Reporter;
  signal?: AbortSignal;
  clock?: Clock;
  /** Exec probes that passed recently (the state directory's `probes/`). */
  memo?: ProbeMemo;
}

export interface UpResult {
  plan: Plan;
  /** The plan as text (what `--dry-run` prints). */
  text: string;
  desired: DesiredService[];
  result?: ExecuteResult;
}

/** The "not known or not enabled" error of Sentry, for every name that is neither. */
function checkNames(all: ServiceSet, names: readonly string[], flag: string): void {
  const unknown = names.filter((n) => !all.has(n));
  if (unknown.length === 0) return;
  const available = [...all.values()].filter((s) => s.enabled).map((s) => s.name).sort();
  throw failure(`Service \`${unknown[0]}\` is not known or not enabled.`, {
    details: ["Services that are available:", ...available.map((n) => `  ${n}`)].join("\n"),
    hint: unknown.length > 1 ? `also unknown: ${unknown.slice(1).join(", ")}` : `check ${flag}`,
  });
}

export function desiredServices(
  services: readonly ResolvedService[],
  project: string,
  owner: Owner,
  session?: string,
): DesiredService[] {
  const names = new Set(services.map((s) => s.name));
  return services.map((s) => {
    if (s.problems) {
      throw configError(`service '${s.name}' cannot be configured: ${s.problems.join("; ")}`, {
        hint: "fix the environment templates in SENTRY_DEVSERVICES",
      });
    }
    return {
      name: s.name,
      container: planContainer(s, { project, foreground: owner !== "up", owner, session }),
      after: dependenciesOf(s, names),
      healthcheck: s.spec.healthcheck,
    };
  });
}

/** Two runs changing one project on one engine take turns (see runtime/lock.ts). */
async function projectLock(
  engine: Engine,
  project: string,
  reporter: Reporter,
  signal?: AbortSignal,
): Promise<Lock> {
  const lock = await acquireLock(lockPath(`${engine.endpoint.url}|${project}`), {
    signal,
    onWait: (pid) =>
      reporter.step(`Waiting for another sentryctl (pid ${pid}) working on project '${project}'`),
  });
  if (!lock) {
    throw new SentryctlError("aborted", "Interrupted while waiting for another sentryctl", {
      hint: "nothing was changed",
    });
  }
  return lock;
}

export async function up(engine: Engine, all: ServiceSet, req: UpRequest): Promise<UpResult> {
  checkNames(all, req.names, "the service names");
  checkNames(all, req.exclude, "--exclude");
  const pool: ServiceSet = req.skipOnlyIf
    ? new Map([...all].map(([k, s]) => [k, { ...s, enabled: true }]))
    : all;
  const ordered = selectForUp(pool, { names: req.names, exclude: req.exclude });
  const owner = req.owner ?? "up";
  const desired = desiredServices(ordered, req.project, owner, req.session);
  const lock = req.dryRun
    ? undefined
    : await projectLock(engine, req.project, req.reporter, req.signal);
  try {
    return await upLocked(engine, req, desired, owner);
  } finally {
    lock?.release();
  }
}

async function upLocked(
  engine: Engine,
  req: UpRequest,
  desired: DesiredService[],
  owner: Owner,
): Promise<UpResult> {
  const observed = await observe(engine, req.project, desired.map((d) => d.container), {
    images: req.pull !== "always",
  });
  const plan = planUp(observed, desired, {
    owner,
    recreate: req.recreate,
    pull: req.pull,
    wait: req.wait,
  });
  const text = renderPlan(plan);
  if (req.dryRun) return { plan, text, desired };
  const clock = req.clock ?? realClock;
  const deadline = req.timeoutSeconds === undefined
    ? undefined
    : clock.now() + req.timeoutSeconds * 1000;
  const result = await execute(plan, {
    engine,
    reporter: req.reporter,
    desired: new Map(desired.map((d) => [d.name, d])),
    signal: req.signal,
    waitHealthy: (d, id, signal, { alreadyRunning }) =>
      waitHealthy(engine, d, id, signal, { clock, deadline, alreadyRunning, memo: req.memo }),
  });
  return { plan, text, desired, result };
}

export interface RemovalRequest {
  project: string;
  names: readonly string[];
  /** `rm`: volumes too (and the network when no names are given). */
  volumes: boolean;
  legacy: boolean;
  dryRun?: boolean;
  reporter: Reporter;
}

export interface RemovalResult {
  text: string;
  removedContainers: string[];
  removedVolumes: string[];
  /** Unlabelled volumes with our names, kept because --legacy was not given. */
  keptLegacy: string[];
}

/** Volume names each known service uses (`<project>_<volume>`), for `rm SERVICE`. */
function volumesByService(all: ServiceSet, project: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of all.values()) {
    let plan: ContainerPlan;
    try {
      plan = planContainer(s, { project, foreground: false });
    } catch {
      continue;
    }
    out.set(s.name, plan.volumes);
  }
  return out;
}

export async function remove(
  engine: Engine,
  all: ServiceSet,
  req: RemovalRequest,
): Promise<RemovalResult> {
  const lock = req.dryRun ? undefined : await projectLock(engine, req.project, req.reporter);
  try {
    return await removeLocked(engine, all, req);
  } finally {
    lock?.release();
  }
}

async function removeLocked(
  engine: Engine,
  all: ServiceSet,
  req: RemovalRequest,
): Promise<RemovalResult> {
  const volumesOf = volumesByService(all, req.project);
  const [observed, labelled] = await Promise.all([
    observe(engine, req.project, [], { images: false }),
    req.volumes ? engine.listVolumes([projectFilter(req.project)]) : Promise.resolve([]),
  ]);
  const known = new Set([
    ...all.keys(),
    ...observed.listed.map((c) => c.Labels[LABELS.service] ?? ""),
  ]);
  const unknown = req.names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw unknownServiceError(all, unknown[0]!);
  }
  // Unlabelled volumes carrying the names our services use: the legacy devservices' volumes.
  const candidates = req.volumes
    ? [...new Set([...volumesOf.values()].flat())].filter((v) =>
      !labelled.some((l) => l.Name === v)
    )
    : [];
  const legacy = (await Promise.all(candidates.map((v) => engine.inspectVolume(v))))
    .filter((v) => v !== undefined && !v.Labels?.[LABELS.project])
    .map((v) => v!.Name);
  const plan = planRemoval(
    observed,
    labelled.map((v) => ({ name: v.Name, service: v.Labels?.[LABELS.service] })),
    legacy,
    { services: req.names, volumes: req.volumes, legacy: req.legacy, volumesOf },
  );
  const text = renderPlan(plan);
  if (req.dryRun) {
    return { text, removedContainers: [], removedVolumes: [], keptLegacy: plan.keptLegacy };
  }
  const result = await execute(plan, { engine, reporter: req.reporter });
  return {
    text,
    removedContainers: [...result.outcomes.values()].map((o) => o.container),
    removedVolumes: plan.finale.flatMap((op) => (op.op === "remove-volume" ? [op.name] : [])),
    keptLegacy: plan.keptLegacy,
  };
}

export function isUnhealthy(err: unknown): boolean {
  return err instanceof SentryctlError && err.category === "unhealthy";
}
