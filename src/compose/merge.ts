// Compose's rules for `-f a.yml -f b.yml`, applied to canonical services: later files win for
// single values and mapping entries (environment, labels, depends_on, networks, ulimits, build
// args); `ports`, `expose`, `extra_hosts`, `cap_add`… are appended without duplicates; `volumes`
// merge by target and `secrets` by source; `command`, `entrypoint`, `healthcheck.test` and
// `profiles` are replaced.

import { define, isMapping } from "./fields.ts";
import { pathKey } from "./source.ts";
import type { FileModel } from "./top.ts";
import type { ServiceConfig } from "./types.ts";

const APPEND = new Set([
  "ports",
  "expose",
  "extra_hosts",
  "cap_add",
  "cap_drop",
  "security_opt",
  "tmpfs",
  "env_file",
]);
const REPLACE = new Set(["command", "entrypoint", "profiles"]);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function byKey<T>(base: T[], over: T[], key: (item: T) => string | undefined): T[] {
  const out = [...base];
  for (const item of over) {
    const at = out.findIndex((b) => key(b) === key(item));
    if (at >= 0) out[at] = item;
    else out.push(item);
  }
  return out;
}

/** Mappings merged key by key (recursively); anything else: the override. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) define(out, k, v);
  for (const [k, v] of Object.entries(over)) {
    define(out, k, Object.hasOwn(out, k) ? deepMerge(out[k], v) : v);
  }
  return out;
}

export function mergeService(base: ServiceConfig, over: ServiceConfig): ServiceConfig {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    if (prev === undefined || REPLACE.has(key)) out[key] = value;
    else if (APPEND.has(key)) {
      const list = [...(prev as unknown[])];
      for (const item of value as unknown[]) if (!list.some((x) => same(x, item))) list.push(item);
      out[key] = list;
    } else if (key === "volumes") {
      out[key] = byKey(
        prev as ServiceConfig["volumes"] & object,
        value as ServiceConfig["volumes"] & object,
        (v) => v.target,
      );
    } else if (key === "secrets") {
      out[key] = byKey(
        prev as ServiceConfig["secrets"] & object,
        value as ServiceConfig["secrets"] & object,
        (s) => s.source,
      );
    } else if (key === "healthcheck" || key === "build") {
      // `test` and each field are replaced, not merged element by element.
      out[key] = { ...(prev as object), ...(value as object) };
    } else if (
      key === "networks" || key === "depends_on" || key === "environment" || key === "labels" ||
      key === "ulimits"
    ) {
      const merged: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(prev as object)) define(merged, k, v);
      for (const [k, v] of Object.entries(value as object)) define(merged, k, v);
      out[key] = merged;
    } else out[key] = deepMerge(prev, value);
  }
  if (base.build && over.build?.args && base.build.args) {
    (out.build as ServiceConfig["build"])!.args = { ...base.build.args, ...over.build.args };
  }
  return out as ServiceConfig;
}

export function mergeFiles(files: readonly FileModel[]): FileModel {
  const out: FileModel = { services: {}, networks: {}, volumes: {}, secrets: {}, extensions: {} };
  for (const file of files) {
    if (file.name !== undefined) out.name = file.name;
    for (const [name, service] of Object.entries(file.services)) {
      const tag = (key?: string) =>
        file.tags?.get(pathKey(key ? ["services", name, key] : ["services", name]));
      if (tag() === "!reset") {
        delete out.services[name];
        continue;
      }
      const base = Object.hasOwn(out.services, name) && tag() !== "!override"
        ? { ...out.services[name]! }
        : {};
      const over = { ...service } as Record<string, unknown>;
      for (const key of new Set([...Object.keys(base), ...Object.keys(service)])) {
        // `key: !reset …` removes what earlier files set; `key: !override …` replaces it whole.
        if (tag(key) === "!reset") {
          delete (base as Record<string, unknown>)[key];
          delete over[key];
        } else if (tag(key) === "!override") delete (base as Record<string, unknown>)[key];
      }
      define(out.services, name, mergeService(base, over as ServiceConfig));
    }
    for (const section of ["networks", "volumes", "secrets", "extensions"] as const) {
      for (const [name, value] of Object.entries(file[section])) {
        const target = out[section] as Record<string, unknown>;
        define(target, name, Object.hasOwn(target, name) ? deepMerge(target[name], value) : value);
      }
    }
  }
  return out;
}
