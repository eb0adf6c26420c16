// Plan: a pure function from what is wanted (resolved services, as container plans) and what
// the engine holds (an Observation) to a list of operations. Nothing here talks to Docker, so
// `--dry-run` prints exactly what `execute` would do, and the decisions are unit tested as text.

import type { ContainerInspect } from "../docker/types.ts";
import type { ErrorCategory } from "../errors.ts";
import type { HealthcheckSpec } from "../services/spec.ts";
import type { ContainerPlan } from "./container-config.ts";
import { LABELS, type Owner } from "./labels.ts";
import { containerName, type Observation } from "./observe.ts";

export type PullPolicy = "missing" | "always" | "never";

export interface DesiredService {
  name: string;
  container: ContainerPlan;
  /** Services (in this plan) that must be up and healthy first. */
  after: string[];
  healthcheck?: HealthcheckSpec;
}

export interface UpOptions {
  owner: Owner;
  recreate: boolean;
  pull: PullPolicy;
  /** Wait for probes to pass (`up` without `--no-wait`); `attach` does not wait. */
  wait: boolean;
}

export type Operation =
  | { op: "create-network"; name: string }
  | { op: "create-volume"; name: string; service: string }
  | { op: "pull"; service: string; image: string; platform?: string }
  | { op: "stop"; service: string; container: string; id: string; graceSeconds?: number }
  | { op: "remove"; service: string; container: string; id: string }
  | { op: "create"; service: string; container: string }
  | { op: "put-files"; service: string; container: string; paths: string[] }
  | {
    op: "start";
    service: string;
    container: string;
    publishesPorts: boolean;
    /** Set when starting a container that exists already (created by a concurrent run). */
    id?: string;
  }
  | { op: "reuse"; service: string; container: string; id: string }
  | { op: "attached-elsewhere"; service: string; container: string; id: string }
  | { op: "wait-healthy"; service: string; container: string; probe: string }
  | { op: "remove-volume"; name: string; legacy: boolean }
  | { op: "remove-network"; name: string };

/** Something that stops the whole plan before any operation runs. */
export interface Problem {
  kind: "foreign-container" | "image-missing";
  service: string;
  message: string;
  hint: string;
  category: ErrorCategory;
}

export interface ServiceSteps {
  service: string;
  container: string;
  after: string[];
  ops: Operation[];
}

export interface Plan {
  project: string;
  problems: Problem[];
  /** Shared resources first: network, volumes. */
  prelude: Operation[];
  /** Per service, in dependency order. */
  services: ServiceSteps[];
  /** Removals after everything else (rm: volumes, network). */
  finale: Operation[];
}

function shortId(id: string): string {
  return id.slice(0, 12);
}

/** A container holding our name that is not ours (SPEC §3): never touched. */
function foreignProblem(service: string, existing: ContainerInspect, project: string): Problem {
  const name = containerName(existing);
  const labelled = existing.Config.Labels?.[LABELS.project];
  const whose = labelled === undefined
    ? `has no ${LABELS.project} label`
    : `belongs to project '${labelled}'`;
  return {
    kind: "foreign-container",
    service,
    message: `Container '${name}' (${shortId(existing.Id)}) holds the name of service ${service} ` +
      `but ${whose}; sentryctl will not stop, remove or replace it`,
    hint: `remove it with 'docker rm -f ${name}', or use another --project than '${project}'`,
    category: "failure",
  };
}

export function describeProbe(probe: HealthcheckSpec | undefined): string | undefined {
  if (!probe) return undefined;
  if (probe.exec) return `exec ${probe.exec.join(" ")}`;
  if (probe.http) return `http ${probe.http}`;
  if (probe.tcp !== undefined) return `tcp ${probe.tcp}`;
  return undefined;
}

