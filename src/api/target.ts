// Where `sentryctl api` sends a request and which credential goes with it (SPEC §6). Base: the
// local status server by default (the address a running `serve` recorded, else `status.bind`),
// `--url sentry` for `system.url-prefix`, or any URL. Token: `--token` > `SENTRY_AUTH_TOKEN` >
// `<state dir>/status-token`, each only where it belongs: the status token only to the local
// status server's origin, SENTRY_AUTH_TOKEN only to system.url-prefix's origin or the `--url`
// given, `--token` to the base's origin. The client sends it to no other origin (absolute paths,
// pagination links).

import { configError, usageError } from "../errors.ts";

export interface TargetInput {
  urlFlag?: string;
  tokenFlag?: string;
  env: Record<string, string | undefined>;
  statusBind: string;
  /** The origin a running `serve` recorded (wins over status.bind). */
  recordedUrl?: string;
  urlPrefix?: string;
  /** Reads the status-token file; undefined when it does not exist. */
  readStatusToken(): string | undefined;
}

export interface ApiTarget {
  baseUrl: string;
  token?: string;
  /** The only origin the token may be sent to. */
  tokenOrigin: string;
  tokenSource: "flag" | "env" | "status-token" | "none";
  isStatusServer: boolean;
  /** The local status server's origin (recorded, else status.bind). */
  statusOrigin: string;
}

/** `status.bind` as a URL a client can connect to (a wildcard bind is reached on loopback). */
export function statusBaseUrl(bind: string): string {
  const m = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(bind.trim());
  if (!m) throw configError(`status.bind must be HOST:PORT, got '${bind}'`);
  let host = m[1]!;
  if (host === "" || host === "0.0.0.0") host = "127.0.0.1";
  if (host === "[::]") host = "[::1]";
  return `http://${host}:${m[2]}`;
}

function origin(url: string): string {
  return new URL(url).origin;
}

function baseFor(input: TargetInput, statusUrl: string): string {
  if (input.urlFlag === undefined) return statusUrl;
  if (input.urlFlag !== "sentry") return input.urlFlag;
  if (!input.urlPrefix) {
    throw configError("--url sentry needs the option system.url-prefix", {
      hint: "sentryctl config set system.url-prefix https://sentry.example.com",
    });
  }
  return input.urlPrefix;
}

export function resolveTarget(input: TargetInput): ApiTarget {
  const statusUrl = input.recordedUrl ?? statusBaseUrl(input.statusBind);
  const baseUrl = baseFor(input, statusUrl);
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw usageError(`--url: not an http(s) URL: '${baseUrl}'`, {
      hint: "give a base like http://127.0.0.1:8990, or 'sentry' for system.url-prefix",
    });
  }
  const tokenOrigin = origin(baseUrl);
  const statusOrigin = origin(statusUrl);
  const isStatusServer = tokenOrigin === statusOrigin;
  const common = { baseUrl, tokenOrigin, isStatusServer, statusOrigin };
  if (input.tokenFlag !== undefined) {
    return { ...common, token: input.tokenFlag, tokenSource: "flag" };
  }
  const envToken = input.env.SENTRY_AUTH_TOKEN;
  let prefixOrigin: string | undefined;
  try {
    prefixOrigin = input.urlPrefix ? origin(input.urlPrefix) : undefined;
  } catch {
    prefixOrigin = undefined;
  }
  if (envToken && (input.urlFlag !== undefined || prefixOrigin === tokenOrigin)) {
    return { ...common, token: envToken, tokenSource: "env" };
  }
  if (isStatusServer) {
    const token = input.readStatusToken()?.trim();
    if (token) return { ...common, token, tokenSource: "status-token" };
  }
  return { ...common, tokenSource: "none" };
}
