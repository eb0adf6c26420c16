// One service of one file to compose's canonical form (./types.ts ServiceConfig). Every key of
// SPEC §3a has a reader here; any other key is named in a warning with `file:line` and left
// out. Cross-service checks (depends_on targets, cycles, volumes) wait for the merged project.

import {
  bool,
  bytes,
  define,
  duration,
  fail,
  int,
  isMapping,
  keyValues,
  label,
  list,
  mapping,
  type Reader,
  str,
  strings,
} from "./fields.ts";
import { readPorts } from "./ports.ts";
import { shellSplit } from "./shlex.ts";
import type { Path } from "./source.ts";
import type {
  DependsOn,
  Healthcheck,
  ServiceConfig,
  ServiceNetwork,
  ServiceSecret,
  Ulimit,
} from "./types.ts";
import { hostPath, readVolumes } from "./volumes.ts";

type Handler = (r: Reader, value: unknown, path: Path, out: ServiceConfig) => void;

const text = (key: keyof ServiceConfig): Handler => (r, v, p, out) => {
  (out as Record<string, unknown>)[key] = str(r, v, p);
};
const flag = (key: keyof ServiceConfig): Handler => (r, v, p, out) => {
  (out as Record<string, unknown>)[key] = bool(r, v, p);
};
const words = (key: keyof ServiceConfig): Handler => (r, v, p, out) => {
  (out as Record<string, unknown>)[key] = strings(r, v, p);
};

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
const PULL = new Map([
  ["always", "always"],
  ["never", "never"],
  ["missing", "missing"],
  ["if_not_present", "missing"],
  ["build", "build"],
  ["daily", "daily"],
  ["weekly", "weekly"],
]);
const CONDITIONS = new Set([
  "service_started",
  "service_healthy",
  "service_completed_successfully",
]);

function commandLine(r: Reader, v: unknown, p: Path): string[] {
  if (typeof v === "string") {
    const split = shellSplit(v);
    if (!Array.isArray(split)) throw fail(r, p, `${label(p)}: ${split.error}`);
    return split;
  }
  return list(r, v, p).map((w, i) => str(r, w, [...p, i]));
}

