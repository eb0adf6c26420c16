// Where `sentryctl api` sends a request and with which token (SPEC §6). Base: the local status
// server (`status.bind`) by default, `--url sentry` for `system.url-prefix`, or any URL. Token:
// `--token` > `SENTRY_AUTH_TOKEN` > `<state dir>/status-token`, the last only when the base is
// the local status server (its token must never be sent anywhere else).

import { configError, usageError } from "../errors.ts";

export interface TargetInput {
  urlFlag?: string;
  tokenFlag?: string;
  env: Record<string, string | undefined>;
  statusBind: string;
  urlPrefix?: string;
  /** Reads the status-token file; undefined when it does not exist. */
  readStatusToken(): string | undefined;
}

export interface ApiTarget {
  baseUrl: string;
  token?: string;
  tokenSource: "flag" | "env" | "status-token" | "none";
  isStatusServer: boolean;
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

export function resolveTarget(input: TargetInput): ApiTarget {
  const statusUrl = statusBaseUrl(input.statusBind);
  let baseUrl: string;
  if (input.urlFlag === undefined) {
    baseUrl = statusUrl;
  } else if (input.urlFlag === "sentry") {
    if (!input.urlPrefix) {
      throw configError("--url sentry needs the option system.url-prefix", {
        hint: "sentryctl config set system.url-prefix https://sentry.example.com",
      });
    }
    baseUrl = input.urlPrefix;
  } else {
    baseUrl = input.urlFlag;
  }
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw usageError(`--url: not an http(s) URL: '${baseUrl}'`, {
      hint: "give a base like http://127.0.0.1:8990, or 'sentry' for system.url-prefix",
    });
  }
  const isStatusServer = origin(baseUrl) === origin(statusUrl);
  if (input.tokenFlag !== undefined) {
    return { baseUrl, token: input.tokenFlag, tokenSource: "flag", isStatusServer };
  }
  if (input.env.SENTRY_AUTH_TOKEN) {
    return { baseUrl, token: input.env.SENTRY_AUTH_TOKEN, tokenSource: "env", isStatusServer };
  }
  if (isStatusServer) {
    const token = input.readStatusToken()?.trim();
    if (token) return { baseUrl, token, tokenSource: "status-token", isStatusServer };
  }
  return { baseUrl, tokenSource: "none", isStatusServer };
}