export function planUp(
  observed: Observation,
  desired: readonly DesiredService[],
  opts: UpOptions,
): Plan {
  const project = observed.project;
  const problems: Problem[] = [];
  const prelude: Operation[] = [];
  if (!observed.network) prelude.push({ op: "create-network", name: project });
  const volumesSeen = new Set<string>();
  for (const d of desired) {
    for (const volume of d.container.volumes) {
      if (volumesSeen.has(volume)) continue;
      volumesSeen.add(volume);
      // An unlabelled volume of the legacy devservices is reused as it is.
      if (!observed.volumes.get(volume)) {
        prelude.push({ op: "create-volume", name: volume, service: d.name });
      }
    }
  }
  const services: ServiceSteps[] = desired.map((d) => {
    const c = d.container;
    const ops: Operation[] = [];
    const steps: ServiceSteps = { service: d.name, container: c.name, after: d.after, ops };
    const existing = observed.containers.get(c.name);
    if (existing && existing.Config.Labels?.[LABELS.project] !== project) {
      problems.push(foreignProblem(d.name, existing, project));
      return steps;
    }
    const probe = describeProbe(d.healthcheck);
    const waitOp = (): Operation[] =>
      opts.wait && probe ? [{ op: "wait-healthy", service: d.name, container: c.name, probe }] : [];
    const matches = existing !== undefined && existing.State.Running &&
      existing.Config.Labels?.[LABELS.configHash] === c.configHash;
    if (existing && matches && !opts.recreate) {
      const owner = existing.Config.Labels?.[LABELS.owner];
      // `up` leaves a container a foreground `attach` runs alone (SPEC §3), unless --recreate.
      const op = opts.owner === "up" && owner === "attach" ? "attached-elsewhere" : "reuse";
      ops.push({ op, service: d.name, container: c.name, id: existing.Id }, ...waitOp());
      return steps;
    }
    // Created (not started) with our definition: a concurrent run is about to start it. Starting
    // it too is harmless (a second start is a no-op); removing it would break that run.
    if (
      existing && !opts.recreate && existing.State.Status === "created" &&
      existing.Config.Labels?.[LABELS.configHash] === c.configHash && c.files.length === 0
    ) {
      ops.push(
        {
          op: "start",
          service: d.name,
          container: c.name,
          publishesPorts: c.publishesPorts,
          id: existing.Id,
        },
        ...waitOp(),
      );
      return steps;
    }
    const image = c.body.Image;
    const present = observed.images.get(image);
    if (opts.pull === "always" || (opts.pull === "missing" && present === false)) {
      // Every service that needs the image waits for it; execute pulls each image once.
      ops.push({ op: "pull", service: d.name, image, platform: c.platform });
    } else if (opts.pull === "never" && present === false) {
      problems.push({
        kind: "image-missing",
        service: d.name,
        message: `Image '${image}' of service ${d.name} is not present and --pull never was given`,
        hint: `pull it first ('docker pull ${image}') or use --pull missing`,
        category: "docker_api",
      });
    }
    if (existing) {
      if (existing.State.Running || existing.State.Restarting || existing.State.Paused) {
        ops.push({
          op: "stop",
          service: d.name,
          container: c.name,
          id: existing.Id,
          graceSeconds: c.stopGraceSeconds,
        });
      }
      ops.push({ op: "remove", service: d.name, container: c.name, id: existing.Id });
    }
    ops.push({ op: "create", service: d.name, container: c.name });
    if (c.files.length > 0) {
      ops.push({
        op: "put-files",
        service: d.name,
        container: c.name,
        paths: c.files.map((f) => f.path),
      });
    }
    ops.push({ op: "start", service: d.name, container: c.name, publishesPorts: c.publishesPorts });
    ops.push(...waitOp());
    return steps;
  });
  return { project, problems, prelude, services, finale: [] };
}

export interface RemovalOptions {
  /** Services to act on; empty: every container of the project. */
  services: readonly string[];
  /** `rm`: also remove volumes (and, with no names, the network). */
  volumes: boolean;
  /** `rm --legacy`: also unlabelled volumes with our names. */
  legacy: boolean;
  /** For `rm SERVICE`: the volume names each service's plan uses. */
  volumesOf?: ReadonlyMap<string, readonly string[]>;
}

/**
 * `down` and `rm`: stop and remove the project's containers (only labelled ones: the listing is
 * label-filtered), then for `rm` the volumes and network. Unlabelled legacy volumes are kept
 * unless `legacy`; they are reported so the user knows.
 */