const HANDLERS: Record<string, Handler> = {
  image: text("image"),
  platform: text("platform"),
  user: text("user"),
  working_dir: text("working_dir"),
  container_name: text("container_name"),
  hostname: text("hostname"),
  stop_signal: text("stop_signal"),
  network_mode: text("network_mode"),
  init: flag("init"),
  tty: flag("tty"),
  stdin_open: flag("stdin_open"),
  privileged: flag("privileged"),
  read_only: flag("read_only"),
  cap_add: words("cap_add"),
  cap_drop: words("cap_drop"),
  security_opt: words("security_opt"),
  profiles: words("profiles"),
  tmpfs: words("tmpfs"),
  expose: words("expose"),
  stop_grace_period: (r, v, p, out) => out.stop_grace_period = duration(r, v, p),
  shm_size: (r, v, p, out) => out.shm_size = bytes(r, v, p),
  command: (r, v, p, out) => {
    if (v !== null) out.command = commandLine(r, v, p);
  },
  entrypoint: (r, v, p, out) => {
    if (v !== null) out.entrypoint = commandLine(r, v, p);
  },
  environment: (r, v, p, out) => out.environment = keyValues(r, v, p),
  labels: (r, v, p, out) => {
    const pairs = keyValues(r, v, p);
    out.labels = {};
    for (const [k, val] of Object.entries(pairs)) define(out.labels, k, val ?? "");
  },
  ports: (r, v, p, out) => out.ports = readPorts(r, v, p),
  volumes: (r, v, p, out) => out.volumes = readVolumes(r, v, p),
  restart: (r, v, p, out) => {
    const policy = str(r, v, p);
    if (!RESTART.test(policy)) {
      throw fail(
        r,
        p,
        `${label(p)}: unknown restart policy '${policy}'`,
        "use no, always, on-failure[:N] or unless-stopped",
      );
    }
    out.restart = policy;
  },
  pull_policy: (r, v, p, out) => {
    const policy = str(r, v, p);
    const known = PULL.get(policy) ?? (/^every_\w+$/.test(policy) ? policy : undefined);
    if (!known) {
      throw fail(
        r,
        p,
        `${label(p)}: unknown pull policy '${policy}'`,
        "use always, never, missing, build, daily or weekly",
      );
    }
    out.pull_policy = known as ServiceConfig["pull_policy"];
  },
  env_file: (r, v, p, out) => {
    const entries = Array.isArray(v) ? v : [v];
    out.env_file = entries.map((e, i) => {
      const at = Array.isArray(v) ? [...p, i] : p;
      if (isMapping(e)) {
        const path = str(r, e.path, [...at, "path"]);
        return {
          path: hostPath(r, path),
          required: e.required === undefined ? true : bool(r, e.required, [...at, "required"]),
        };
      }
      return { path: hostPath(r, str(r, e, at)), required: true };
    });
  },
  extra_hosts: (r, v, p, out) => {
    const hosts: string[] = [];
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const entry = str(r, e, [...p, i]);
        const at = entry.search(/[=:]/);
        if (at <= 0) throw fail(r, [...p, i], `${label(p)}: '${entry}' is not HOST:IP or HOST=IP`);
        hosts.push(`${entry.slice(0, at)}=${entry.slice(at + 1)}`);
      });
    } else {
      for (const [host, ip] of Object.entries(mapping(r, v, p))) {
        for (const one of Array.isArray(ip) ? ip : [ip]) {
          hosts.push(`${host}=${str(r, one, [...p, host])}`);
        }
      }
    }
    out.extra_hosts = hosts;
  },
  ulimits: (r, v, p, out) => {
    const limits: Record<string, Ulimit> = {};
    for (const [name, limit] of Object.entries(mapping(r, v, p))) {
      if (isMapping(limit)) {
        define(limits, name, {
          soft: int(r, limit.soft, [...p, name, "soft"]),
          hard: int(r, limit.hard, [...p, name, "hard"]),
        });
      } else {
        const n = int(r, limit, [...p, name]);
        define(limits, name, { soft: n, hard: n });
      }
    }
    out.ulimits = limits;
  },
  networks: (r, v, p, out) => {
    const nets: Record<string, ServiceNetwork | null> = {};
    if (Array.isArray(v)) {
      v.forEach((n, i) => {
        const name = str(r, n, [...p, i]);
        r.sources.maps[0]?.alias([...p, i], [...p, name]);
        define(nets, name, null);
      });
    } else {
      for (const [name, opts] of Object.entries(mapping(r, v, p))) {
        if (opts === null) {
          define(nets, name, null);
          continue;
        }
        const o = mapping(r, opts, [...p, name]);
        const net: ServiceNetwork = {};
        if (o.aliases !== undefined) net.aliases = strings(r, o.aliases, [...p, name, "aliases"]);
        if (o.ipv4_address !== undefined) {
          net.ipv4_address = str(r, o.ipv4_address, [...p, name, "ipv4_address"]);
        }
        if (o.ipv6_address !== undefined) {
          net.ipv6_address = str(r, o.ipv6_address, [...p, name, "ipv6_address"]);
        }
        if (o.priority !== undefined) net.priority = int(r, o.priority, [...p, name, "priority"]);
        define(nets, name, net);
      }
    }
    out.networks = nets;
  },
  depends_on: (r, v, p, out) => {
    const deps: Record<string, DependsOn> = {};
    if (Array.isArray(v)) {
      v.forEach((n, i) => {
        const name = str(r, n, [...p, i]);
        r.sources.maps[0]?.alias([...p, i], [...p, name]);
        define(deps, name, { condition: "service_started", required: true });
      });
    } else {
      for (const [name, opts] of Object.entries(mapping(r, v, p))) {
        const o = opts === null ? {} : mapping(r, opts, [...p, name]);
        const condition = o.condition === undefined
          ? "service_started"
          : str(r, o.condition, [...p, name, "condition"]);
        if (!CONDITIONS.has(condition)) {
          throw fail(
            r,
            [...p, name, "condition"],
            `${label(p)}.${name}: unknown condition '${condition}'`,
            `use ${[...CONDITIONS].join(", ")}`,
          );
        }
        const dep: DependsOn = {
          condition: condition as DependsOn["condition"],
          required: o.required === undefined ? true : bool(r, o.required, [...p, name, "required"]),
        };
        if (o.restart !== undefined && bool(r, o.restart, [...p, name, "restart"])) {
          dep.restart = true;
        }
        define(deps, name, dep);
      }
    }
    out.depends_on = deps;
  },
  healthcheck: (r, v, p, out) => out.healthcheck = healthcheck(r, mapping(r, v, p), p),
  secrets: (r, v, p, out) => {
    out.secrets = list(r, v, p).map((s, i): ServiceSecret => {
      if (!isMapping(s)) return { source: str(r, s, [...p, i]) };
      const secret: ServiceSecret = { source: str(r, s.source, [...p, i, "source"]) };
      if (s.target !== undefined) secret.target = str(r, s.target, [...p, i, "target"]);
      if (s.uid !== undefined) secret.uid = str(r, s.uid, [...p, i, "uid"]);
      if (s.gid !== undefined) secret.gid = str(r, s.gid, [...p, i, "gid"]);
      if (s.mode !== undefined) {
        secret.mode = typeof s.mode === "string"
          ? parseInt(s.mode, 8)
          : int(r, s.mode, [...p, i, "mode"]);
      }
      return secret;
    });
  },
  build: (r, v, p, out) => {
    if (typeof v === "string") {
      out.build = { context: context(r, v), dockerfile: "Dockerfile" };
      return;
    }
    const b = mapping(r, v, p);
    const known = new Set(["context", "dockerfile", "target", "args"]);
    for (const key of Object.keys(b)) {
      if (!known.has(key) && !key.startsWith("x-")) {
        r.warn(
          `${
            r.sources.where([...p, key])
          }: build key '${key}' is not supported by sentryctl; ignored`,
        );
      }
    }
    out.build = {
      context: context(r, b.context === undefined ? "." : str(r, b.context, [...p, "context"])),
      dockerfile: b.dockerfile === undefined
        ? "Dockerfile"
        : str(r, b.dockerfile, [...p, "dockerfile"]),
    };
    if (b.target !== undefined) out.build.target = str(r, b.target, [...p, "target"]);
    if (b.args !== undefined) out.build.args = keyValues(r, b.args, [...p, "args"]);
  },
};

