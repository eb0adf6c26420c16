// Dispatch: runs one operation against the engine. Each operation carries what it needs; the
// run's shared state (what it created and started, the port gate, the pulls) lives here so
// rollback knows what to undo.

import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import { createTar } from "../../lib/tar.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import { AbortedError, raceAbort } from "../abortable.ts";
import type { ContainerPlan } from "../container-config.ts";
import type { Operation, PortBindings } from "../operations.ts";
import type { Reporter } from "../reporter.ts";
import type { StartGate } from "../start-gate.ts";
import { createError, explainStartFailure } from "./errors.ts";
import { Pulls } from "./pulls.ts";
import { awaitRaceWinner, isConcurrentCreate, settleNetwork } from "./races.ts";
import type { ExecuteContext, OpState } from "./types.ts";
import { waitCompleted } from "./wait-completed.ts";

export class Run {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly created = new Set<string>();
  readonly started = new Set<string>();
  readonly createdVolumes = new Set<string>();
  readonly createdNetworks: string[] = [];
  readonly pulls: Pulls;
  readonly clock: Clock;
  readonly interrupted: () => SentryctlError;

  constructor(
    readonly ctx: ExecuteContext,
    readonly owner: { label: string; project: string },
    readonly signal: AbortSignal,
    readonly ports: StartGate,
  ) {
    this.engine = ctx.engine;
    this.reporter = ctx.reporter;
    this.clock = ctx.clock ?? realClock;
    this.interrupted = ctx.interrupted ??
      (() =>
        new SentryctlError("aborted", "Interrupted before every service was up", {
          hint: "containers this run created were removed; run the command again",
        }));
    this.pulls = new Pulls(
      this.engine,
      this.reporter,
      signal,
      this.interrupted,
      this.clock,
      ctx.pullAttempts,
      ctx.imageHint,
    );
  }

  checkAbort(): void {
    if (this.signal.aborted) throw this.interrupted();
  }

  /** Another sentryctl just created this container (a create race): use it when it is ours. */
  async adoptRaceWinner(c: ContainerPlan, state: OpState): Promise<boolean> {
    const winner = await awaitRaceWinner(this.engine, c, this.owner, this.signal, this.clock);
    if (!winner) return false;
    this.reporter.step(`Container '${c.name}' was just created by another sentryctl; using it`);
    state.id = winner;
    state.adopted = true;
    return true;
  }

