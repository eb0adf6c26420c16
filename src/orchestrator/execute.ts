// Execute: runs a plan against an Engine. Shared resources first; then every service as soon as
// the services it comes after are up (independent ones in parallel); starts that publish host
// ports in tiers, those that others wait on first, and one at a time where the engine picks the
// port (./start-gate.ts); each image pulled once, with
// retries on transient failures. A service that fails takes its dependents with it (they are
// not started); what this run created and never got running is removed again.

import type { Engine } from "../docker/engine.ts";
import { SentryctlError } from "../errors.ts";
import { createTar } from "../lib/tar.ts";
import type { ContainerPlan } from "./container-config.ts";
import { LABELS } from "./labels.ts";
import type { DesiredService, Operation, Plan } from "./plan.ts";
import { chainPriorities, StartGate } from "./start-gate.ts";
import { AbortedError, raceAbort } from "./abortable.ts";
import { combined, createError, explainStartFailure, pullError } from "./execute-errors.ts";
import type { Reporter } from "./reporter.ts";

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
  /** The desired services by name (container plans for create, probes for wait-healthy). */
  desired?: ReadonlyMap<string, DesiredService>;
  /** Aborts pulls and waits; containers this run created are removed, then `aborted` is thrown. */
  signal?: AbortSignal;
  /** Waits until the service's probe passes; throws an `unhealthy` error otherwise. */
  waitHealthy?: (
    service: DesiredService,
    containerId: string,
    signal: AbortSignal,
    running: { alreadyRunning: boolean },
  ) => Promise<void>;
  /** Pull attempts for transient failures (default 3) and the pause before a retry. */
  pullAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** What to say when interrupted before completion (attach: "Interrupted before X started"). */
  interrupted?: () => SentryctlError;
}

export interface ExecuteResult {
  outcomes: Map<string, ServiceOutcome>;
  /** Containers this run created (and did not remove again). */
  created: string[];
}

/** The first problem as an error; every problem listed in its details. */
export function problemsError(plan: Plan): SentryctlError | undefined {
  const [first, ...rest] = plan.problems;
  if (!first) return undefined;
  return new SentryctlError(first.category, first.message, {
    hint: first.hint,
    details: rest.length > 0 ? rest.map((p) => `  also: ${p.message}`).join("\n") : undefined,
  });
}

const TRANSIENT = new Set(["server", "unavailable"]);