/** A build context: a URL as written, a directory resolved against the project directory. */
function context(r: Reader, value: string): string {
  return /^[a-z]+:\/\/|^git@/.test(value) ? value : hostPath(r, value);
}

function healthcheck(r: Reader, h: Record<string, unknown>, p: Path): Healthcheck {
  const out: Healthcheck = {};
  for (const [key, v] of Object.entries(h)) {
    const at = [...p, key];
    if (key === "test") {
      out.test = typeof v === "string"
        ? ["CMD-SHELL", v]
        : list(r, v, at).map((w, i) => str(r, w, [...at, i]));
      const kind = out.test[0];
      if (kind !== "NONE" && kind !== "CMD" && kind !== "CMD-SHELL") {
        throw fail(r, at, `${label(at)}: a list must start with CMD, CMD-SHELL or NONE`);
      }
    } else if (
      key === "interval" || key === "timeout" || key === "start_period" || key === "start_interval"
    ) {
      out[key] = duration(r, v, at);
    } else if (key === "retries") out.retries = int(r, v, at);
    else if (key === "disable") out.disable = bool(r, v, at);
    else if (!key.startsWith("x-")) {
      r.warn(`${r.sources.where(at)}: unknown key '${key}' in ${label(p)}; ignored`);
    }
  }
  return out;
}

export const SERVICE_KEYS: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

/** The canonical form of `services.<name>` of one file. */
export function readService(r: Reader, name: string, raw: unknown): ServiceConfig {
  const path = ["services", name];
  const service = raw === null ? {} : mapping(r, raw, path);
  const out: ServiceConfig = {};
  for (const [key, value] of Object.entries(service)) {
    if (key.startsWith("x-")) {
      define(out as Record<string, unknown>, key, value);
      continue;
    }
    const handler = Object.hasOwn(HANDLERS, key) ? HANDLERS[key] : undefined;
    if (!handler) {
      r.warn(
        `${
          r.sources.where([...path, key])
        }: service '${name}': key '${key}' is not supported by sentryctl; ignored`,
      );
      continue;
    }
    if (value === null && key !== "command" && key !== "entrypoint") continue;
    handler(r, value, [...path, key], out);
  }
  return out;
}
