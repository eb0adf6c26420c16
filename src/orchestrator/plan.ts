// Plan: a pure function from what is wanted (a Stack) and what the engine holds (an
// Observation) to a list of operations. Nothing here talks to Docker, so `--dry-run` prints
// exactly what `execute` would do, and the decisions are unit tested as text. Where the stack
// came from (catalog, project file) is not known here: only its names, labels and rules.

import type { ContainerInspect } from "../docker/types.ts";
import type { HealthcheckSpec } from "../services/spec.ts";
import { LABELS } from "./labels.ts";
import { containerName, type Observation } from "./observe.ts";
import type { Operation, Plan, Problem, ServiceSteps, UpOptions } from "./operations.ts";
import { madeBy, serviceOf } from "./scope.ts";
import type { Stack, StackService } from "./stack-model.ts";

export type {
  Operation,
  Plan,
  Problem,
  PullPolicy,
  ServiceSteps,
  UpOptions,
} from "./operations.ts";
export type { DesiredService } from "./stack-model.ts";
export { planRemoval, type RemovalOptions } from "./plan-removal.ts";
export { isNoop, renderPlan } from "./plan-render.ts";

export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** A container holding our name that is not ours (SPEC §3): never touched. */
function foreignProblem(
  service: string,
  existing: ContainerInspect,
  project: string,
  ownerLabel: string,
): Problem {
  const name = containerName(existing);
  const labelled = existing.Config.Labels?.[ownerLabel];
  const whose = labelled === undefined
    ? `has no ${ownerLabel} label`
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
  if (probe.docker) return "Docker's health status (the image's HEALTHCHECK, if any)";
  return undefined;
}

function prelude(observed: Observation, stack: Stack, problems: Problem[]): Operation[] {
  const ops: Operation[] = [];
  for (const n of stack.networks) {
    if (observed.networks.get(n.name)) continue;
    if (n.external) {
      problems.push({
        kind: "external-missing",
        service: "",
        message: `Network '${n.name}' is declared external but does not exist`,
        hint: `create it first ('docker network create ${n.name}')`,
        category: "configuration",
      });
    } else ops.push({ op: "create-network", name: n.name, labels: n.labels });
  }
  for (const v of stack.volumes) {
    // An unlabelled volume of the legacy devservices (or compose's) is reused as it is.
    if (observed.volumes.get(v.name)) continue;
    if (v.external) {
      problems.push({
        kind: "external-missing",
        service: v.service ?? "",
        message: `Volume '${v.name}' is declared external but does not exist`,
        hint: `create it first ('docker volume create ${v.name}')`,
        category: "configuration",
      });
    } else ops.push({ op: "create-volume", name: v.name, service: v.service, labels: v.labels });
  }
  return ops;
}

/** Which of the stack's services others wait on, and for what. */
function awaited(stack: Stack): { healthy: Set<string>; completed: Set<string> } {
  const healthy = new Set<string>();
  const completed = new Set<string>();
  for (const s of stack.services) {
    for (const dep of s.after) {
      const condition = s.conditions?.[dep] ?? "healthy";
      if (condition === "healthy") healthy.add(dep);
      if (condition === "completed") completed.add(dep);
    }
  }
  return { healthy, completed };
}

export function planUp(observed: Observation, stack: Stack, opts: UpOptions): Plan {
  const project = stack.project;
  const problems: Problem[] = [];
  const first = prelude(observed, stack, problems);
  const waitedOn = awaited(stack);
  const services = stack.services.map((d) =>
    planService(observed, stack, d, opts, problems, waitedOn)
  );
  return { project, ownerLabel: stack.ownerLabel, problems, prelude: first, services, finale: [] };
}

