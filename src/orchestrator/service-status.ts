// The one shape of "a service" that sentryctl prints and serves: `ps --json`, `up --json` and
// the status server all use serviceStatus(). Its JSON Schema is serviceStatusSchema(), kept in
// the repo as schemas/service.schema.json (a unit test holds the two equal).

import type { Engine } from "../docker/engine.ts";
import type { ContainerInspect } from "../docker/types.ts";
import type { HealthcheckSpec } from "../services/spec.ts";
import { COMPOSE_LABELS, LABELS, type Owner } from "./labels.ts";
import { containerName } from "./observe.ts";
import { listMembers, serviceOf, type StackScope } from "./scope.ts";
import { probeOnce } from "./wait/probes.ts";
import { byText } from "../lib/order.ts";

export type ServiceState =
  | "created"
  | "running"
  | "paused"
  | "restarting"
  | "removing"
  | "exited"
  | "dead"
  | "missing";
export type Health = "healthy" | "unhealthy" | "starting" | "none";

export interface ServicePort {
  container: string;
  hostIp: string;
  hostPort: number;
}

export interface ServiceStatus {
  service: string;
  project: string;
  container: string;
  id: string | null;
  state: ServiceState;
  health: Health;
  ports: ServicePort[];
  image: string;
  owner: Owner | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  exitCode: number | null;
}

const OWNERS = new Set(["attach", "up", "with"]);

/**
 * A container as a ServiceStatus; `health` as Docker reports it (see `withProbedHealth`). With
 * the stack's scope, the service and project are read by its rule.
 */
export function serviceStatus(
  inspect: ContainerInspect,
  nowMs: number,
  scope?: StackScope,
): ServiceStatus {
  const labels = inspect.Config.Labels ?? {};
  const name = containerName(inspect);
  const s = inspect.State;
  const running = s.Running;
  const started = running && s.StartedAt && !s.StartedAt.startsWith("0001-") ? s.StartedAt : null;
  const ports: ServicePort[] = [];
  for (const [key, bindings] of Object.entries(inspect.NetworkSettings.Ports ?? {})) {
    for (const b of bindings ?? []) {
      const port = Number(b.HostPort);
      // Docker lists IPv4 and IPv6 bindings of one port separately; both are real.
      if (Number.isInteger(port) && port > 0) {
        ports.push({ container: key, hostIp: b.HostIp || "0.0.0.0", hostPort: port });
      }
    }
  }
  ports.sort((a, b) => a.hostPort - b.hostPort || byText(a.hostIp, b.hostIp));
  const dockerHealth = s.Health?.Status;
  const health: Health = !running
    ? "none"
    : dockerHealth === "healthy" || dockerHealth === "unhealthy" || dockerHealth === "starting"
    ? dockerHealth
    : "none";
  const owner = labels[LABELS.owner];
  return {
    // A container docker compose or devservices made carries only compose's labels (SPEC §3a).
    service: (scope && serviceOf(scope, labels)) ?? labels[LABELS.service] ??
      labels[COMPOSE_LABELS.service] ?? name,
    project: (scope && labels[scope.ownerLabel]) ?? labels[LABELS.project] ??
      labels[COMPOSE_LABELS.project] ?? "",
    container: name,
    id: inspect.Id,
    state: s.Status,
    health,
    ports,
    image: inspect.Config.Image,
    owner: owner && OWNERS.has(owner) ? (owner as Owner) : null,
    startedAt: started,
    uptimeSeconds: started ? Math.max(0, Math.floor((nowMs - Date.parse(started)) / 1000)) : null,
    exitCode: running || s.Status === "created" ? null : s.ExitCode,
  };
}

export function missingStatus(project: string, service: string, image: string): ServiceStatus {
  return {
    service,
    project,
    container: `${project}_${service}`,
    id: null,
    state: "missing",
    health: "none",
    ports: [],
    image,
    owner: null,
    startedAt: null,
    uptimeSeconds: null,
    exitCode: null,
  };
}

/**
 * Every service container of the stack (by its scope, ./scope.ts: for a project file what docker
 * compose or devservices made for it too, SPEC §3a), as statuses sorted by service. One
 * label-filtered listing, then inspects in parallel (uptime and health are only in the inspect).
 */
