// The merged project made whole: depends_on targets and cycles checked, networks, volumes and
// secrets checked and given their Docker names (`<project>_<key>`, or `name:`, or the key when
// external), every service on `default` unless it says otherwise, and environment completed
// from env_file and the host (a bare NAME takes the value interpolation sees).

import { configError } from "../errors.ts";
import { parseDotenv } from "./dotenv.ts";
import { define } from "./fields.ts";
import type { Sources } from "./source.ts";
import type { FileModel } from "./top.ts";
import type {
  ComposeModel,
  NetworkConfig,
  ProjectFs,
  SecretConfig,
  VolumeConfig,
} from "./types.ts";

export function checkDependencies(model: FileModel, sources: Sources): void {
  const services = model.services;
  for (const [name, service] of Object.entries(services)) {
    for (const dep of Object.keys(service.depends_on ?? {})) {
      if (!Object.hasOwn(services, dep)) {
        throw sources.error(
          ["services", name, "depends_on", dep],
          `service '${name}' depends on undefined service '${dep}'`,
          undefined,
          "key",
        );
      }
    }
  }
  // Depth-first search; a grey node met again closes a cycle.
  const state = new Map<string, "grey" | "black">();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, "grey");
    stack.push(name);
    for (const dep of Object.keys(services[name]!.depends_on ?? {})) {
      if (state.get(dep) === "grey") {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        throw sources.error(
          ["services", name, "depends_on", dep],
          `dependency cycle: ${cycle.join(" -> ")}`,
          "remove one of the depends_on entries",
          "key",
        );
      }
      if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, "black");
  };
  for (const name of Object.keys(services)) if (!state.has(name)) visit(name);
}

export function finish(model: FileModel, project: string, sources: Sources): ComposeModel {
  const networks: Record<string, NetworkConfig> = {};
  const volumes: Record<string, VolumeConfig> = {};
  const secrets: Record<string, SecretConfig> = {};
  const named = (key: string, v: { name?: string; external?: boolean }) =>
    v.name ?? (v.external ? key : `${project}_${key}`);
  for (const [service, config] of Object.entries(model.services)) {
    if (!config.networks && !config.network_mode) config.networks = { default: null };
    for (const net of Object.keys(config.networks ?? {})) {
      if (net !== "default" && !Object.hasOwn(model.networks, net)) {
        throw sources.error(
          ["services", service, "networks", net],
          `service '${service}' refers to undefined network '${net}'`,
          "declare it under the top-level 'networks:'",
          "key",
        );
      }
      if (net === "default" && !Object.hasOwn(model.networks, "default")) {
        define(model.networks, "default", {});
      }
    }
    (config.volumes ?? []).forEach((mount, i) => {
      if (
        mount.type === "volume" && mount.source !== undefined &&
        !Object.hasOwn(model.volumes, mount.source)
      ) {
        throw sources.error(
          ["services", service, "volumes", i],
          `service '${service}' refers to undefined volume '${mount.source}'`,
          "declare it under the top-level 'volumes:'",
        );
      }
    });
    (config.secrets ?? []).forEach((secret, i) => {
      if (!Object.hasOwn(model.secrets, secret.source)) {
        throw sources.error(
          ["services", service, "secrets", i],
          `service '${service}' refers to undefined secret '${secret.source}'`,
          "declare it under the top-level 'secrets:'",
        );
      }
    });
  }
  for (const [key, v] of Object.entries(model.networks)) {
    define(networks, key, { ...v, name: named(key, v) });
  }
  for (const [key, v] of Object.entries(model.volumes)) {
    define(volumes, key, { ...v, name: named(key, v) });
  }
  for (const [key, v] of Object.entries(model.secrets)) {
    define(secrets, key, { ...v, name: named(key, v) });
  }
  return {
    name: project,
    services: model.services,
    networks,
    volumes,
    secrets,
    extensions: model.extensions,
  };
}

/** env_file contents under `environment`, then bare names from `lookup`. */
export async function completeEnvironment(
  model: ComposeModel,
  fs: ProjectFs,
  lookup: (name: string) => string | undefined,
  sources: Sources,
): Promise<void> {
  for (const [name, service] of Object.entries(model.services)) {
    const env: Record<string, string | null> = {};
    for (const [i, file] of (service.env_file ?? []).entries()) {
      const text = await fs.readText(file.path);
      if (text === undefined) {
        if (!file.required) continue;
        throw sources.error(
          ["services", name, "env_file", i],
          `env_file '${file.path}' of service '${name}' does not exist`,
          "create it or mark it `required: false`",
        );
      }
      let entries;
      try {
        entries = parseDotenv(text, { ...Object.fromEntries(envPairs(lookup, text)) });
      } catch (err) {
        const e = err as { line?: number; col?: number; message: string };
        throw configError(`${file.path}:${e.line ?? 1}:${e.col ?? 1}: ${e.message}`);
      }
      for (const entry of entries) define(env, entry.key, entry.value ?? lookup(entry.key) ?? null);
    }
    for (const [k, v] of Object.entries(service.environment ?? {})) {
      define(env, k, v ?? lookup(k) ?? null);
    }
    if (service.env_file || service.environment) service.environment = env;
    const args = service.build?.args;
    if (args) {
      for (const [k, v] of Object.entries(args)) if (v === null) args[k] = lookup(k) ?? null;
    }
  }
}

/** The variables an env_file may reference, looked up lazily by name. */
function envPairs(lookup: (name: string) => string | undefined, text: string): [string, string][] {
  const names = new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  const out: [string, string][] = [];
  for (const n of names) {
    const v = lookup(n);
    if (v !== undefined) out.push([n, v]);
  }
  return out;
}
