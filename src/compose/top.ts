// One file's top level: `name`, `services`, `volumes`, `networks`, `secrets` and `x-` fields.
// Resource names (`<project>_<key>`) are given later, once the project name is known.

import { bool, define, fail, isMapping, keyValues, mapping, type Reader, str } from "./fields.ts";
import { readService } from "./service.ts";
import type { NetworkConfig, SecretConfig, ServiceConfig, VolumeConfig } from "./types.ts";
import { hostPath } from "./volumes.ts";

type Partial<T> = { [K in keyof T]?: T[K] };

export interface FileModel {
  name?: string;
  services: Record<string, ServiceConfig>;
  networks: Record<string, Partial<NetworkConfig>>;
  volumes: Record<string, Partial<VolumeConfig>>;
  secrets: Record<string, Partial<SecretConfig>>;
  extensions: Record<string, unknown>;
  /** `!reset`/`!override` tags by path key (source.ts `pathKey`), for the merge. */
  tags?: ReadonlyMap<string, string>;
}

const SECTIONS = new Set(["name", "services", "volumes", "networks", "secrets", "version"]);

export function readFile(r: Reader, raw: unknown): FileModel {
  const model: FileModel = { services: {}, networks: {}, volumes: {}, secrets: {}, extensions: {} };
  if (raw === null || raw === undefined) return model;
  const top = mapping(r, raw, []);
  for (const key of Object.keys(top)) {
    if (key.startsWith("x-")) define(model.extensions, key, top[key]);
    else if (key === "version") {
      r.warn(
        `${
          r.sources.where([key])
        }: the top-level 'version' is obsolete and ignored, as compose does`,
      );
    } else if (!SECTIONS.has(key)) {
      r.warn(
        `${r.sources.where([key])}: top-level key '${key}' is not supported by sentryctl; ignored`,
      );
    }
  }
  if (top.name !== undefined && top.name !== null) model.name = str(r, top.name, ["name"]);
  const section = (key: string) =>
    top[key] === undefined || top[key] === null ? {} : mapping(r, top[key], [key]);
  for (const [name, service] of Object.entries(section("services"))) {
    if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
      throw r.sources.error(
        ["services", name],
        `invalid service name '${name}'`,
        "use letters, digits, '.', '_' and '-'",
        "key",
      );
    }
    define(model.services, name, readService(r, name, service));
  }
  for (const [name, value] of Object.entries(section("networks"))) {
    define(model.networks, name, network(r, name, value));
  }
  for (const [name, value] of Object.entries(section("volumes"))) {
    define(model.volumes, name, volume(r, name, value));
  }
  for (const [name, value] of Object.entries(section("secrets"))) {
    define(model.secrets, name, secret(r, name, value));
  }
  return model;
}

function warnUnknown(
  r: Reader,
  path: string[],
  value: Record<string, unknown>,
  known: Set<string>,
) {
  for (const key of Object.keys(value)) {
    if (!known.has(key) && !key.startsWith("x-")) {
      r.warn(
        `${r.sources.where([...path, key])}: key '${key}' of ${
          path.join(".")
        } is not supported by sentryctl; ignored`,
      );
    }
  }
}

/** `external: true`, or the legacy `external: {name: N}`. */
function external(
  r: Reader,
  value: unknown,
  path: string[],
  out: { external?: boolean; name?: string },
) {
  if (isMapping(value)) {
    out.external = true;
    if (value.name !== undefined) out.name = str(r, value.name, [...path, "name"]);
  } else if (bool(r, value, path)) out.external = true;
}

/** The fields a network and a volume share, in this order: name, external, driver, its options. */
function driverFields(
  r: Reader,
  v: Record<string, unknown>,
  path: string[],
  out: Partial<VolumeConfig>,
): void {
  if (v.name !== undefined) out.name = str(r, v.name, [...path, "name"]);
  if (v.external !== undefined) external(r, v.external, [...path, "external"], out);
  if (v.driver !== undefined) out.driver = str(r, v.driver, [...path, "driver"]);
  if (v.driver_opts !== undefined) {
    out.driver_opts = keyValues(r, v.driver_opts, [...path, "driver_opts"]) as Record<
      string,
      string
    >;
  }
}

function network(r: Reader, name: string, value: unknown): Partial<NetworkConfig> {
  const path = ["networks", name];
  if (value === null) return {};
  const v = mapping(r, value, path);
  warnUnknown(
    r,
    path,
    v,
    new Set([
      "name",
      "external",
      "driver",
      "driver_opts",
      "internal",
      "attachable",
      "labels",
      "ipam",
      "enable_ipv6",
    ]),
  );
  const out: Partial<NetworkConfig> = {};
  driverFields(r, v, path, out);
  if (v.internal !== undefined) out.internal = bool(r, v.internal, [...path, "internal"]);
  if (v.attachable !== undefined) out.attachable = bool(r, v.attachable, [...path, "attachable"]);
  if (v.labels !== undefined) {
    out.labels = keyValues(r, v.labels, [...path, "labels"]) as Record<string, string>;
  }
  if (v.ipam !== undefined) out.ipam = mapping(r, v.ipam, [...path, "ipam"]);
  return out;
}

function volume(r: Reader, name: string, value: unknown): Partial<VolumeConfig> {
  const path = ["volumes", name];
  if (value === null) return {};
  const v = mapping(r, value, path);
  warnUnknown(r, path, v, new Set(["name", "external", "driver", "driver_opts", "labels"]));
  const out: Partial<VolumeConfig> = {};
  driverFields(r, v, path, out);
  if (v.labels !== undefined) {
    out.labels = keyValues(r, v.labels, [...path, "labels"]) as Record<string, string>;
  }
  return out;
}

function secret(r: Reader, name: string, value: unknown): Partial<SecretConfig> {
  const path = ["secrets", name];
  const v = mapping(r, value, path);
  warnUnknown(r, path, v, new Set(["name", "file", "environment", "external"]));
  const out: Partial<SecretConfig> = {};
  if (v.name !== undefined) out.name = str(r, v.name, [...path, "name"]);
  if (v.file !== undefined) out.file = hostPath(r, str(r, v.file, [...path, "file"]));
  if (v.environment !== undefined) {
    out.environment = str(r, v.environment, [...path, "environment"]);
  }
  if (v.external !== undefined) external(r, v.external, [...path, "external"], out);
  if (out.file === undefined && out.environment === undefined && !out.external) {
    throw fail(r, path, `secret '${name}' needs 'file', 'environment' or 'external'`);
  }
  return out;
}