  async run(op: Operation, state: OpState): Promise<void> {
    this.checkAbort();
    const { engine, reporter } = this;
    switch (op.op) {
      case "create-network": {
        reporter.step(`Creating '${op.name}' network`);
        const id = await engine.createNetwork(op.name, op.labels);
        const kept = id
          ? await settleNetwork(engine, op.name, this.owner, id, this.clock)
          : undefined;
        if (kept) this.createdNetworks.push(kept);
        return;
      }
      case "create-volume":
        reporter.step(`Creating '${op.name}' volume`);
        await engine.createVolume(op.name, op.labels);
        this.createdVolumes.add(op.name);
        return;
      case "pull":
        reporter.step(`Pulling image '${op.image}'`);
        reporter.phase(op.service, "pulling", op.image);
        await this.pulls.pull(op.service, op.image, op.platform);
        return;
      case "build":
        reporter.step(`Building image '${op.build.tag}'`);
        reporter.phase(op.service, "pulling", `build ${op.build.tag}`);
        if (!this.ctx.build) {
          throw new SentryctlError("failure", `Cannot build '${op.build.tag}' here`, {
            hint: "this command does not build images; run 'sentryctl up --build' first",
          });
        }
        await this.ctx.build(op.build, op.platform, this.signal);
        return;
      case "stop":
        reporter.step(`Stopping container '${op.container}'`);
        reporter.phase(op.service, "stopping");
        // A stop can take the whole grace period: an abort meanwhile ends the run at once.
        await raceAbort(engine.stopContainer(op.id, op.graceSeconds), this.signal).catch((err) => {
          throw err instanceof AbortedError ? this.interrupted() : err;
        });
        return;
      case "remove":
        // A container of ours with the same definition that is only "created" is most likely a
        // concurrent run's, about to be started: wait for it and use it instead of removing it.
        if (op.expect && await isConcurrentCreate(engine, op.id, op.expect)) {
          if (await this.adoptRaceWinner(op.expect, state)) return;
        }
        reporter.step(`Removing container '${op.container}'`);
        reporter.phase(op.service, "removing");
        await engine.removeContainer(op.id, { force: true });
        return;
      case "create":
        await this.#create(op.service, op.plan, state);
        return;
      case "put-files":
        await engine.putArchive(state.id!, "/", createTar(op.files));
        return;
      case "start":
        state.id ??= op.id;
        await this.#start(op.service, op.container, op.bindings, op.publishesPorts, state);
        return;
      case "reuse":
        reporter.step(
          `Container '${op.container}' is already running${
            op.madeBy ? ` (made by ${op.madeBy})` : ""
          }`,
        );
        reporter.phase(op.service, "reused", op.madeBy ? `made by ${op.madeBy}` : undefined);
        state.id = op.id;
        state.adopted = true;
        return;
      case "attached-elsewhere":
        reporter.phase(op.service, "attached-elsewhere", "left as it is; --recreate takes it over");
        state.id = op.id;
        state.adopted = true;
        return;
      case "wait-healthy":
        if (!this.ctx.waitHealthy) return;
        reporter.phase(op.service, "waiting", op.probe);
        await this.ctx.waitHealthy(op.target, state.id!, this.signal, {
          alreadyRunning: state.adopted === true,
          ...(op.observed && op.observed.Id === state.id ? { observed: op.observed } : {}),
        });
        return;
      case "wait-completed":
        reporter.phase(op.service, "waiting", "until it exits 0");
        await waitCompleted(engine, op.service, state.id!, this.signal, this.clock);
        return;
      case "remove-volume":
        reporter.step(`Removing '${op.name}' volume`);
        await engine.removeVolume(op.name);
        return;
      case "remove-network":
        reporter.step(`Removing '${op.name}' network`);
        await engine.removeNetwork(op.name);
        return;
    }
  }

  async #create(service: string, c: ContainerPlan, state: OpState): Promise<void> {
    this.reporter.step(`Creating container '${c.name}'`);
    this.reporter.phase(service, "creating");
    try {
      state.id = await this.engine.createContainer(c.name, c.body, c.platform);
    } catch (err) {
      if (err instanceof SentryctlError && err.reason === "conflict") {
        // Lost a create race to another sentryctl (two `up`s started together): the winner's
        // container carries our project label and config hash, so use it.
        if (await this.adoptRaceWinner(c, state)) return;
      }
      throw createError(err, service, c);
    }
    this.created.add(state.id);
    for (const n of c.networks ?? []) {
      await this.engine.connectNetwork(n.name, state.id, n.aliases);
    }
  }

  async #start(
    service: string,
    container: string,
    bindings: PortBindings,
    publishesPorts: boolean,
    state: OpState,
  ): Promise<void> {
    const start = async () => {
      this.checkAbort();
      const listening = Object.values(bindings)
        .flat()
        // HostPort "" (an isolated `with` run): the engine picks the port at start.
        .map((b) => `${b.HostIp || "0.0.0.0"}:${b.HostPort || "(a free port)"}`)
        .join(", ");
      this.reporter.step(
        `Starting container '${container}'${listening ? ` (listening on ${listening})` : ""}`,
      );
      this.reporter.phase(service, "starting");
      await this.ctx.beforeStart?.(service, state.id!);
      try {
        await this.engine.startContainer(state.id!);
      } catch (err) {
        throw await explainStartFailure(this.engine, err, container, bindings);
      }
      this.started.add(state.id!);
    };
    // The engine picks the host port ("" / "0" / a range): such starts go one at a time.
    const enginePicks = Object.values(bindings).flat()
      .some((b) => !b.HostPort || b.HostPort === "0" || b.HostPort.includes("-"));
    await (publishesPorts ? this.ports.run(service, start, enginePicks) : start());
  }
}
