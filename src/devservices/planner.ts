// One call from a service and a mode to its plan: remote dependencies fetched (or read from the
// cache offline) and loaded, local-runtime toggles applied, projects ordered dependencies-first.

import { failure, isSentryctlError } from "../errors.ts";
import { type DevservicesConfig, loadConfig } from "./config.ts";
import { Fetcher } from "./fetch.ts";
import { type DependencyPlan, resolvePlan } from "./resolve.ts";
import { findLocalCheckout } from "./services.ts";

export interface DevservicesPlanOptions {
  home: string;
  env: Record<string, string | undefined>;
  offline: boolean;
  excludeLocal: boolean;
  localRuntime: ReadonlySet<string>;
  warn(line: string): void;
  onFetch?(repoName: string): void;
}

export async function planFor(
  root: DevservicesConfig,
  mode: string,
  opts: DevservicesPlanOptions,
): Promise<DependencyPlan> {
  const fetcher = new Fetcher(opts);
  // Several dependencies may name one repo (in different modes): read each once.
  const loaded = new Map<string, Promise<DevservicesConfig>>();
  return await resolvePlan({
    root,
    mode,
    localRuntime: opts.localRuntime,
    excludeLocal: opts.excludeLocal,
    warn: opts.warn,
    loadLocal: (name) => findLocalCheckout(opts.home, name),
    async loadRemote(remote) {
      const dir = await fetcher.ensure(remote);
      try {
        let config = loaded.get(dir);
        if (!config) {
          config = loadConfig(dir);
          loaded.set(dir, config);
        }
        return await config;
      } catch (err) {
        if (!isSentryctlError(err)) throw err;
        throw failure(
          `Invalid config for dependency: ${remote.repoName} (${remote.repoLink}) on ${remote.branch}`,
          { details: err.message },
        );
      }
    },
  });
}

/** One plan for several modes of a service (what `down`, `status` and `logs` look at). */
export async function planForModes(
  root: DevservicesConfig,
  modes: string[],
  opts: DevservicesPlanOptions,
): Promise<DependencyPlan> {
  const plans = await Promise.all(
    modes.filter((m) => root.modes.has(m)).map((m) => planFor(root, m, opts)),
  );
  const merged = new Map<string, DependencyPlan["projects"][number]>();
  for (const plan of plans) {
    for (const p of plan.projects) {
      const seen = merged.get(p.name);
      if (!seen) {
        merged.set(p.name, { ...p, modes: [...p.modes], services: [...p.services] });
        continue;
      }
      for (
        const [into, from] of [
          [seen.modes, p.modes],
          [seen.services, p.services],
          [seen.programs, p.programs],
          [seen.dependsOn, p.dependsOn],
        ] as const
      ) {
        for (const x of from) if (!into.includes(x)) into.push(x);
      }
    }
  }
  // Dependencies first again (each plan was; the union keeps every edge).
  const order: string[] = [];
  const place = (name: string) => {
    if (order.includes(name)) return;
    for (const dep of merged.get(name)!.dependsOn) place(dep);
    order.push(name);
  };
  for (const name of merged.keys()) place(name);
  return { root: root.serviceName, projects: order.map((n) => merged.get(n)!) };
}
