// A service's `volumes:` to compose's canonical mounts: `name:/path[:ro]` (named volume),
// `./rel:/path[:ro,z]`, `/abs:/path`, `~/x:/path` (bind, resolved against the project
// directory), `/path` (anonymous volume), and the long form with `type` bind/volume/tmpfs.

import { bool, fail, int, isMapping, label, mapping, type Reader, str } from "./fields.ts";
import type { Path } from "./source.ts";
import type { VolumeMount } from "./types.ts";
import { isAbsolute, join, resolve } from "node:path";

const PROPAGATION = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);
const CONSISTENCY = new Set(["cached", "delegated", "consistent"]);
const TYPES = new Set(["volume", "bind", "tmpfs", "npipe", "cluster", "image"]);

export function hostPath(r: Reader, source: string): string {
  if (source === "~" || source.startsWith("~/")) return join(r.home, source.slice(1));
  return isAbsolute(source) ? source : resolve(r.projectDir, source);
}

export function isPathLike(source: string): boolean {
  return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
}

export function readVolumes(r: Reader, value: unknown, path: Path): VolumeMount[] {
  if (!Array.isArray(value)) throw fail(r, path, `${label(path)} must be a list`);
  return value.map((item, i) =>
    isMapping(item) ? longVolume(r, item, [...path, i]) : shortVolume(r, item, [...path, i])
  );
}

function shortVolume(r: Reader, item: unknown, path: Path): VolumeMount {
  const text = str(r, item, path);
  const parts = text.split(":");
  if (parts.length === 1) {
    if (!parts[0]!.startsWith("/")) {
      throw fail(r, path, `invalid volume '${text}': the target must be an absolute path`);
    }
    return { type: "volume", target: parts[0]!, volume: {} };
  }
  if (parts.length > 3 || !parts[0] || !parts[1]) {
    throw fail(
      r,
      path,
      `invalid volume '${text}'`,
      "write SOURCE:TARGET[:MODE], e.g. data:/data or ./conf:/etc/conf:ro",
    );
  }
  const [source, target, modes] = parts as [string, string, string | undefined];
  if (!target.startsWith("/")) {
    throw fail(r, path, `invalid volume '${text}': the target must be an absolute path`);
  }
  const bind = isPathLike(source);
  const mount: VolumeMount = bind
    ? { type: "bind", source: hostPath(r, source), target, bind: { create_host_path: true } }
    : { type: "volume", source, target, volume: {} };
  for (const mode of modes ? modes.split(",") : []) {
    if (mode === "ro") mount.read_only = true;
    else if (mode === "rw") continue;
    else if ((mode === "z" || mode === "Z") && bind) mount.bind!.selinux = mode;
    else if (mode === "nocopy" && !bind) mount.volume!.nocopy = true;
    else if (CONSISTENCY.has(mode)) mount.consistency = mode;
    else if (PROPAGATION.has(mode) && bind) mount.bind!.propagation = mode;
    else {throw fail(
        r,
        path,
        `invalid volume '${text}': unknown mode '${mode}'`,
        "modes: ro, rw, z, Z, nocopy, a propagation or a consistency",
      );}
  }
  return mount;
}

function longVolume(r: Reader, item: Record<string, unknown>, path: Path): VolumeMount {
  const known = new Set([
    "type",
    "source",
    "target",
    "read_only",
    "consistency",
    "bind",
    "volume",
    "tmpfs",
  ]);
  for (const key of Object.keys(item)) {
    if (!known.has(key)) {
      r.warn(`${r.sources.where([...path, key])}: unknown key '${key}' in ${label(path)}; ignored`);
    }
  }
  const type = item.type === undefined ? undefined : str(r, item.type, [...path, "type"]);
  if (type === undefined || !TYPES.has(type)) {
    throw fail(
      r,
      [...path, ...(type === undefined ? [] : ["type"])],
      `${label(path)}: 'type' must be one of ${[...TYPES].join(", ")}`,
    );
  }
  if (item.target === undefined) {
    throw fail(r, path, `${label(path)}: the long form needs 'target'`);
  }
  const mount: VolumeMount = {
    type: type as VolumeMount["type"],
    target: str(r, item.target, [...path, "target"]),
  };
  if (item.source !== undefined && item.source !== null && item.source !== "") {
    const source = str(r, item.source, [...path, "source"]);
    mount.source = type === "bind" ? hostPath(r, source) : source;
  } else if (type === "bind") throw fail(r, path, `${label(path)}: a bind mount needs 'source'`);
  if (item.read_only !== undefined) {
    mount.read_only = bool(r, item.read_only, [...path, "read_only"]);
  }
  if (item.consistency !== undefined) {
    mount.consistency = str(r, item.consistency, [...path, "consistency"]);
  }
  if (item.bind !== undefined) {
    const b = mapping(r, item.bind, [...path, "bind"]);
    mount.bind = {};
    if (b.propagation !== undefined) {
      mount.bind.propagation = str(r, b.propagation, [...path, "bind", "propagation"]);
    }
    if (b.create_host_path !== undefined) {
      mount.bind.create_host_path = bool(r, b.create_host_path, [
        ...path,
        "bind",
        "create_host_path",
      ]);
    }
    if (b.selinux !== undefined) {
      const s = str(r, b.selinux, [...path, "bind", "selinux"]);
      if (s !== "z" && s !== "Z") {
        throw fail(r, [...path, "bind", "selinux"], "bind.selinux must be z or Z");
      }
      mount.bind.selinux = s;
    }
  }
  if (item.volume !== undefined) {
    const v = mapping(r, item.volume, [...path, "volume"]);
    mount.volume = {};
    if (v.nocopy !== undefined) {
      mount.volume.nocopy = bool(r, v.nocopy, [...path, "volume", "nocopy"]);
    }
    if (v.subpath !== undefined) {
      mount.volume.subpath = str(r, v.subpath, [...path, "volume", "subpath"]);
    }
  }
  if (item.tmpfs !== undefined) {
    const t = mapping(r, item.tmpfs, [...path, "tmpfs"]);
    mount.tmpfs = {};
    if (t.size !== undefined) {
      mount.tmpfs.size = typeof t.size === "number"
        ? t.size
        : str(r, t.size, [...path, "tmpfs", "size"]);
    }
    if (t.mode !== undefined) mount.tmpfs.mode = int(r, t.mode, [...path, "tmpfs", "mode"]);
  }
  return mount;
}
