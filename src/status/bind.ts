// Parsing of a status bind address (`--bind`, `status.bind`): `HOST:PORT`, `[V6]:PORT`, `PORT`
// or `HOST` (port 8990). The URL form prints IPv6 hosts in brackets.

import { usageError } from "../errors.ts";

export const DEFAULT_PORT = 8990;

export interface BindAddress {
  host: string;
  port: number;
}

export function parseBind(value: string): BindAddress {
  const v = value.trim();
  let host = v;
  let port = String(DEFAULT_PORT);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (v6) {
    host = v6[1]!;
    port = v6[2] ?? port;
  } else if (/^\d+$/.test(v)) {
    host = "127.0.0.1";
    port = v;
  } else if ((v.match(/:/g) ?? []).length === 1) {
    [host, port] = v.split(":") as [string, string];
  }
  const n = Number(port);
  if (host === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw usageError(`invalid bind address '${value}'`, {
      hint: "use HOST:PORT, e.g. 127.0.0.1:8990 or [::1]:8990",
    });
  }
  return { host, port: n };
}

export function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
