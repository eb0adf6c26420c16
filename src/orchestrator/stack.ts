// The catalog's stack lifecycle on top of the one entry point (./index.ts): `up` (names checked
// as Sentry does, only_if, selection in dependency order), `down` (containers go, volumes and
// network stay) and `rm` (volumes too, legacy volumes with --legacy).

import type { Engine } from "../docker/engine.ts";
import { failure, SentryctlError } from "../errors.ts";
import { selectForUp } from "../services/graph.ts";
import { type ServiceSet, unknownServiceError } from "../services/resolve.ts";
import { catalogStack } from "./catalog-stack.ts";
import { type ContainerPlan, planContainer } from "./container-config.ts";
import { converge, type ExecuteResult, teardown, type TeardownResult } from "./index.ts";
import type { Owner } from "./labels.ts";
import type { Plan, PullPolicy } from "./operations.ts";
import type { Reporter } from "./reporter.ts";
import { catalogScope, listMembers } from "./scope.ts";
import { catalogLayout, type DesiredService } from "./stack-model.ts";
import type { Clock } from "../runtime/clock.ts";
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
  /** How to point a service at another image (names the settings file). */
  imageHint?: (service: string) => string;
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

export async function up(engine: Engine, all: ServiceSet, req: UpRequest): Promise<UpResult> {
  checkNames(all, req.names, "the service names");
  checkNames(all, req.exclude, "--exclude");
  const pool: ServiceSet = req.skipOnlyIf
    ? new Map([...all].map(([k, s]) => [k, { ...s, enabled: true }]))
    : all;
  const ordered = selectForUp(pool, { names: req.names, exclude: req.exclude });
  const owner = req.owner ?? "up";
  const stack = catalogStack(ordered, req.project, owner, req.session);
  const { plan, text, result } = await converge(engine, stack, {
    owner,
    recreate: req.recreate,
    pull: req.pull,
    wait: req.wait,
    dryRun: req.dryRun,
    reporter: req.reporter,
    signal: req.signal,
    timeoutSeconds: req.timeoutSeconds,
    clock: req.clock,
    memo: req.memo,
    imageHint: req.imageHint,
  });
  return { plan, text, desired: stack.services, result };
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

export type RemovalResult = TeardownResult;

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
  const volumesOf = volumesByService(all, req.project);
  const known = new Set(all.keys());
  const unknown = req.names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    // A container of the project may still carry a service the settings no longer have.
    for (const m of await listMembers(engine, catalogScope(req.project))) known.add(m.service);
  }
  const missing = req.names.filter((n) => !known.has(n));
  if (missing.length > 0) throw unknownServiceError(all, missing[0]!);
  return await teardown(engine, catalogLayout(req.project, []), {
    services: req.names,
    volumes: req.volumes,
    legacy: req.legacy,
    volumesOf,
    legacyCandidates: req.volumes ? [...new Set([...volumesOf.values()].flat())] : [],
    reporter: req.reporter,
    dryRun: req.dryRun,
  });
}

export function isUnhealthy(err: unknown): boolean {
  return err instanceof SentryctlError && err.category === "unhealthy";
}
