// Dependency order for `up`: a service starts after what it `depends_on` and what its environment
// names through `{containers[x][name]}` templating. Pure; cycles are a configuration error.

import { configError } from "../errors.ts";
import type { ResolvedService, ServiceSet } from "./resolve.ts";

/** The services `service` waits for, among those in `set` (others are not ours to wait on). */
export function dependenciesOf(service: ResolvedService, set: ReadonlySet<string>): string[] {
  const deps = new Set([...(service.spec.depends_on ?? []), ...(service.references ?? [])]);
  deps.delete(service.name);
  return [...deps].filter((d) => set.has(d)).sort();
}

export interface Selection {
  /** Named services (empty: every enabled service). */
  names: readonly string[];
  exclude?: readonly string[];
  /** Named services bypass `only_if`, as in Sentry; dependencies of named services too. */
  includeDependencies?: boolean;
}

/**
 * The services to start, in dependency order (ties broken by name, so plans print stably).
 * With names, their enabled dependencies come along unless excluded.
 */
export function selectForUp(all: ServiceSet, selection: Selection): ResolvedService[] {
  const excluded = new Set(selection.exclude ?? []);
  const chosen = new Map<string, ResolvedService>();
  if (selection.names.length === 0) {
    for (const s of all.values()) {
      if (s.enabled && !s.spec.with_devserver && !excluded.has(s.name)) chosen.set(s.name, s);
    }
  } else {
    const queue = [...selection.names];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (chosen.has(name) || excluded.has(name)) continue;
      const s = all.get(name);
      if (!s) continue;
      // A dependency that settings disabled is not started on its own account.
      if (!selection.names.includes(name) && !s.enabled) continue;
      chosen.set(name, s);
      if (selection.includeDependencies !== false) {
        queue.push(...dependenciesOf(s, new Set(all.keys())));
      }
    }
  }
  return topologicalOrder([...chosen.values()]);
}

export function topologicalOrder(services: readonly ResolvedService[]): ResolvedService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const names = new Set(byName.keys());
  const state = new Map<string, "visiting" | "done">();
  const order: ResolvedService[] = [];
  const visit = (name: string, path: string[]) => {
    const seen = state.get(name);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name].join(" → ");
      throw configError(`services depend on each other in a circle: ${cycle}`, {
        hint: "remove one of the depends_on entries (or templates) in SENTRY_DEVSERVICES",
      });
    }
    state.set(name, "visiting");
    const service = byName.get(name)!;
    for (const dep of dependenciesOf(service, names)) visit(dep, [...path, name]);
    state.set(name, "done");
    order.push(service);
  };
  for (const name of [...names].sort()) visit(name, []);
  return order;
}
