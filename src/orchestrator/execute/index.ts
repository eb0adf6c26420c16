// Execute: runs a plan against an Engine. Shared resources first; then every service as soon as
// the services it comes after have reached what it waits for (started, healthy, completed;
// independent ones in parallel); starts that publish host ports in tiers, those that others wait
// on first, and one at a time where the engine picks the port (../start-gate.ts). A service that
// fails takes its dependents with it (they are not started); what this run created and never got
// running is removed again (./rollback.ts). Operations run in ./dispatch.ts.

import { SentryctlError } from "../../errors.ts";
import type { Operation, Plan, ServiceSteps } from "../operations.ts";
import { chainPriorities, StartGate } from "../start-gate.ts";
import { Run } from "./dispatch.ts";
import { combined } from "./errors.ts";
import { removeContainers, removeUnused } from "./rollback.ts";
import type { ExecuteContext, ExecuteResult, OpState, Outcome, ServiceOutcome } from "./types.ts";

export type { ExecuteContext, ExecuteResult, Outcome, ServiceOutcome } from "./types.ts";

/** The first problem as an error; every problem listed in its details. */
export function problemsError(plan: Plan): SentryctlError | undefined {
  const [first, ...rest] = plan.problems;
  if (!first) return undefined;
  return new SentryctlError(first.category, first.message, {
    hint: first.hint,
    details: rest.length > 0 ? rest.map((p) => `  also: ${p.message}`).join("\n") : undefined,
  });
}

/** Per service: when its container runs, and when it is done (probe or completion included). */
interface Milestones {
  started: Promise<boolean>;
  done: Promise<boolean>;
}

