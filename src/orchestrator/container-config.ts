// Translates a resolved service into the Engine API's create body: loopback port bindings,
// named volumes prefixed with the project, `host.docker.internal`, labels and the config hash
// that tells `up`/`attach` whether an existing container still matches its definition.

import type { CreateContainerBody } from "../docker/types.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { portHost, portNumber } from "../services/resolve.ts";
import { VERSION } from "../version.ts";
import type { TarFile } from "../lib/tar.ts";
import { LABELS, type Owner } from "./labels.ts";
import { sha256Hex } from "../lib/hash.ts";

export interface ContainerPlan {
  name: string;
  body: CreateContainerBody;
  platform?: string;
  /** Named volumes (full names) to create before the container. */
  volumes: string[];
  configHash: string;
  stopGraceSeconds: number;
  /** Files to copy in (archive API) after create, before start. */
  files: TarFile[];
  /** True when the container publishes host ports (such starts are serialized). */
  publishesPorts: boolean;
  /** Networks joined after create, beyond the one in the create body (API < 1.44). */
  networks?: { name: string; aliases: string[] }[];
}

export function isNamedVolume(key: string): boolean {
  return !key.includes("/");
}

function asList(value: string[] | string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export interface PlanOptions {
  project: string;
  /** `attach` runs its container as a foreground process: no restart policy. */
  foreground: boolean;
  /** Which command creates it (label `owner`); default `attach` when foreground, else `up`. */
  owner?: Owner;
  /** The session label for `attach`/`with` (lib/session.ts, filled by runtime/session.ts). */
  session?: string;
}

function fileDigest(files: readonly TarFile[] | undefined): unknown {
  if (!files || files.length === 0) return undefined;
  return files.map((f) => ({
    path: f.path,
    mode: f.mode ?? 0o644,
    sha256: sha256Hex(f.content),
  }));
}

export function planContainer(service: ResolvedService, opts: PlanOptions): ContainerPlan {
  const spec = service.spec;
  const portBindings: NonNullable<CreateContainerBody["HostConfig"]["PortBindings"]> = {};
  const exposed: Record<string, Record<string, never>> = {};
  for (const [containerPort, value] of Object.entries(spec.ports ?? {})) {
    const key = containerPort.includes("/") ? containerPort : `${containerPort}/tcp`;
    portBindings[key] = [{ HostIp: portHost(value), HostPort: portNumber(value) }];
    exposed[key] = {};
  }
  const volumes: string[] = [];
  const mounts: NonNullable<CreateContainerBody["HostConfig"]["Mounts"]> = [];
  for (const [key, volume] of Object.entries(spec.volumes ?? {})) {
    const named = isNamedVolume(key);
    const source = named ? `${opts.project}_${key}` : key;
    if (named) volumes.push(source);
    mounts.push({
      Type: named ? "volume" : "bind",
      Source: source,
      Target: volume.bind,
      ReadOnly: volume.mode === "ro",
    });
  }
  const env = Object.entries(spec.environment ?? {})
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "boolean" ? (v ? "1" : "") : String(v)}`)
    .sort();
  const extraHosts = { "host.docker.internal": "host-gateway", ...(spec.extra_hosts ?? {}) };

  const body: CreateContainerBody = {
    Image: spec.image,
    Cmd: asList(spec.command),
    Entrypoint: asList(spec.entrypoint),
    Env: env,
    ExposedPorts: exposed,
    StopTimeout: spec.stop_grace_period,
    HostConfig: {
      PortBindings: portBindings,
      Mounts: mounts,
      // Sorted: the order a settings file lists hosts in must not change the config hash.
      ExtraHosts: Object.entries(extraHosts).map(([host, ip]) => `${host}:${ip}`).sort(),
      Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      NetworkMode: opts.project,
    },
    NetworkingConfig: { EndpointsConfig: { [opts.project]: { Aliases: [service.name] } } },
  };
  // The hash covers what defines the service, not how this run starts it (restart policy),
  // so a container `up` created is reused by `attach` and the other way round.
  const configHash = sha256Hex(stableStringify({
    body,
    platform: spec.platform,
    files: fileDigest(service.files),
    // The service's own labels (ours are added below): changing them is drift too.
    labels: spec.labels,
  }));
  // Exec probes also run as Docker's own healthcheck, so `ps` (and `docker ps`) read health
  // without probing. Left out of the hash: the probe is how we watch the service, not what it is.
  const probe = spec.healthcheck;
  if (probe?.exec && probe.exec.length > 0) {
    const s = 1_000_000_000;
    body.Healthcheck = {
      Test: ["CMD", ...probe.exec.map(String)],
      Interval: Math.max(1, probe.interval ?? 5) * s,
      Timeout: Math.max(1, probe.timeout ?? 5) * s,
      Retries: probe.retries ?? 3,
      StartPeriod: Math.max(0, probe.start_period ?? 0) * s,
    };
  }
  body.HostConfig.RestartPolicy = opts.foreground
    ? { Name: "no" }
    : { Name: spec.restart_policy ?? "unless-stopped" };
  body.Labels = {
    ...(spec.labels ?? {}),
    [LABELS.project]: opts.project,
    [LABELS.service]: service.name,
    [LABELS.configHash]: configHash,
    [LABELS.version]: VERSION,
    [LABELS.owner]: opts.owner ?? (opts.foreground ? "attach" : "up"),
  };
  if (opts.session) body.Labels[LABELS.session] = opts.session;
  return {
    name: service.containerName,
    body,
    platform: spec.platform,
    volumes,
    configHash,
    stopGraceSeconds: spec.stop_grace_period ?? 10,
    files: service.files ?? [],
    publishesPorts: Object.keys(portBindings).length > 0,
  };
}
