// A loaded project file (compose's canonical model, src/compose) as the orchestrator's Stack
// (SPEC §3a): services in dependency order with their `depends_on` conditions, compose's networks
// and volumes with compose's labels plus ours, builds tagged `<project>-<service>`, and compose's
// rules (adopt what docker compose made, restart a stopped container that matches, ownership by
// `com.docker.compose.project`).

import { SentryctlError } from "../../errors.ts";
import type { LoadedProject, ServiceConfig } from "../../compose/types.ts";
import type { Owner } from "../labels.ts";
import { LABELS } from "../labels.ts";
import type {
  DependencyCondition,
  Stack,
  StackNetwork,
  StackService,
  StackVolume,
} from "../stack-model.ts";
import {
  COMPOSE,
  COMPOSE_VERSION,
  composeContainer,
  type HostFiles,
  imageOf,
} from "./container.ts";
import { probeOf } from "./probe.ts";
import { projectFileScope } from "../scope.ts";

export { COMPOSE, type HostFiles } from "./container.ts";

export interface ProjectStackOptions {
  owner: Owner;
  session?: string;
  /** The engine is on this machine (unix socket): bind mounts work as written. */
  local: boolean;
  files: HostFiles;
}

const CONDITIONS: Record<string, DependencyCondition> = {
  service_started: "started",
  service_healthy: "healthy",
  service_completed_successfully: "completed",
};

/** Services in dependency order (dependencies first, else the file's order). */
export function dependencyOrder(p: LoadedProject): string[] {
  const services = p.model.services;
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      throw new SentryctlError(
        "configuration",
        `depends_on cycle: ${[...path, name].join(" -> ")}`,
        { hint: "remove one of the dependencies" },
      );
    }
    state.set(name, "visiting");
    for (const dep of Object.keys(services[name]?.depends_on ?? {})) {
      if (services[dep]) visit(dep, [...path, name]);
    }
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(services)) visit(name, []);
  return order;
}

function dependencies(p: LoadedProject, svc: ServiceConfig) {
  const after: string[] = [];
  const conditions: Record<string, DependencyCondition> = {};
  for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
    // A dependency outside the active profiles with `required: false` is skipped, as compose.
    if (!p.model.services[dep]) continue;
    after.push(dep);
    conditions[dep] = CONDITIONS[d.condition] ?? "started";
  }
  return { after, conditions };
}

function networks(p: LoadedProject, used: Set<string>): StackNetwork[] {
  return Object.entries(p.model.networks)
    .filter(([key]) => used.has(key))
    .map(([key, n]) => ({
      name: n.name,
      external: n.external === true,
      labels: {
        ...(n.labels ?? {}),
        [COMPOSE.project]: p.name,
        [COMPOSE.network]: key,
        [COMPOSE.version]: COMPOSE_VERSION,
        [LABELS.project]: p.name,
      },
    }));
}

function volumes(p: LoadedProject, firstUser: Map<string, string>): StackVolume[] {
  return Object.entries(p.model.volumes)
    .filter(([key]) => firstUser.has(key))
    .map(([key, v]) => ({
      name: v.name,
      external: v.external === true,
      labels: {
        ...(v.labels ?? {}),
        [COMPOSE.project]: p.name,
        [COMPOSE.volume]: key,
        [COMPOSE.version]: COMPOSE_VERSION,
        [LABELS.project]: p.name,
        [LABELS.service]: firstUser.get(key)!,
      },
      service: firstUser.get(key),
    }));
}

export async function projectStack(p: LoadedProject, opts: ProjectStackOptions): Promise<Stack> {
  const services: StackService[] = [];
  const usedNetworks = new Set<string>();
  const firstUser = new Map<string, string>();
  for (const name of dependencyOrder(p)) {
    const svc = p.model.services[name]!;
    if (!svc.network_mode) {
      for (const key of Object.keys(svc.networks ?? { default: null })) usedNetworks.add(key);
    }
    for (const v of svc.volumes ?? []) {
      if (v.type === "volume" && v.source && !firstUser.has(v.source)) {
        firstUser.set(v.source, name);
      }
    }
    const probe = probeOf(svc.healthcheck);
    const container = await composeContainer(p, name, svc, probe, opts);
    const { after, conditions } = dependencies(p, svc);
    const service: StackService = { name, container, after, conditions, healthcheck: probe };
    if (svc.build) {
      service.build = {
        context: svc.build.context,
        dockerfile: svc.build.dockerfile,
        target: svc.build.target,
        args: Object.fromEntries(
          Object.entries(svc.build.args ?? {}).filter(([, v]) => v !== null),
        ) as Record<string, string>,
        tag: imageOf(p.name, name, svc),
      };
    }
    const policy = svc.pull_policy;
    if (policy === "always" || policy === "never" || policy === "missing" || policy === "build") {
      service.pullPolicy = policy;
    } else if (policy === "daily" || policy === "weekly") {
      // Without a record of the last pull, a periodic policy pulls what is missing.
      service.pullPolicy = "missing";
    }
    services.push(service);
  }
  return {
    ...projectFileScope(p.name),
    source: { kind: "project-files", files: p.configFiles, workingDir: p.workingDir },
    services,
    networks: networks(p, usedNetworks),
    volumes: volumes(p, firstUser),
  };
}