export async function execute(plan: Plan, ctx: ExecuteContext): Promise<ExecuteResult> {
  const problem = problemsError(plan);
  if (problem) throw problem;
  const { engine, reporter } = ctx;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  if (ctx.signal?.aborted) abort.abort();
  const signal = abort.signal;
  const outcomes = new Map<string, ServiceOutcome>();
  const created = new Set<string>();
  const started = new Set<string>();
  const pulls = new Map<string, Promise<void>>();
  /** The service an image is pulled for, for the hint of a failed pull. */
  const pullFor = new Map<string, string>();
  const ports = new StartGate(
    chainPriorities(new Map(plan.services.map((s) => [s.service, s.after]))),
  );
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const interrupted = ctx.interrupted ??
    (() =>
      new SentryctlError("aborted", "Interrupted before every service was up", {
        hint: "containers this run created were removed; run the command again",
      }));
  const checkAbort = () => {
    if (signal.aborted) throw interrupted();
  };

  const pull = (image: string, platform: string | undefined): Promise<void> => {
    let p = pulls.get(image);
    if (!p) {
      p = (async () => {
        const attempts = ctx.pullAttempts ?? 3;
        for (let attempt = 1;; attempt++) {
          try {
            await engine.pullImage(image, platform, (e) => reporter.pull(image, e), signal);
            return;
          } catch (err) {
            if (signal.aborted) throw interrupted();
            const reason = err instanceof SentryctlError ? err.reason : undefined;
            if (attempt >= attempts || !reason || !TRANSIENT.has(reason)) {
              throw pullError(err, pullFor.get(image) ?? image, image);
            }
            reporter.step(`Pull of '${image}' failed (${(err as Error).message}); retrying`);
            await sleep(1000 * attempt);
          }
        }
      })();
      pulls.set(image, p);
    }
    return p;
  };

  const createdVolumes = new Set<string>();
  let createdNetwork: string | undefined;

  const runOp = async (op: Operation, state: OpState): Promise<void> => {
    checkAbort();
    /** Another sentryctl just created this container (a create race): use it when it is ours. */
    const adoptRaceWinner = async (c: ContainerPlan): Promise<boolean> => {
      const winner = await awaitRaceWinner(engine, c, plan.project, signal, sleep);
      if (!winner) return false;
      reporter.step(`Container '${c.name}' was just created by another sentryctl; using it`);
      state.id = winner;
      state.adopted = true;
      return true;
    };
    switch (op.op) {
      case "create-network":
        reporter.step(`Creating '${op.name}' network`);
        createdNetwork = await engine.createNetwork(op.name, { [LABELS.project]: plan.project });
        if (createdNetwork) {
          createdNetwork = await settleNetwork(
            engine,
            op.name,
            plan.project,
            createdNetwork,
            sleep,
          );
        }
        return;
      case "create-volume":
        reporter.step(`Creating '${op.name}' volume`);
        await engine.createVolume(op.name, {
          [LABELS.project]: plan.project,
          [LABELS.service]: op.service,
        });
        createdVolumes.add(op.name);
        return;
      case "pull":
        pullFor.set(op.image, op.service);
        reporter.step(`Pulling image '${op.image}'`);
        reporter.phase(op.service, "pulling", op.image);
        await pull(op.image, op.platform);
        return;
      case "stop":
        reporter.step(`Stopping container '${op.container}'`);
        reporter.phase(op.service, "stopping");
        // A stop can take the whole grace period: an abort meanwhile ends the run at once.
        await raceAbort(engine.stopContainer(op.id, op.graceSeconds), signal).catch((err) => {
          throw err instanceof AbortedError ? interrupted() : err;
        });
        return;
      case "remove":
        {
          // A container of ours with the same definition that is only "created" is most likely a
          // concurrent run's, about to be started: wait for it and use it instead of removing it.
          const c = ctx.desired?.get(op.service)?.container;
          const found = c ? await engine.inspectContainer(op.id) : undefined;
          if (
            c && found?.State.Status === "created" &&
            found.Config.Labels?.[LABELS.configHash] === c.configHash
          ) {
            if (await adoptRaceWinner(c)) return;
          }
        }
        reporter.step(`Removing container '${op.container}'`);
        reporter.phase(op.service, "removing");
        await engine.removeContainer(op.id, { force: true });
        return;
      case "create": {
        const c = containerPlan(ctx, op.service);
        reporter.step(`Creating container '${op.container}'`);
        reporter.phase(op.service, "creating");
        try {
          state.id = await engine.createContainer(c.name, c.body, c.platform);
        } catch (err) {
          if (err instanceof SentryctlError && err.reason === "conflict") {
            // Lost a create race to another sentryctl (two `up`s started together): the
            // winner's container carries our project label and config hash, so use it.
            if (await adoptRaceWinner(c)) return;
          }
          throw createError(err, op.service, c);
        }
        created.add(state.id);
        return;
      }
      case "put-files": {
        const c = containerPlan(ctx, op.service);
        await engine.putArchive(state.id!, "/", createTar(c.files));
        return;
      }
      case "start": {
        const c = containerPlan(ctx, op.service);
        state.id ??= op.id;
        const start = async () => {
          checkAbort();
          const listening = Object.values(c.body.HostConfig.PortBindings ?? {})
            .flat()
            // HostPort "" (an isolated `with` run): the engine picks the port at start.
            .map((b) => `${b.HostIp || "0.0.0.0"}:${b.HostPort || "(a free port)"}`)
            .join(", ");
          reporter.step(
            `Starting container '${c.name}'${listening ? ` (listening on ${listening})` : ""}`,
          );
          reporter.phase(op.service, "starting");
          try {
            await engine.startContainer(state.id!);
          } catch (err) {
            throw await explainStartFailure(engine, err, c);
          }
          started.add(state.id!);
        };
        // The engine picks the host port ("" / "0" / a range): such starts go one at a time.
        const enginePicks = Object.values(c.body.HostConfig.PortBindings ?? {}).flat()
          .some((b) => !b.HostPort || b.HostPort === "0" || b.HostPort.includes("-"));
        await (op.publishesPorts ? ports.run(op.service, start, enginePicks) : start());
        return;
      }
      case "reuse":
        reporter.step(`Container '${op.container}' is already running`);
        reporter.phase(op.service, "reused");
        state.id = op.id;
        state.adopted = true;
        return;
      case "attached-elsewhere":
        reporter.phase(op.service, "attached-elsewhere", "left as it is; --recreate takes it over");
        state.id = op.id;
        state.adopted = true;
        return;
      case "wait-healthy": {
        const d = ctx.desired?.get(op.service);
        if (!d || !ctx.waitHealthy) return;
        reporter.phase(op.service, "waiting", op.probe);
        await ctx.waitHealthy(d, state.id!, signal, { alreadyRunning: state.adopted === true });
        return;
      }
      case "remove-volume":
        reporter.step(`Removing '${op.name}' volume`);
        await engine.removeVolume(op.name);
        return;
      case "remove-network":
        reporter.step(`Removing '${op.name}' network`);
        await engine.removeNetwork(op.name);
        return;
    }
  };

  try {
    for (const op of plan.prelude) await runOp(op, {});
    const done = new Map<string, Promise<boolean>>();
    const runService = async (steps: Plan["services"][number]): Promise<boolean> => {
      // A container that is already running has nothing to wait for before its own probe.
      const running = steps.ops[0]?.op === "reuse" || steps.ops[0]?.op === "attached-elsewhere";
      const results = running
        ? steps.after.map(() => true)
        : await Promise.all(steps.after.map((a) => done.get(a) ?? true));
      const failedDep = steps.after.find((_, i) => !results[i]);
      if (failedDep !== undefined) {
        reporter.phase(steps.service, "skipped", `${failedDep} is not up`);
        outcomes.set(steps.service, {
          service: steps.service,
          container: steps.container,
          outcome: "skipped",
        });
        return false;
      }
      const state: OpState = {};
      let outcome: Outcome = "removed";
      const startsWithPorts = steps.ops.some((o) => o.op === "start" && o.publishesPorts);
      if (startsWithPorts) ports.expect(steps.service);
      try {
        for (const op of steps.ops) {
          // An adopted race winner is already created and started by its own run.
          if (
            state.adopted &&
            (op.op === "create" || op.op === "put-files" || op.op === "start")
          ) {
            outcome = "reused";
            continue;
          }
          await runOp(op, state);
          if (op.op === "create") outcome = state.adopted ? "reused" : "created";
          else if (op.op === "remove" && state.adopted) outcome = "reused";
          else if (op.op === "reuse") outcome = "reused";
          else if (op.op === "attached-elsewhere") outcome = "attached-elsewhere";
        }
        if (startsWithPorts) ports.forget(steps.service);
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
        if (startsWithPorts) ports.forget(steps.service);
        // A container created but never started blocks the name: leave nothing half-made.
        if (state.id && created.has(state.id) && !started.has(state.id)) {
          await engine.removeContainer(state.id, { force: true }).catch(() => {});
          created.delete(state.id);
        }
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
    };
    for (const steps of plan.services) done.set(steps.service, runService(steps));
    await Promise.all(done.values());
    checkAbort();
    const failures = [...outcomes.values()].filter((o) => o.outcome === "failed");
    if (failures.length > 0) throw combined(failures);
    for (const op of plan.finale) await runOp(op, {});
  } catch (err) {
    if (signal.aborted) {
      // Interrupted: what this run created goes away again (SPEC §3).
      await Promise.all(
        [...created].map((id) => engine.removeContainer(id, { force: true }).catch(() => {})),
      );
      for (const o of outcomes.values()) if (o.outcome === "created") o.outcome = "removed";
      created.clear();
    }
    await removeUnused(engine, plan, outcomes, createdVolumes, createdNetwork);
    if (signal.aborted) {
      throw err instanceof SentryctlError && err.category === "aborted" ? err : interrupted();
    }
    throw err;
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
  }
  return { outcomes, created: [...created] };
}

/**
 * Two runs can create the project network in the same instant and Docker keeps both. The lowest
 * id wins in every run; a run whose network lost removes it and uses the winner. Returns our
 * network's id if it is the one that stays.
 */
async function settleNetwork(
  engine: Engine,
  name: string,
  project: string,
  ours: string,
  sleep: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  let mine: string | undefined = ours;
  for (let i = 0; i < 30; i++) {
    const same = (await engine.listNetworks([`${LABELS.project}=${project}`]))
      .filter((n) => n.Name === name);
    if (same.length <= 1) return mine;
    const winner = same.map((n) => n.Id).sort()[0];
    if (mine && mine !== winner) {
      await engine.removeNetwork(mine);
      mine = undefined;
    }
    await sleep(50);
  }
  return mine;
}

interface OpState {
  id?: string;
  /** The container was already running (reused, or created by a concurrent run). */
  adopted?: boolean;
}

/** After a 409 on create: the winner's id once it runs, if it is ours and alike. */
async function awaitRaceWinner(
  engine: Engine,
  plan: ContainerPlan,
  project: string,
  signal: AbortSignal,
  sleep: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  for (let i = 0; i < 100 && !signal.aborted; i++) {
    const found = await engine.inspectContainer(plan.name);
    // Not visible yet is not "gone": the engine reserves the name before the create finishes.
    if (found) {
      const labels = found.Config.Labels ?? {};
      if (labels[LABELS.project] !== project) return undefined;
      if (labels[LABELS.configHash] !== plan.configHash) return undefined;
      if (found.State.Running) return found.Id;
      if (found.State.Status !== "created") return undefined;
    }
    await sleep(100);
  }
  return undefined;
}

/**
 * A run that fails leaves no litter (SPEC §3): volumes it created for services that did not come
 * up, and the network it created when none of its containers runs.
 */
async function removeUnused(
  engine: Engine,
  plan: Plan,
  outcomes: Map<string, ServiceOutcome>,
  volumes: Set<string>,
  network: string | undefined,
): Promise<void> {
  const up = new Set(
    [...outcomes.values()].filter((o) =>
      o.outcome === "created" || o.outcome === "reused" || o.outcome === "attached-elsewhere"
    ).map((o) => o.service),
  );
  for (const op of plan.prelude) {
    if (op.op === "create-volume" && volumes.has(op.name) && !up.has(op.service)) {
      await engine.removeVolume(op.name).catch(() => {});
    }
  }
  if (network && up.size === 0) await engine.removeNetwork(network).catch(() => {});
}

function containerPlan(ctx: ExecuteContext, service: string): ContainerPlan {
  const d = ctx.desired?.get(service);
  if (!d) throw new Error(`execute: no container plan for '${service}'`);
  return d.container;
}
