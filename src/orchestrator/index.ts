// The orchestrator's one entry point: every stack source (catalog, project files) and every
// command that changes a stack (`up`, `attach`, `with`, the status server's PUT, devservices)
// converges through here — lock, observe → plan → execute — and tears down through here.

import type { Engine } from "../docker/engine.ts";
import { SentryctlError } from "../errors.ts";
import { acquireLock, type Lock, lockPath } from "../runtime/lock.ts";
import { execute, type ExecuteContext, type ExecuteResult } from "./execute/index.ts";
import { observe } from "./observe.ts";
import type { Plan, ProbeTarget, UpOptions } from "./operations.ts";
import { planRemoval, type RemovalOptions } from "./plan-removal.ts";
import { renderPlan } from "./plan-render.ts";
import { planUp } from "./plan.ts";
import { scopeFilter } from "./scope.ts";
import type { Reporter } from "./reporter.ts";
import type { Stack } from "./stack-model.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import type { ProbeMemo } from "./wait/probe-memo.ts";
import { waitHealthy } from "./wait/wait.ts";

export type { Stack, StackService } from "./stack-model.ts";
export type { ExecuteResult } from "./execute/index.ts";
export type { Plan, UpOptions } from "./operations.ts";

export interface ConvergeOptions extends UpOptions {
  reporter: Reporter;
  /** Plan only: nothing is locked or changed. */
  dryRun?: boolean;
  /** Take the project lock (default true; attach's set-up races its own abort instead). */
  lock?: boolean;
  signal?: AbortSignal;
  /** Overall limit in seconds for everything to be healthy. */
  timeoutSeconds?: number;
  clock?: Clock;
  memo?: ProbeMemo;
  /** Replaces the default probe wait (`with` rewrites probes to its ephemeral ports). */
  waitHealthy?: ExecuteContext["waitHealthy"];
  build?: ExecuteContext["build"];
  interrupted?: ExecuteContext["interrupted"];
  imageHint?: ExecuteContext["imageHint"];
  beforeStart?: ExecuteContext["beforeStart"];
}

export interface ConvergeResult {
  plan: Plan;
  /** The plan as text (what `--dry-run` prints). */
  text: string;
  result?: ExecuteResult;
}

/** Two runs changing one project on one engine take turns (see runtime/lock.ts). */
export async function projectLock(
  engine: Engine,
  project: string,
  reporter: Reporter,
  signal?: AbortSignal,
  clock: Clock = realClock,
): Promise<Lock> {
  const lock = await acquireLock(lockPath(`${engine.endpoint.url}|${project}`), {
    signal,
    clock,
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

/** Brings the engine to the stack: create what is missing, recreate what drifted, wait. */
export async function converge(
  engine: Engine,
  stack: Stack,
  opts: ConvergeOptions,
): Promise<ConvergeResult> {
  const clock = opts.clock ?? realClock;
  const lock = opts.dryRun || opts.lock === false
    ? undefined
    : await projectLock(engine, stack.project, opts.reporter, opts.signal, clock);
  try {
    const observed = await observe(engine, stack, { images: opts.pull !== "always" });
    const plan = planUp(observed, stack, opts);
    const text = renderPlan(plan);
    if (opts.dryRun) return { plan, text };
    const deadline = opts.timeoutSeconds === undefined
      ? undefined
      : clock.now() + opts.timeoutSeconds * 1000;
    const result = await execute(plan, {
      engine,
      reporter: opts.reporter,
      signal: opts.signal,
      build: opts.build,
      interrupted: opts.interrupted,
      imageHint: opts.imageHint,
      beforeStart: opts.beforeStart,
      clock,
      waitHealthy: opts.waitHealthy ??
        ((d: ProbeTarget, id, signal, { alreadyRunning, observed }) =>
          waitHealthy(engine, d, id, signal, {
            clock,
            deadline,
            alreadyRunning,
            observed,
            memo: opts.memo,
          })),
    });
    return { plan, text, result };
  } finally {
    lock?.release();
  }
}

export interface TeardownOptions extends RemovalOptions {
  reporter: Reporter;
  dryRun?: boolean;
}

export interface TeardownResult {
  text: string;
  removedContainers: string[];
  removedVolumes: string[];
  /** Unlabelled volumes with our names, kept because --legacy was not given. */
  keptLegacy: string[];
}

/**
 * `down` and `rm`: the project's containers (whoever made them, by the owner label), and for
 * `rm` its labelled volumes plus, with `legacy`, the `legacy` names given.
 */
export async function teardown(
  engine: Engine,
  stack: Stack,
  opts: TeardownOptions & { legacyCandidates?: readonly string[] },
): Promise<TeardownResult> {
  const lock = opts.dryRun ? undefined : await projectLock(engine, stack.project, opts.reporter);
  try {
    const owned = scopeFilter(stack);
    const [observed, labelled] = await Promise.all([
      observe(engine, { ...stack, services: [], volumes: [] }, { images: false }),
      opts.volumes ? engine.listVolumes([owned]) : Promise.resolve([]),
    ]);
    const candidates = (opts.legacyCandidates ?? []).filter((v) =>
      !labelled.some((l) => l.Name === v)
    );
    // Unlabelled volumes carrying the names our services use: the legacy devservices' volumes.
    const legacy = (await Promise.all(candidates.map((v) => engine.inspectVolume(v))))
      .filter((v) => v !== undefined && !v.Labels?.[stack.ownerLabel])
      .map((v) => v!.Name);
    const plan = planRemoval(
      observed,
      stack,
      labelled.map((v) => ({ name: v.Name })),
      legacy,
      opts,
    );
    const text = renderPlan(plan);
    const volumesToGo = plan.finale.flatMap((op) => (op.op === "remove-volume" ? [op.name] : []));
    if (opts.dryRun) {
      // What would go, so a prompt can name it.
      return {
        text,
        removedContainers: plan.services.map((s) => s.container),
        removedVolumes: volumesToGo,
        keptLegacy: plan.keptLegacy,
      };
    }
    const result = await execute(plan, { engine, reporter: opts.reporter });
    return {
      text,
      removedContainers: [...result.outcomes.values()].map((o) => o.container),
      removedVolumes: volumesToGo,
      keptLegacy: plan.keptLegacy,
    };
  } finally {
    lock?.release();
  }
}