export function planRemoval(
  observed: Observation,
  labelledVolumes: readonly { name: string; service?: string }[],
  legacyVolumes: readonly string[],
  opts: RemovalOptions,
): Plan & { keptLegacy: string[] } {
  const project = observed.project;
  const wanted = new Set(opts.services);
  const services: ServiceSteps[] = [];
  const listed = [...observed.listed].sort((a, b) => containerName(a) < containerName(b) ? -1 : 1);
  for (const c of listed) {
    const service = c.Labels[LABELS.service] ?? containerName(c);
    if (wanted.size > 0 && !wanted.has(service)) continue;
    const name = containerName(c);
    const ops: Operation[] = [];
    if (c.State === "running" || c.State === "restarting" || c.State === "paused") {
      // No grace given: Docker uses the container's own StopTimeout (stop_grace_period).
      ops.push({ op: "stop", service, container: name, id: c.Id });
    }
    ops.push({ op: "remove", service, container: name, id: c.Id });
    services.push({ service, container: name, after: [], ops });
  }
  const finale: Operation[] = [];
  const keptLegacy: string[] = [];
  if (opts.volumes) {
    const ofServices = wanted.size === 0
      ? undefined
      : new Set([...wanted].flatMap((s) => opts.volumesOf?.get(s) ?? []));
    for (const v of [...labelledVolumes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (ofServices && !ofServices.has(v.name)) continue;
      finale.push({ op: "remove-volume", name: v.name, legacy: false });
    }
    for (const name of [...legacyVolumes].sort()) {
      if (ofServices && !ofServices.has(name)) continue;
      if (opts.legacy) finale.push({ op: "remove-volume", name, legacy: true });
      else keptLegacy.push(name);
    }
    if (wanted.size === 0 && observed.network?.Labels?.[LABELS.project] === project) {
      finale.push({ op: "remove-network", name: project });
    }
  }
  return { project, problems: [], prelude: [], services, finale, keptLegacy };
}

function describe(op: Operation): string {
  switch (op.op) {
    case "create-network":
      return `create network ${op.name}`;
    case "create-volume":
      return `create volume ${op.name}`;
    case "pull":
      return `pull ${op.image}${op.platform ? ` (${op.platform})` : ""}`;
    case "stop":
      return `stop ${op.container} (${shortId(op.id)}${
        op.graceSeconds === undefined ? "" : `, grace ${op.graceSeconds}s`
      })`;
    case "remove":
      return `remove ${op.container} (${shortId(op.id)})`;
    case "create":
      return `create ${op.container}`;
    case "put-files":
      return `copy ${op.paths.join(", ")} into ${op.container}`;
    case "start":
      return `start ${op.id ? `existing ${op.container} (${shortId(op.id)})` : op.container}${
        op.publishesPorts ? " (publishes ports)" : ""
      }`;
    case "reuse":
      return `reuse running ${op.container} (${shortId(op.id)})`;
    case "attached-elsewhere":
      return `leave ${op.container} (${shortId(op.id)}): attached elsewhere`;
    case "wait-healthy":
      return `wait until healthy: ${op.probe}`;
    case "remove-volume":
      return `remove volume ${op.name}${op.legacy ? " (unlabelled, --legacy)" : ""}`;
    case "remove-network":
      return `remove network ${op.name}`;
  }
}

/** The plan as text, one operation a line (`--dry-run`). */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const p of plan.problems) lines.push(`refuse: ${p.message}`, `  hint: ${p.hint}`);
  for (const op of plan.prelude) lines.push(describe(op));
  for (const s of plan.services) {
    const head = s.after.length > 0 ? `${s.service} (after ${s.after.join(", ")})` : s.service;
    for (const op of s.ops) lines.push(`${head}: ${describe(op)}`);
  }
  for (const op of plan.finale) lines.push(describe(op));
  if (lines.length === 0) lines.push("nothing to do");
  return lines.join("\n") + "\n";
}

/** True when running the plan would change nothing in the engine. */
export function isNoop(plan: Plan): boolean {
  const passive = new Set(["reuse", "attached-elsewhere", "wait-healthy"]);
  return plan.prelude.length === 0 && plan.finale.length === 0 &&
    plan.services.every((s) => s.ops.every((op) => passive.has(op.op)));
}
