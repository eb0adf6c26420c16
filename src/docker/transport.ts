// One request to the Docker Engine API, whatever carries it. `DockerClient` speaks in
// `DialRequest`s and a `Transport` sends them: the runtime's socket-capable fetch where there is
// one (fetch-transport.ts) and docker-modem otherwise (modem.ts). Failures from both take one
// shape, `TransportError`, and are mapped here onto sentryctl's error categories by status code
// and error code, never by message text.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type EngineReason, SentryctlError } from "../errors.ts";

export interface DialRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Status codes that count as success; others throw. */
  ok?: number[];
  /** Answer with the open response body (a Readable) instead of its parsed content. */
  stream?: boolean;
  signal?: AbortSignal;
  /** Sent as X-Registry-Auth on pulls. */
  registryAuth?: string;
  /** Raw request body (a tar archive for putArchive). */
  file?: Uint8Array;
  headers?: Record<string, string>;
}

export interface Transport {
  request<T>(request: DialRequest): Promise<T>;
}

/** A failed request: HTTP status and the engine's JSON answer, or a socket/TLS error code. */
export interface TransportError extends Error {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | string | null;
}

/**
 * The query string the Engine API expects, as docker-modem builds it: objects (filters) as
 * JSON, arrays as repeated keys, everything else as its string form.
 */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) { for (const v of value) params.append(key, String(v)); }
    else if (value && typeof value === "object") params.append(key, JSON.stringify(value));
    else params.append(key, value === undefined || value === null ? "" : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Reads TLS material the way the docker CLI does: ca.pem, cert.pem, key.pem. */
export function tlsFiles(
  certPath: string | undefined,
): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if (!certPath) return {};
  const read = (name: string) => {
    try {
      return readFileSync(join(certPath, name));
    } catch {
      return undefined;
    }
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
}

/** Connection-level failures: the daemon is not there, as opposed to answering with an error. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as TransportError | undefined)?.code;
  return code !== undefined &&
    [
      "ENOENT",
      "ECONNREFUSED",
      "EACCES",
      "ECONNRESET",
      "EHOSTUNREACH",
      "ETIMEDOUT",
      "ENOTFOUND",
      "EPIPE",
      "FailedToOpenSocket",
      "ConnectionRefused",
      "ConnectionClosed",
    ].includes(code);
}

/** The engine's own message (`{"message": "..."}`), without docker-modem's decorations. */
export function engineMessage(err: TransportError): string {
  const json = err.json;
  if (json && typeof json === "object" && typeof json.message === "string") return json.message;
  if (typeof json === "string" && json.trim()) return json.trim();
  return err.message.replace(/^\(HTTP code \d+\) [a-z ]+- /, "").trim();
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);

/** A certificate or TLS handshake failure, told apart by its error code. */
export function isTlsError(err: unknown): boolean {
  const code = (err as TransportError | undefined)?.code;
  return code !== undefined && (TLS_CODES.has(code) || /^ERR_TLS_|^ERR_SSL_|CERT/.test(code));
}

export function reasonForStatus(status: number | undefined): EngineReason {
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 401 || status === 403) return "denied";
  if (status !== undefined && status >= 400 && status < 500) return "bad_request";
  return "server";
}

/** A Docker API failure as a categorized error with its status code and reason kind. */
export function apiError(err: unknown, action: string): SentryctlError {
  // Already told (the engine could not be reached at all: src/docker/connect.ts).
  if (err instanceof SentryctlError) return err;
  const e = err as TransportError;
  if (isTlsError(e)) {
    return new SentryctlError(
      "docker_unavailable",
      `TLS to the Docker engine failed while trying to ${action}: ${e.code}: ${e.message}`,
      {
        cause: err,
        reason: "tls",
        hint: "check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY",
      },
    );
  }
  if (isConnectionError(e)) {
    return new SentryctlError(
      "docker_unavailable",
      `Docker stopped answering while trying to ${action}: ${e.message}`,
      {
        cause: err,
        reason: "unavailable",
        hint: "check that the Docker engine is still running",
      },
    );
  }
  const status = e.statusCode;
  return new SentryctlError("docker_api", `Docker could not ${action}: ${engineMessage(e)}`, {
    cause: err,
    statusCode: status,
    reason: reasonForStatus(status),
    hint: status === undefined ? undefined : `the Docker Engine API answered HTTP ${status}`,
  });
}