export async function projectStatus(
  engine: Engine,
  scope: StackScope,
  nowMs: number,
): Promise<ServiceStatus[]> {
  const members = await listMembers(engine, scope);
  const inspects = await Promise.all(members.map((m) => engine.inspectContainer(m.summary.Id)));
  return inspects
    .filter((i): i is ContainerInspect => i !== undefined)
    .map((i) => serviceStatus(i, nowMs, scope))
    .sort((a, b) => byText(a.service, b.service));
}

/**
 * Fills in health where Docker has none to give: a running service whose probe Docker does not
 * run (http/tcp) or has not run yet ("starting") is probed once, briefly.
 */
export async function withProbedHealth(
  engine: Engine,
  statuses: ServiceStatus[],
  probes: ReadonlyMap<string, HealthcheckSpec | undefined>,
): Promise<ServiceStatus[]> {
  return await Promise.all(statuses.map(async (st) => {
    const spec = probes.get(st.service);
    if (st.state !== "running" || !spec || !st.id) return st;
    if (st.health === "healthy" || st.health === "unhealthy") return st;
    const result = await probeOnce(engine, st.id, {
      ...spec,
      timeout: Math.min(spec.timeout ?? 2, 2),
    })
      .catch(() => ({ ok: false, output: "" }));
    return {
      ...st,
      health: result.ok ? "healthy" : st.health === "starting" ? "starting" : "unhealthy",
    };
  }));
}

function formatUptime(seconds: number | null): string {
  if (seconds === null) return "-";
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
}

/** `ps` as a table: SERVICE CONTAINER STATE HEALTH PORTS IMAGE UPTIME. */
export function renderStatusTable(statuses: readonly ServiceStatus[]): string {
  const rows = [
    ["SERVICE", "CONTAINER", "STATE", "HEALTH", "PORTS", "IMAGE", "UPTIME"],
    ...statuses.map((s) => [
      s.service,
      s.container,
      s.state === "exited" && s.exitCode !== null ? `exited (${s.exitCode})` : s.state,
      s.health === "none" ? "-" : s.health,
      s.ports.length > 0
        ? s.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.container}`).join(", ")
        : "-",
      s.image,
      formatUptime(s.uptimeSeconds),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")
  )
    .join("\n") + "\n";
}

/** The JSON Schema of ServiceStatus (schemas/service.schema.json). */
export function serviceStatusSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://sentryctl.dev/schemas/service.schema.json",
    title: "sentryctl service status",
    description:
      "One dev service as `sentryctl ps --json`, `up --json` and the status server report it. Produced by serviceStatusSchema() in src/orchestrator/service-status.ts; a unit test keeps this file equal to it.",
    type: "object",
    additionalProperties: false,
    required: [
      "service",
      "project",
      "container",
      "id",
      "state",
      "health",
      "ports",
      "image",
      "owner",
      "startedAt",
      "uptimeSeconds",
      "exitCode",
    ],
    properties: {
      service: { type: "string", description: "Service name, e.g. redis" },
      project: { type: "string", description: "Project (container prefix, network)" },
      container: { type: "string", description: "Container name, <project>_<service>" },
      id: { type: ["string", "null"], description: "Full container id; null when missing" },
      state: {
        enum: [
          "created",
          "running",
          "paused",
          "restarting",
          "removing",
          "exited",
          "dead",
          "missing",
        ],
      },
      health: {
        enum: ["healthy", "unhealthy", "starting", "none"],
        description: "none: the service has no probe (or is not running)",
      },
      ports: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["container", "hostIp", "hostPort"],
          properties: {
            container: { type: "string", description: "e.g. 6379/tcp" },
            hostIp: { type: "string" },
            hostPort: { type: "integer", minimum: 1, maximum: 65535 },
          },
        },
      },
      image: { type: "string" },
      owner: {
        enum: ["attach", "up", "with", null],
        description: "The command that created the container",
      },
      startedAt: { type: ["string", "null"], format: "date-time" },
      uptimeSeconds: { type: ["integer", "null"], minimum: 0 },
      exitCode: { type: ["integer", "null"] },
    },
  };
}
