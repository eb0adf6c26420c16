// Which containers are a stack's: one rule, part of the Stack model, for every command that looks
// for them (plan, ps, logs, exec, healthcheck, doctor, the status server). The catalog's are the
// containers carrying sentryctl's project label (SPEC §3). A project file's are those carrying
// compose's project label, whoever made them — sentryctl, docker compose, devservices (SPEC §3a)
// — each as its service's container: replica 1, not a `run` one-off. A container of another
// project never matches, whatever its name.

import type { Engine } from "../docker/engine.ts";
import type { ContainerInspect, ContainerSummary } from "../docker/types.ts";
import { COMPOSE_LABELS, LABELS } from "./labels.ts";

export interface StackScope {
  project: string;
  /** The label whose value (the project) makes a resource the stack's (SPEC §3, §3a). */
  ownerLabel: string;
  /** The label naming a container's service. */
  serviceLabel: string;
  /**
   * Compose's rules (SPEC §3a): membership by compose's labels (replica 1, no one-off), and in
   * the plan, a running container of the project made by another tool is reused as is, a
   * stopped one whose hash matches is started again, `down` removes the project's networks.
   */
  composeRules: boolean;
}

/** The catalog's stack: sentryctl's own labels. */
export function catalogScope(project: string): StackScope {
  return {
    project,
    ownerLabel: LABELS.project,
    serviceLabel: LABELS.service,
    composeRules: false,
  };
}

/** A project file's stack: compose's labels, so what docker compose made is the project's too. */
export function projectFileScope(project: string): StackScope {
  return {
    project,
    ownerLabel: COMPOSE_LABELS.project,
    serviceLabel: COMPOSE_LABELS.service,
    composeRules: true,
  };
}

/** The engine's label filter selecting the project's resources (listings, events). */
export function scopeFilter(scope: Pick<StackScope, "ownerLabel" | "project">): string {
  return `${scope.ownerLabel}=${scope.project}`;
}

/**
 * The service a container (by its labels, or an event's attributes, which carry them) is the
 * stack's container of; undefined when it is not one of the stack's service containers.
 */
export function serviceOf(
  scope: StackScope,
  labels: Readonly<Record<string, string>> | null | undefined,
): string | undefined {
  if (!labels || labels[scope.ownerLabel] !== scope.project) return undefined;
  if (scope.composeRules) {
    if (labels[COMPOSE_LABELS.oneoff] === "True") return undefined;
    const number = labels[COMPOSE_LABELS.number];
    // Replicas beyond the first are compose's `--scale`; every command means the first.
    if (number !== undefined && number !== "1") return undefined;
  }
  const service = labels[scope.serviceLabel];
  return service === undefined || service === "" ? undefined : service;
}

/** Who made a container: sentryctl labels its own with the config hash, compose with its project. */
export type MadeBy = "sentryctl" | "docker compose" | "another tool";

export function madeBy(labels: Readonly<Record<string, string>> | null | undefined): MadeBy {
  if (labels?.[LABELS.configHash]) return "sentryctl";
  return labels?.[COMPOSE_LABELS.project] ? "docker compose" : "another tool";
}

export interface Member {
  service: string;
  summary: ContainerSummary;
}

/**
 * The stack's service containers, running or not (`all`), optionally of one service: one
 * label-filtered listing, the rest of the rule applied to each container's labels.
 */
export async function listMembers(
  engine: Pick<Engine, "listContainers">,
  scope: StackScope,
  opts: { service?: string; all?: boolean } = {},
): Promise<Member[]> {
  const filters = [scopeFilter(scope)];
  if (opts.service !== undefined) filters.push(`${scope.serviceLabel}=${opts.service}`);
  const listed = await engine.listContainers(filters, opts.all ?? true);
  const out: Member[] = [];
  for (const summary of listed) {
    const service = serviceOf(scope, summary.Labels);
    if (service !== undefined && (opts.service === undefined || service === opts.service)) {
      out.push({ service, summary });
    }
  }
  return out;
}

/**
 * The container of one service of the stack, whatever its name (`<project>-<service>-1`,
 * compose 1.x's `<project>_<service>_1`, the catalog's `<project>_<service>`): a running one
 * first, else the most recently created. Undefined when the service has none.
 */
export async function findServiceContainer(
  engine: Pick<Engine, "listContainers" | "inspectContainer">,
  scope: StackScope,
  service: string,
): Promise<ContainerInspect | undefined> {
  const members = await listMembers(engine, scope, { service });
  members.sort((a, b) =>
    Number(b.summary.State === "running") - Number(a.summary.State === "running") ||
    b.summary.Created - a.summary.Created
  );
  for (const m of members) {
    const inspect = await engine.inspectContainer(m.summary.Id);
    // Checked again on the inspect: the container may have been replaced since the listing.
    if (inspect && serviceOf(scope, inspect.Config.Labels) === service) return inspect;
  }
  return undefined;
}
