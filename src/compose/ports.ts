// `ports:` in every form compose takes, to its canonical `{mode, host_ip, target, published,
// protocol}` entries: `80`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`, `[::1]:8080:80`,
// ranges (`8000-8001:80-81` is two entries; `8000-8010:80` one with a published range), `/udp`,
// and the long form.

import { fail, int, isMapping, label, type Reader, str } from "./fields.ts";
import type { Path } from "./source.ts";
import type { PortConfig } from "./types.ts";

const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

export function readPorts(r: Reader, value: unknown, path: Path): PortConfig[] {
  if (!Array.isArray(value)) throw fail(r, path, `${label(path)} must be a list`);
  return value.flatMap((item, i) =>
    isMapping(item) ? [longPort(r, item, [...path, i])] : shortPort(r, item, [...path, i])
  ).map(ordered);
}

/** Keys in the order compose prints them. */
function ordered(p: PortConfig): PortConfig {
  const out: PortConfig = { mode: p.mode } as PortConfig;
  if (p.host_ip !== undefined) out.host_ip = p.host_ip;
  out.target = p.target;
  if (p.published !== undefined) out.published = p.published;
  out.protocol = p.protocol;
  if (p.name !== undefined) out.name = p.name;
  if (p.app_protocol !== undefined) out.app_protocol = p.app_protocol;
  return out;
}

function longPort(r: Reader, item: Record<string, unknown>, path: Path): PortConfig {
  const known = new Set([
    "target",
    "published",
    "host_ip",
    "protocol",
    "mode",
    "name",
    "app_protocol",
  ]);
  for (const key of Object.keys(item)) {
    if (!known.has(key)) {
      r.warn(`${r.sources.where([...path, key])}: unknown key '${key}' in ${label(path)}; ignored`);
    }
  }
  if (item.target === undefined) {
    throw fail(r, path, `${label(path)}: the long form needs 'target'`);
  }
  const port: PortConfig = {
    mode: "ingress",
    target: portNumber(r, item.target, [...path, "target"]),
    protocol: "tcp",
  };
  if (item.mode !== undefined) {
    const mode = str(r, item.mode, [...path, "mode"]);
    if (mode !== "ingress" && mode !== "host") {
      throw fail(r, [...path, "mode"], `${label(path)}.mode must be ingress or host`);
    }
    port.mode = mode;
  }
  if (item.host_ip !== undefined) port.host_ip = str(r, item.host_ip, [...path, "host_ip"]);
  if (item.published !== undefined && item.published !== null && item.published !== "") {
    const published = str(r, item.published, [...path, "published"]);
    parseRange(r, published, [...path, "published"]);
    port.published = published;
  }
  if (item.protocol !== undefined) {
    port.protocol = protocol(r, str(r, item.protocol, [...path, "protocol"]), [
      ...path,
      "protocol",
    ]);
  }
  if (item.name !== undefined) port.name = str(r, item.name, [...path, "name"]);
  if (item.app_protocol !== undefined) {
    port.app_protocol = str(r, item.app_protocol, [...path, "app_protocol"]);
  }
  return port;
}

function protocol(r: Reader, text: string, path: Path): PortConfig["protocol"] {
  const p = text.toLowerCase();
  if (!PROTOCOLS.has(p)) {
    throw fail(r, path, `${label(path)}: unknown protocol '${text}'`, "use tcp, udp or sctp");
  }
  return p as PortConfig["protocol"];
}

function portNumber(r: Reader, value: unknown, path: Path): number {
  const n = int(r, value, path);
  if (n < 1 || n > 65535) {
    throw fail(r, path, `${label(path)}: port ${n} is out of range (1-65535)`);
  }
  return n;
}

/** `8000` or `8000-8010` → [first, last]; `whole` is the entry as written, for the message. */
function parseRange(r: Reader, text: string, path: Path, whole = text): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const bad = (why: string) =>
    fail(
      r,
      path,
      `invalid port '${whole}': ${why}`,
      "write PORT, START-END, HOST:CONTAINER or IP:HOST:CONTAINER[/udp]",
    );
  if (!m) throw bad(`'${text}' is not a port or a range`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  if (first > 65535 || last > 65535) {
    throw bad(`${Math.max(first, last)} is out of range (1-65535)`);
  }
  if (last < first) throw bad(`the range '${text}' ends before it starts`);
  return [first, last];
}

function shortPort(r: Reader, item: unknown, path: Path): PortConfig[] {
  if (typeof item === "number") item = String(item);
  if (typeof item !== "string") throw fail(r, path, `${label(path)} must be a string or a mapping`);
  const bad = (why = "") =>
    fail(
      r,
      path,
      `invalid port '${item}'${why}`,
      "write PORT, START-END, HOST:CONTAINER or IP:HOST:CONTAINER[/udp]",
    );
  let spec = item.trim();
  let proto: PortConfig["protocol"] = "tcp";
  const slash = spec.lastIndexOf("/");
  if (slash >= 0) {
    proto = protocol(r, spec.slice(slash + 1), path);
    spec = spec.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (spec.startsWith("[")) {
    const end = spec.indexOf("]:");
    if (end < 0) throw bad();
    hostIp = spec.slice(1, end);
    spec = spec.slice(end + 2);
  }
  const parts = spec.split(":");
  if (parts.length === 3 && hostIp === undefined) hostIp = parts.shift();
  if (parts.length > 2 || (parts.length === 3 && hostIp !== undefined)) throw bad();
  const [hostText, containerText] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (!containerText) throw bad(": no container port");
  const [cFirst, cLast] = parseRange(r, containerText, path, item);
  if (cFirst < 1) throw bad(": port 0");
  const base = (target: number, published?: string): PortConfig => {
    const p: PortConfig = { mode: "ingress", target, protocol: proto };
    if (hostIp !== undefined && hostIp !== "") p.host_ip = hostIp;
    if (published !== undefined) p.published = published;
    return p;
  };
  const count = cLast - cFirst + 1;
  if (hostText === undefined || hostText === "") {
    return Array.from({ length: count }, (_, k) => base(cFirst + k));
  }
  const [hFirst, hLast] = parseRange(r, hostText, path, item);
  if (count === 1) return [base(cFirst, hostText)];
  if (hLast - hFirst + 1 !== count) throw bad(": the host and container ranges differ in length");
  return Array.from({ length: count }, (_, k) => base(cFirst + k, String(hFirst + k)));
}
