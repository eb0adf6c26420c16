// Which projects a service's mode reaches, and what each runs. A mode lists dependencies: compose
// services and x-programs of the repo itself, and remote repos (each its own project, its
// service_name, in the mode the dependency names). Remote configs are loaded in parallel (each
// repo fetched once); a cycle between projects is refused. A second, synchronous walk orders
// the projects dependencies-first and collects their services and programs, so the plan is the
// same however the fetches interleave.

import { failure } from "../errors.ts";
import type { DevservicesConfig, RemoteConfig } from "./config.ts";

export type ProjectKind = "root" | "remote" | "local";

export interface PlannedProject {
  name: string;
  kind: ProjectKind;
  config: DevservicesConfig;
  /** The modes it runs in, in the order reached (devservices records them comma-joined). */
  modes: string[];
  /** Compose services the modes list. */
  services: string[];
  /** x-programs the modes list (a cached remote has no code, so none). */
  programs: string[];
  /** Projects it depends on (names), in mode-list order. */
  dependsOn: string[];
}

export interface DependencyPlan {
  root: string;
  /** Dependencies first; the root last. */
  projects: PlannedProject[];
}

export interface ResolveInput {
  root: DevservicesConfig;
  mode: string;
  /** A remote dependency's cached checkout, loaded (fetching as the run allows). */
  loadRemote(remote: RemoteConfig): Promise<DevservicesConfig>;
  /** Service names toggled to the `local` runtime. */
  localRuntime?: ReadonlySet<string>;
  /** The service's own checkout in the code root, for a dependency toggled local. */
  loadLocal?(serviceName: string): Promise<DevservicesConfig | undefined>;
  excludeLocal?: boolean;
  warn?(line: string): void;
}

export function modeMissing(config: DevservicesConfig, mode: string) {
  return failure(
    `ModeDoesNotExistError: Mode '${mode}' does not exist for service '${config.serviceName}'.\nAvailable modes: ${
      [...config.modes.keys()].join(", ")
    }`,
  );
}

interface Edge {
  name: string;
  mode: string;
}

export async function resolvePlan(input: ResolveInput): Promise<DependencyPlan> {
  const configs = new Map<string, { config: DevservicesConfig; kind: ProjectKind }>();
  const children = new Map<string, Edge[]>();
  const visits = new Map<string, Promise<void>>();
  const key = (name: string, mode: string) => `${name}\u0000${mode}`;

  const visit = (config: DevservicesConfig, kind: ProjectKind, mode: string, path: string[]) => {
    const k = key(config.serviceName, mode);
    let pending = visits.get(k);
    if (!pending) {
      pending = expand(config, kind, mode, path);
      visits.set(k, pending);
    }
    return pending;
  };

  const expand = async (
    config: DevservicesConfig,
    kind: ProjectKind,
    mode: string,
    path: string[],
  ): Promise<void> => {
    const list = config.modes.get(mode);
    if (!list) throw modeMissing(config, mode);
    if (!configs.has(config.serviceName)) configs.set(config.serviceName, { config, kind });
    const remotes = list
      .map((name) => config.dependencies.get(name)!)
      .filter((dep) => dep.type === "service" && dep.remote);
    const edges: (Edge | undefined)[] = new Array(remotes.length);
    children.set(key(config.serviceName, mode), edges as Edge[]);
    await Promise.all(remotes.map(async (dep, index) => {
      const remote = dep.remote!;
      let child = await input.loadRemote(remote);
      let childKind: ProjectKind = "remote";
      if (input.localRuntime?.has(child.serviceName) && child.serviceName !== config.serviceName) {
        if (input.excludeLocal) {
          input.warn?.(`Skipping '${child.serviceName}' as it is set to run locally`);
          return;
        }
        const local = await input.loadLocal?.(child.serviceName);
        if (local) {
          child = local;
          childKind = "local";
        }
      }
      const cycleAt = path.indexOf(child.serviceName);
      if (cycleAt >= 0) {
        throw failure(
          `Cycle detected in the dependency graph: ${
            [...path.slice(cycleAt), child.serviceName].join(" -> ")
          }`,
        );
      }
      edges[index] = { name: child.serviceName, mode: remote.mode };
      await visit(child, childKind, remote.mode, [...path, child.serviceName]);
    }));
  };

  await visit(input.root, "root", input.mode, [input.root.serviceName]);

  // Deterministic walk: post-order, so a project comes after everything it depends on.
  const projects = new Map<string, PlannedProject>();
  const order: string[] = [];
  const walked = new Set<string>();
  const walk = (name: string, mode: string) => {
    const k = key(name, mode);
    if (walked.has(k)) return;
    walked.add(k);
    const { config, kind } = configs.get(name)!;
    let project = projects.get(name);
    if (!project) {
      project = { name, kind, config, modes: [], services: [], programs: [], dependsOn: [] };
      projects.set(name, project);
    }
    project.modes.push(mode);
    for (const dep of config.modes.get(mode)!) {
      const d = config.dependencies.get(dep)!;
      if (d.type === "compose" && !project.services.includes(dep)) project.services.push(dep);
      if (d.type === "supervisor" && kind !== "remote" && !project.programs.includes(dep)) {
        project.programs.push(dep);
      }
    }
    for (const edge of children.get(k) ?? []) {
      if (!edge) continue; // skipped: runs locally
      if (!project.dependsOn.includes(edge.name)) project.dependsOn.push(edge.name);
      walk(edge.name, edge.mode);
    }
  };
  walk(input.root.serviceName, input.mode);
  // Project level: a project reached again in another mode may have gained dependencies.
  const place = (name: string) => {
    if (order.includes(name)) return;
    for (const dep of projects.get(name)!.dependsOn) place(dep);
    order.push(name);
  };
  place(input.root.serviceName);
  return { root: input.root.serviceName, projects: order.map((n) => projects.get(n)!) };
}

/** The `--dry-run --json` document (SPEC §3b). */
export function planDocument(plan: DependencyPlan) {
  return {
    projects: plan.projects.map((p) => ({
      name: p.name,
      mode: p.modes.join(","),
      services: p.services,
      programs: p.programs,
    })),
  };
}
