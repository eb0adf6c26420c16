// The only module that imports docker-modem. It turns an `Endpoint` into a modem and one
// request into a promise, mapping failures onto sentryctl's error categories.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import Modem from "docker-modem";
import { type EngineReason, SentryctlError } from "../errors.ts";
import type { Endpoint } from "./endpoint.ts";

export interface DialRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Status codes that count as success; others throw. */
  ok?: number[];
  stream?: boolean;
  signal?: AbortSignal;
  /** Sent as X-Registry-Auth on pulls. */
  registryAuth?: string;
  /** Raw request body (a tar archive for putArchive). */
  file?: Uint8Array;
  headers?: Record<string, string>;
}

/** Reads TLS material the way the docker CLI does: ca.pem, cert.pem, key.pem. */
function tlsFiles(certPath: string | undefined): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
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

/**
 * docker-modem's constructor also reads DOCKER_HOST/DOCKER_CERT_PATH from `process.env` on its
 * own (and throws when cert.pem is missing). The endpoint was already resolved from the inputs
 * we were given, so those variables are hidden while the modem is built.
 */
const MODEM_ENV = [
  "DOCKER_HOST",
  "DOCKER_CERT_PATH",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CLIENT_TIMEOUT",
  "DOCKER_PATH_PREFIX",
];

function withoutDockerEnv<T>(build: () => T): T {
  const saved = MODEM_ENV.map((k) => [k, process.env[k]] as const);
  for (const [k] of saved) delete process.env[k];
  try {
    return build();
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }
}

export function createModem(endpoint: Endpoint, timeoutMs?: number): Modem {
  if (endpoint.socketPath) {
    return withoutDockerEnv(() =>
      new Modem({ socketPath: endpoint.socketPath, timeout: timeoutMs })
    );
  }
  const tls = tlsFiles(endpoint.certPath);
  return withoutDockerEnv(() =>
    new Modem({
      host: endpoint.host,
      port: endpoint.port,
      protocol: endpoint.protocol,
      username: endpoint.username,
      timeout: timeoutMs,
      // ssh:// authenticates through the user's agent, as the docker CLI does.
      ...(endpoint.protocol === "ssh" ? { sshOptions: { agent: process.env.SSH_AUTH_SOCK } } : {}),
      ...tls,
    } as Modem.ConstructorOptions)
  );
}

export interface ModemError extends Error {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | string | null;
}

/** Connection-level failures: the daemon is not there, as opposed to answering with an error. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as ModemError | undefined)?.code;
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
    ].includes(code);
}

/** The engine's own message (`{"message": "..."}`), without docker-modem's decorations. */
export function engineMessage(err: ModemError): string {
  const json = err.json;
  if (json && typeof json === "object" && typeof json.message === "string") return json.message;
  if (typeof json === "string" && json.trim()) return json.trim();
  return err.message.replace(/^\(HTTP code \d+\) [a-z ]+- /, "").trim();
}

export function dial<T>(modem: Modem, request: DialRequest): Promise<T> {
  const statusCodes: Record<number, boolean> = {};
  for (const code of request.ok ?? [200, 201, 204]) statusCodes[code] = true;
  const hasQuery = request.query && Object.keys(request.query).length > 0;
  const options: Record<string, unknown> = {};
  if (hasQuery) options._query = request.query;
  // docker-modem sends `_body || options` as the POST body; an empty `_body` is dropped, which
  // keeps the query out of the body (the engine rejects bodies on some endpoints).
  if (request.method === "POST") options._body = request.body ?? {};
  return new Promise<T>((resolve, reject) => {
    modem.dial(
      {
        path: hasQuery || request.body !== undefined ? `${request.path}?` : request.path,
        method: request.method,
        options,
        statusCodes,
        isStream: request.stream ?? false,
        abortSignal: request.signal,
        headers: {
          ...(request.registryAuth ? { "X-Registry-Auth": request.registryAuth } : {}),
          ...request.headers,
        },
        file: request.file,
        allowEmpty: request.body !== undefined,
      } as unknown as Modem.DialOptions,
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as T)),
    );
  });
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
  const code = (err as ModemError | undefined)?.code;
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
  const e = err as ModemError;
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
