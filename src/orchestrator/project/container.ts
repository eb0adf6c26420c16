// One compose service as a container plan (SPEC §3a): compose's name (`<project>-<service>-1` or
// `container_name`), its create body, compose's labels plus ours, and a config hash over what
// defines the service. On a remote engine read-only file mounts (and secrets) are copied in
// through the archive API; other bind mounts are refused with a message.

import type { CreateContainerBody } from "../../docker/types.ts";
import { SentryctlError } from "../../errors.ts";
import type { LoadedProject, ServiceConfig } from "../../compose/types.ts";
import { sha256Hex } from "../../lib/hash.ts";
import type { TarFile } from "../../lib/tar.ts";
import { VERSION } from "../../version.ts";
import { type ContainerPlan, stableStringify } from "../container-config.ts";
import { LABELS, type Owner } from "../labels.ts";
import type { HealthcheckSpec } from "../../services/spec.ts";
import { dockerHealthcheck, durationSeconds } from "./probe.ts";

export const COMPOSE = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  number: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
  workingDir: "com.docker.compose.project.working_dir",
  configFiles: "com.docker.compose.project.config_files",
  network: "com.docker.compose.network",
  volume: "com.docker.compose.volume",
  version: "com.docker.compose.version",
} as const;

/**
 * The compose version our resources claim: compose (1.29 included) reads this label and treats
 * anything older than 1.21 as a legacy project name. The Compose Specification's 2.x line.
 */
export const COMPOSE_VERSION = "2.0.0";

/** What the converter may read: the files a remote engine needs copied in. */
export interface HostFiles {
  /** The file's bytes; undefined when it is not a regular file (a directory, or missing). */
  readFile(path: string): Promise<Uint8Array | undefined>;
}

export interface ContainerOptions {
  owner: Owner;
  session?: string;
  /** A local engine sees the host's files: bind mounts as they are. */
  local: boolean;
  files: HostFiles;
}

type Mount = NonNullable<CreateContainerBody["HostConfig"]["Mounts"]>[number];

export function containerNameOf(project: string, name: string, svc: ServiceConfig): string {
  return svc.container_name ?? `${project}-${name}-1`;
}

export function imageOf(project: string, name: string, svc: ServiceConfig): string {
  return svc.image ?? `${project}-${name}`;
}

function restartPolicy(restart: string | undefined): { Name: string; MaximumRetryCount?: number } {
  if (!restart || restart === "no") return { Name: "no" };
  const [name, count] = restart.split(":");
  return count ? { Name: name!, MaximumRetryCount: Number(count) } : { Name: name! };
}

/** Mounts, the named volumes used, and the files to copy in where the engine cannot bind. */
async function mounts(
  p: LoadedProject,
  name: string,
  svc: ServiceConfig,
  opts: ContainerOptions,
): Promise<{ mounts: Mount[]; volumes: string[]; files: TarFile[] }> {
  const out: Mount[] = [];
  const volumes: string[] = [];
  const files: TarFile[] = [];
  const copyOrBind = async (source: string, target: string, readOnly: boolean, what: string) => {
    if (opts.local) {
      out.push({ Type: "bind", Source: source, Target: target, ReadOnly: readOnly });
      return;
    }
    const content = readOnly ? await opts.files.readFile(source) : undefined;
    if (!content) {
      throw new SentryctlError(
        "configuration",
        `Service '${name}' bind-mounts ${what} '${source}', which a remote engine cannot see`,
        {
          hint: "on a tcp:// or ssh:// engine only read-only file mounts are supported (they " +
            "are copied in); use a named volume, or run against a local engine",
        },
      );
    }
    files.push({ path: target, content });
  };
  for (const v of svc.volumes ?? []) {
    if (v.type === "volume") {
      if (!v.source) {
        // Anonymous: Docker creates it with the container.
        out.push({ Type: "volume", Target: v.target, ReadOnly: v.read_only });
        continue;
      }
      const full = p.model.volumes[v.source]?.name ?? `${p.name}_${v.source}`;
      volumes.push(full);
      out.push({ Type: "volume", Source: full, Target: v.target, ReadOnly: v.read_only });
    } else if (v.type === "bind" && v.source) {
      await copyOrBind(v.source, v.target, v.read_only === true, "the host path");
    } else if (v.type === "tmpfs") {
      out.push({ Type: "tmpfs", Target: v.target });
    } else {
      throw new SentryctlError(
        "configuration",
        `Service '${name}': volume type '${v.type}' is not supported`,
        { hint: "use a named volume, a bind mount or tmpfs" },
      );
    }
  }
  for (const s of svc.secrets ?? []) {
    const secret = p.model.secrets[s.source];
    const target = s.target?.startsWith("/") ? s.target : `/run/secrets/${s.target ?? s.source}`;
    if (secret?.file) {
      await copyOrBind(secret.file, target, true, "the secret file");
    } else if (secret?.environment !== undefined) {
      files.push({ path: target, content: p.environment[secret.environment] ?? "" });
    } else {
      throw new SentryctlError(
        "configuration",
        `Service '${name}' uses secret '${s.source}', which has no file or environment`,
        { hint: "declare it under the top-level secrets: with file: PATH" },
      );
    }
  }
  return { mounts: out, volumes: [...new Set(volumes)], files };
}

