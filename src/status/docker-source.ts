// The Engine-backed services source for the status server. The state of the project's
// containers is read once, then kept current from the engine's event stream (one inspect per
// container event, never per request), so GET /api/0/status/ answers from memory. Logs follow
// a service across restarts, complete (service-log.ts); stats are read only while someone asks
// (the dashboard sampler).

import type { Engine } from "../docker/engine.ts";
import type { EngineStats } from "../docker/types.ts";
import { SentryctlError } from "../errors.ts";
import { type Clock, realClock } from "../runtime/clock.ts";
import { backoff } from "../runtime/poll.ts";
import {
  catalogScope,
  findServiceContainer,
  listMembers,
  scopeFilter,
  serviceOf,
  type StackScope,
} from "../orchestrator/scope.ts";
import { SILENT } from "../orchestrator/reporter.ts";
import { missingStatus, serviceStatus } from "../orchestrator/service-status.ts";
import { up } from "../orchestrator/stack.ts";
import type { ServiceSet } from "../services/resolve.ts";
import type { LogLine, ServicesSource, ServiceStatus, UsageSample } from "./deps.ts";
import { byText } from "../lib/order.ts";
import { serviceLog } from "./service-log.ts";

export interface DockerSourceOptions {
  project: string;
  /**
   * Which containers are the stack's (src/orchestrator/scope.ts); default the catalog's. A
   * project file's include what docker compose or devservices made for it (SPEC §3a).
   */
  scope?: StackScope;
  /** The configured (enabled) services, shown as "missing" until a container exists. */
  serviceNames: string[];
  /** Image per configured service, for the "missing" entries. */
  serviceImages?: Record<string, string>;
  /** The resolved services: with them, PUT "running" creates a missing container as `up` does. */
  services?: ServiceSet;
  /** Container name for a service name. */
  containerName(service: string): string;
  /**
   * Creates a missing service's container (a project file's: through its own compose path);
   * without it, `services` go through the catalog's `up`.
   */
  create?: (service: string) => Promise<void>;
  stopGraceSeconds?: number;
  clock?: Clock;
}

/** Reconnecting to the engine's events: after 250 ms, then twice as long each time, up to 5 s. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** The pause between two stats samples of a service someone watches. */
const STATS_PAUSE_MS = 500;

/** The engine's sample; `memory_stats.stats` (page cache) is there on real engines. */
type StatsJson = EngineStats & { memory_stats?: { stats?: Record<string, number> } };

/** CPU percent and memory (usage minus page cache) as `docker stats` computes them. */
export function sampleFromStats(s: StatsJson, at: number): UsageSample {
  const cpu = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) -
    (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const system = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats?.online_cpus ?? 1;
  const cpuPercent = system > 0 && cpu > 0 ? (cpu / system) * cpus * 100 : 0;
  const stats = s.memory_stats?.stats ?? {};
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0;
  const mem = Math.max(0, (s.memory_stats?.usage ?? 0) - cache);
  return { at, cpu_percent: Math.round(cpuPercent * 100) / 100, memory_bytes: mem };
}

export class DockerServices implements ServicesSource {
  #cache = new Map<string, ServiceStatus>();
  #listeners = new Set<() => void>();
  #stop = new AbortController();
  #ready: Promise<void> | undefined;
  /** Unix seconds from which the next event subscription replays. */
  #since = 0;

  readonly #clock: Clock;
  readonly #scope: StackScope;

  constructor(
    private readonly docker: Engine,
    private readonly opts: DockerSourceOptions,
  ) {
    this.#clock = opts.clock ?? realClock;
    this.#scope = opts.scope ?? catalogScope(opts.project);
    for (const name of opts.serviceNames) this.#cache.set(name, this.#missing(name));
  }