function deferred(): { promise: Promise<boolean>; resolve: (v: boolean) => void } {
  let resolve!: (v: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
}

export async function execute(plan: Plan, ctx: ExecuteContext): Promise<ExecuteResult> {
  const problem = problemsError(plan);
  if (problem) throw problem;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  if (ctx.signal?.aborted) abort.abort();
  const ports = new StartGate(
    chainPriorities(new Map(plan.services.map((s) => [s.service, s.after]))),
  );
  const run = new Run(
    ctx,
    { label: plan.ownerLabel, project: plan.project },
    abort.signal,
    ports,
  );
  const outcomes = new Map<string, ServiceOutcome>();
  try {
    // Networks and volumes do not depend on each other: made side by side, every one settled
    // before a failure is thrown (rollback must know all that was made).
    const made = await Promise.allSettled(plan.prelude.map((op) => run.run(op, {})));
    const failed = made.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    const milestones = new Map<string, Milestones>();
    for (const steps of plan.services) {
      const started = deferred();
      const done = runService(run, steps, milestones, outcomes, started.resolve)
        .then((ok) => {
          started.resolve(ok);
          return ok;
        });
      milestones.set(steps.service, { started: started.promise, done });
    }
    await Promise.all([...milestones.values()].map((m) => m.done));
    run.checkAbort();
    const failures = [...outcomes.values()].filter((o) => o.outcome === "failed");
    if (failures.length > 0) throw combined(failures);
    for (const op of plan.finale) await run.run(op, {});
  } catch (err) {
    if (abort.signal.aborted) {
      // Interrupted: what this run created goes away again (SPEC §3).
      await removeContainers(ctx.engine, run.created);
      for (const o of outcomes.values()) if (o.outcome === "created") o.outcome = "removed";
      run.created.clear();
    }
    await removeUnused(ctx.engine, plan, outcomes, run.createdVolumes, run.createdNetworks);
    if (abort.signal.aborted) {
      throw err instanceof SentryctlError && err.category === "aborted" ? err : run.interrupted();
    }
    throw err;
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
  }
  return { outcomes, created: [...run.created] };
}

/**
 * Operations that only prepare a fresh container: run before the services it comes after are up,
 * so its start (which does wait for them) is not held up by its own pull and create as well.
 * Not when an old container must go first: a dependency that fails must leave it as it was.
 */
const PREPARES = new Set<Operation["op"]>(["pull", "build", "create", "put-files"]);

export function preparedEarly(ops: readonly Operation[]): number {
  if (ops.some((o) => o.op === "stop" || o.op === "remove")) return 0;
  const n = ops.findIndex((o) => !PREPARES.has(o.op));
  return n === -1 ? ops.length : n;
}

async function runService(
  run: Run,
  steps: ServiceSteps,
  milestones: Map<string, Milestones>,
  outcomes: Map<string, ServiceOutcome>,
  markStarted: (ok: boolean) => void,
): Promise<boolean> {
  const { reporter } = run;
  const state: OpState = {};
  // A container that is already running has nothing to wait for before its own probe.
  const running = steps.ops[0]?.op === "reuse" || steps.ops[0]?.op === "attached-elsewhere";
  const waits = running ? [] : steps.after.filter((a) => milestones.has(a));
  const early = waits.length > 0 ? preparedEarly(steps.ops) : 0;
  let earlyError: unknown;
  try {
    for (const op of steps.ops.slice(0, early)) await run.run(op, state);
  } catch (err) {
    earlyError = err; // reported once the dependencies are known to be up (else: skipped)
  }
  if (early > 0 && earlyError === undefined) {
    reporter.phase(steps.service, "waiting", `for ${waits.join(", ")}`);
  }
  const results = await Promise.all(
    steps.after.map((a) => {
      const m = milestones.get(a);
      if (!m || running) return true;
      return steps.conditions?.[a] === "started" ? m.started : m.done;
    }),
  );
  const failedDep = steps.after.find((_, i) => !results[i]);
  if (failedDep !== undefined) {
    // Created ahead of a dependency that never came up: leave nothing half-made.
    await removeUnstarted(run, state);
    reporter.phase(steps.service, "skipped", `${failedDep} is not up`);
    outcomes.set(steps.service, {
      service: steps.service,
      container: steps.container,
      outcome: "skipped",
    });
    return false;
  }
  let outcome: Outcome = state.adopted ? "reused" : state.id ? "created" : "removed";
  const startsWithPorts = steps.ops.some((o) => o.op === "start" && o.publishesPorts);
  if (startsWithPorts) run.ports.expect(steps.service);
  try {
    if (earlyError !== undefined) throw earlyError;
    for (const op of steps.ops.slice(early)) {
      // An adopted race winner is already created and started by its own run.
      if (state.adopted && (op.op === "create" || op.op === "put-files" || op.op === "start")) {
        outcome = "reused";
        continue;
      }
      if (op.op === "wait-healthy" || op.op === "wait-completed") markStarted(true);
      await run.run(op, state);
      if (op.op === "create") outcome = state.adopted ? "reused" : "created";
      else if (op.op === "start" && op.id && outcome === "removed") outcome = "reused";
      else if (op.op === "remove" && state.adopted) outcome = "reused";
      else if (op.op === "reuse") outcome = "reused";
      else if (op.op === "attached-elsewhere") outcome = "attached-elsewhere";
    }
    if (startsWithPorts) run.ports.forget(steps.service);
    if (outcome !== "removed") {
      const healthy = steps.ops.some((o) => o.op === "wait-healthy");
      reporter.phase(steps.service, healthy ? "healthy" : "running");
    } else reporter.phase(steps.service, "removed");
    outcomes.set(steps.service, {
      service: steps.service,
      container: steps.container,
      id: state.id,
      outcome,
    });
    return true;
  } catch (err) {
    if (startsWithPorts) run.ports.forget(steps.service);
    // A container created but never started blocks the name: leave nothing half-made.
    await removeUnstarted(run, state);
    reporter.phase(steps.service, "failed", (err as Error).message);
    outcomes.set(steps.service, {
      service: steps.service,
      container: steps.container,
      id: state.id,
      outcome: "failed",
      error: err,
    });
    return false;
  }
}

/** Removes the service's container when this run created it and never started it. */
async function removeUnstarted(run: Run, state: OpState): Promise<void> {
  if (state.id && run.created.has(state.id) && !run.started.has(state.id)) {
    await run.engine.removeContainer(state.id, { force: true }).catch(() => {});
    run.created.delete(state.id);
  }
}