function planService(
  observed: Observation,
  stack: Stack,
  d: StackService,
  opts: UpOptions,
  problems: Problem[],
  waitedOn: { healthy: Set<string>; completed: Set<string> },
): ServiceSteps {
  const c = d.container;
  const project = stack.project;
  const ops: Operation[] = [];
  const steps: ServiceSteps = {
    service: d.name,
    container: c.name,
    after: d.after,
    conditions: d.conditions,
    ops,
  };
  const existing = observed.containers.get(c.name);
  const labels = existing?.Config.Labels ?? {};
  if (existing && labels[stack.ownerLabel] !== project) {
    problems.push(foreignProblem(d.name, existing, project, stack.ownerLabel));
    return steps;
  }
  const probe = describeProbe(d.healthcheck);
  const waitOps = (container = c.name, observed?: ContainerInspect): Operation[] => {
    const out: Operation[] = [];
    // A one-shot others wait on to finish is waited for by its exit, not by the image's health.
    const imageOnly = d.healthcheck?.docker === true && waitedOn.completed.has(d.name);
    if (probe && !imageOnly && (opts.wait || waitedOn.healthy.has(d.name))) {
      out.push({
        op: "wait-healthy",
        service: d.name,
        container,
        probe,
        target: { name: d.name, healthcheck: d.healthcheck },
        ...(observed ? { observed } : {}),
      });
    }
    if (waitedOn.completed.has(d.name)) {
      out.push({ op: "wait-completed", service: d.name, container });
    }
    return out;
  };
  const bindings = c.body.HostConfig.PortBindings ?? {};
  const rebuild = d.build !== undefined && opts.rebuild === true;
  if (!existing && stack.composeRules) {
    // docker compose 1.x names containers `<project>_<service>_1`: found by its labels.
    const other = observed.listed.find((x) => serviceOf(stack, x.Labels) === d.name);
    if (other?.State === "running" && !opts.recreate && !rebuild) {
      const name = containerName(other);
      ops.push({
        op: "reuse",
        service: d.name,
        container: name,
        id: other.Id,
        madeBy: madeBy(other.Labels),
      });
      ops.push(...waitOps(name));
      return steps;
    }
    if (other) {
      const name = containerName(other);
      if (other.State === "running" || other.State === "restarting" || other.State === "paused") {
        ops.push({ op: "stop", service: d.name, container: name, id: other.Id });
      }
      ops.push({ op: "remove", service: d.name, container: name, id: other.Id });
    }
  }
  const hashMatches = labels[LABELS.configHash] === c.configHash;
  if (existing && existing.State.Running && !opts.recreate && !rebuild) {
    const foreignMade = !labels[LABELS.configHash] && stack.composeRules;
    if (hashMatches || foreignMade) {
      // `up` leaves a container a foreground `attach` runs alone (SPEC §3), unless --recreate.
      const op = opts.owner === "up" && labels[LABELS.owner] === "attach"
        ? "attached-elsewhere"
        : "reuse";
      if (op === "reuse" && foreignMade) {
        ops.push({
          op,
          service: d.name,
          container: c.name,
          id: existing.Id,
          madeBy: madeBy(existing.Config.Labels),
        });
      } else ops.push({ op, service: d.name, container: c.name, id: existing.Id });
      ops.push(...waitOps(c.name, existing));
      return steps;
    }
  }
  // Created (not started) with our definition: a concurrent run is about to start it. Starting
  // it too is harmless (a second start is a no-op); removing it would break that run. Under
  // compose's rules a stopped one with our definition is started again (a one-shot reruns).
  const startable = existing?.State.Status === "created" && c.files.length === 0 ||
    stack.composeRules && existing?.State.Status === "exited";
  if (existing && !opts.recreate && !rebuild && hashMatches && startable) {
    ops.push(
      {
        op: "start",
        service: d.name,
        container: c.name,
        publishesPorts: c.publishesPorts,
        bindings,
        id: existing.Id,
      },
      ...waitOps(),
    );
    return steps;
  }
  ops.push(...imageOps(observed, d, opts, problems));
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
    ops.push({ op: "remove", service: d.name, container: c.name, id: existing.Id, expect: c });
  }
  ops.push({ op: "create", service: d.name, container: c.name, plan: c });
  if (c.files.length > 0) {
    ops.push({ op: "put-files", service: d.name, container: c.name, files: c.files });
  }
  ops.push({
    op: "start",
    service: d.name,
    container: c.name,
    publishesPorts: c.publishesPorts,
    bindings,
  });
  ops.push(...waitOps());
  return steps;
}

/** Build, pull or refuse: the service's own pull policy wins over the run's. */
function imageOps(
  observed: Observation,
  d: StackService,
  opts: UpOptions,
  problems: Problem[],
): Operation[] {
  const c = d.container;
  const image = c.body.Image;
  const present = observed.images.get(image);
  const policy = d.pullPolicy ?? opts.pull;
  if (
    d.build && (opts.rebuild || policy === "build" || (present === false && policy !== "always"))
  ) {
    return [{ op: "build", service: d.name, build: d.build, platform: c.platform }];
  }
  if (policy === "always" || (policy === "missing" && present === false)) {
    // Every service that needs the image waits for it; execute pulls each image once.
    return [{ op: "pull", service: d.name, image, platform: c.platform }];
  }
  if (policy === "never" && present === false) {
    problems.push({
      kind: "image-missing",
      service: d.name,
      message: `Image '${image}' of service ${d.name} is not present and --pull never was given`,
      hint: `pull it first ('docker pull ${image}') or use --pull missing`,
      category: "docker_api",
    });
  }
  return [];
}