function ports(svc: ServiceConfig) {
  const bindings: NonNullable<CreateContainerBody["HostConfig"]["PortBindings"]> = {};
  const exposed: Record<string, Record<string, never>> = {};
  for (const port of svc.ports ?? []) {
    const key = `${port.target}/${port.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.host_ip ?? "", HostPort: port.published ?? "" });
  }
  for (const e of svc.expose ?? []) {
    exposed[e.includes("/") ? e : `${e}/tcp`] = {};
  }
  return { bindings, exposed };
}

/** The network the container is created on and its aliases on each network (service name). */
export function networksOf(
  p: LoadedProject,
  name: string,
  svc: ServiceConfig,
): { mode: string; endpoints: Record<string, { Aliases: string[] }> } {
  const endpoints: Record<string, { Aliases: string[] }> = {};
  if (svc.network_mode) return { mode: svc.network_mode, endpoints };
  const entries = Object.entries(svc.networks ?? { default: null });
  for (const [key, options] of entries) {
    const full = p.model.networks[key]?.name ?? `${p.name}_${key}`;
    endpoints[full] = { Aliases: [name, ...(options?.aliases ?? [])] };
  }
  return { mode: Object.keys(endpoints)[0] ?? "default", endpoints };
}

export async function composeContainer(
  p: LoadedProject,
  name: string,
  svc: ServiceConfig,
  probe: HealthcheckSpec | undefined,
  opts: ContainerOptions,
): Promise<ContainerPlan> {
  const { bindings, exposed } = ports(svc);
  const m = await mounts(p, name, svc, opts);
  const net = networksOf(p, name, svc);
  const env = Object.entries(svc.environment ?? {})
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  const tmpfs = svc.tmpfs?.length
    ? Object.fromEntries(svc.tmpfs.map((t) => {
      const [path, ...options] = t.split(":");
      return [path!, options.join(":")];
    }))
    : undefined;
  const body: CreateContainerBody = {
    Image: imageOf(p.name, name, svc),
    Cmd: svc.command,
    Entrypoint: svc.entrypoint,
    Env: env,
    ExposedPorts: exposed,
    StopTimeout: durationSeconds(svc.stop_grace_period),
    StopSignal: svc.stop_signal,
    User: svc.user,
    WorkingDir: svc.working_dir,
    Hostname: svc.hostname,
    Tty: svc.tty,
    OpenStdin: svc.stdin_open,
    HostConfig: {
      PortBindings: bindings,
      Mounts: m.mounts,
      RestartPolicy: restartPolicy(svc.restart),
      // Compose prints `host=ip`; the Engine API wants `host:ip`.
      ExtraHosts: (svc.extra_hosts ?? []).map((h) => h.replace("=", ":")).sort(),
      Ulimits: svc.ulimits
        ? Object.entries(svc.ulimits).map(([n, u]) => ({ Name: n, Soft: u.soft, Hard: u.hard }))
        : undefined,
      NetworkMode: net.mode,
      Tmpfs: tmpfs,
      CapAdd: svc.cap_add,
      CapDrop: svc.cap_drop,
      SecurityOpt: svc.security_opt,
      Init: svc.init,
      Privileged: svc.privileged,
      ReadonlyRootfs: svc.read_only,
      ShmSize: svc.shm_size === undefined ? undefined : Number(svc.shm_size),
    },
    // API < 1.44 takes one network at create: the first; execute connects the others.
    NetworkingConfig: Object.keys(net.endpoints).length > 0
      ? { EndpointsConfig: Object.fromEntries(Object.entries(net.endpoints).slice(0, 1)) }
      : undefined,
    Healthcheck: dockerHealthcheck(
      probe,
      svc.healthcheck?.disable === true || svc.healthcheck?.test?.[0] === "NONE",
    ),
  };
  const configHash = sha256Hex(stableStringify({
    body,
    networks: net.endpoints,
    platform: svc.platform,
    labels: svc.labels,
    build: svc.build,
    files: m.files.map((f) => ({ path: f.path, sha256: sha256Hex(f.content) })),
  }));
  body.Labels = {
    ...(svc.labels ?? {}),
    [COMPOSE.project]: p.name,
    [COMPOSE.service]: name,
    [COMPOSE.number]: "1",
    [COMPOSE.oneoff]: "False",
    [COMPOSE.workingDir]: p.workingDir,
    [COMPOSE.configFiles]: p.configFiles.join(","),
    [COMPOSE.version]: COMPOSE_VERSION,
    [LABELS.project]: p.name,
    [LABELS.service]: name,
    [LABELS.configHash]: configHash,
    [LABELS.version]: VERSION,
    [LABELS.owner]: opts.owner,
  };
  if (opts.session) body.Labels[LABELS.session] = opts.session;
  return {
    name: containerNameOf(p.name, name, svc),
    body,
    platform: svc.platform,
    volumes: m.volumes,
    configHash,
    stopGraceSeconds: durationSeconds(svc.stop_grace_period) ?? 10,
    files: m.files,
    publishesPorts: Object.values(bindings).some((b) => b.length > 0),
    networks: Object.entries(net.endpoints).slice(1).map(([n, e]) => ({
      name: n,
      aliases: e.Aliases,
    })),
  };
}