  /** Reads the current state and starts following Docker's events. */
  start(): Promise<void> {
    this.#ready ??= (async () => {
      // Events from this moment on are replayed to the stream opened after the first read,
      // so nothing that happens in between is lost.
      this.#since = Math.floor(this.#clock.now() / 1000);
      await this.#resync();
      void this.#followEvents();
    })();
    return this.#ready;
  }

  close(): void {
    this.#stop.abort();
  }

  #missing(name: string): ServiceStatus {
    const image = this.opts.serviceImages?.[name] ?? "";
    // The name its container will have (a project file's is `<project>-<service>-1`).
    return {
      ...missingStatus(this.opts.project, name, image),
      container: this.opts.containerName(name),
    };
  }

  list(): ServiceStatus[] {
    // Uptime moves with the clock; everything else changes only with events.
    const now = this.#clock.now();
    return [...this.#cache.values()]
      .sort((a, b) => byText(a.service, b.service))
      .map((s) =>
        s.startedAt
          ? { ...s, uptimeSeconds: Math.max(0, Math.floor((now - Date.parse(s.startedAt)) / 1000)) }
          : s
      );
  }

  subscribe(onChange: () => void): () => void {
    this.#listeners.add(onChange);
    return () => this.#listeners.delete(onChange);
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }

  async #resync(): Promise<void> {
    const members = await listMembers(this.docker, this.#scope);
    const seen = new Set<string>();
    for (const { service: name, summary } of members) {
      seen.add(name);
      await this.#refresh(summary.Id, name, false);
    }
    for (const [name, s] of this.#cache) {
      if (!seen.has(name) && s.state !== "missing") this.#cache.set(name, this.#missing(name));
    }
    this.#emit();
  }

  async #refresh(id: string, name: string, emit = true): Promise<void> {
    const c = await this.docker.inspectContainer(id);
    this.#cache.set(
      name,
      c ? serviceStatus(c, this.#clock.now(), this.#scope) : this.#missing(name),
    );
    if (emit) this.#emit();
  }

  async #followEvents(): Promise<void> {
    const signal = this.#stop.signal;
    const reconnects = () => backoff({ first: RECONNECT_FIRST_MS, max: RECONNECT_MAX_MS });
    let pauses = reconnects();
    while (!signal.aborted) {
      try {
        const events = this.docker.events({
          labels: [scopeFilter(this.#scope)],
          since: this.#since,
          signal,
        });
        let first = true;
        for await (const e of events) {
          if (first) {
            first = false;
            pauses = reconnects();
          }
          this.#since = Math.max(this.#since, e.time);
          // An event's attributes carry the container's labels: the same rule decides.
          await this.#apply(e.Action, e.Actor.ID, serviceOf(this.#scope, e.Actor.Attributes));
        }
      } catch {
        // The engine went away or restarted: retry with backoff, resyncing on reconnect.
      }
      if (signal.aborted) break;
      await this.#clock.sleep(pauses.next().value, signal).catch(() => {});
      if (signal.aborted) break;
      // Events missed while disconnected: read the whole state again.
      await this.#resync().catch(() => {});
    }
  }

  async #apply(action: string, id: string, name: string | undefined): Promise<void> {
    if (!name || !id || action.startsWith("exec_")) return;
    if (action === "destroy") {
      if (this.opts.serviceNames.includes(name)) {
        this.#cache.set(name, this.#missing(name));
      } else this.#cache.delete(name);
      this.#emit();
      return;
    }
    await this.#refresh(id, name).catch(() => {});
  }

  #known(name: string): ServiceStatus {
    const s = this.#cache.get(name);
    if (!s) throw new SentryctlError("failure", `Service \`${name}\` is not known`);
    return s;
  }

  async setState(name: string, state: "running" | "stopped"): Promise<ServiceStatus> {
    const s = this.#known(name);
    if (state === "stopped") {
      if (s.state === "missing") return s;
      await this.docker.stopContainer(s.container, this.opts.stopGraceSeconds ?? 10);
    } else if (s.state !== "missing") {
      // An existing container is started as it is (never recreated from a changed config).
      await this.docker.startContainer(s.container);
    } else if (this.opts.create) {
      await this.opts.create(name);
    } else if (this.opts.services?.has(name)) {
      // No container yet: the same path as `sentryctl up NAME` (network, volumes, image,
      // create and start, in dependency order); no health wait, the dashboard shows health.
      await up(this.docker, this.opts.services, {
        project: this.opts.project,
        names: [name],
        exclude: [],
        skipOnlyIf: false,
        recreate: false,
        pull: "missing",
        wait: false,
        dryRun: false,
        reporter: SILENT,
      });
    } else {
      throw new SentryctlError("failure", `Service \`${name}\` has no container`, {
        hint: `create it with 'sentryctl up ${name}' or 'sentryctl attach ${name}'`,
      });
    }
    // Found by the stack's rule: a container just created is looked up whatever its name.
    const c = await findServiceContainer(this.docker, this.#scope, name) ??
      await this.docker.inspectContainer(s.container);
    if (c) this.#cache.set(name, serviceStatus(c, this.#clock.now(), this.#scope));
    this.#emit();
    return this.#cache.get(name)!;
  }

  /** Resolves on the next change of the cache, after `ms`, or (false) on abort. */
  #changed(signal: AbortSignal, ms: number): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        off();
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      };
      const onAbort = () => done(false);
      const off = this.subscribe(() => done(true));
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  logs(name: string, signal: AbortSignal, tail?: number | "all"): AsyncIterable<LogLine> {
    this.#known(name);
    return serviceLog(
      {
        logs: (id, opts) => this.docker.logs(id, opts),
        inspectContainer: (id) => this.docker.inspectContainer(id),
        container: () => this.#cache.get(name)?.container ?? this.opts.containerName(name),
        changed: (s, ms) => this.#changed(s, ms),
      },
      name,
      signal,
      tail,
    );
  }

  async *stats(name: string, signal: AbortSignal): AsyncIterable<UsageSample> {
    const s = this.#known(name);
    // One-shot samples (the engine computes CPU over its own interval, about a second).
    while (!signal.aborted && this.#cache.get(name)?.state === "running") {
      const json = await this.docker.stats(s.container);
      if (signal.aborted) return;
      yield sampleFromStats(json as StatsJson, this.#clock.now());
      await this.#clock.sleep(STATS_PAUSE_MS, signal).catch(() => {});
    }
  }
}
