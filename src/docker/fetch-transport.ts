// The Docker transport over the runtime's own fetch (Bun: unix sockets, TCP and TLS natively).
// Streamed answers (logs, pulls, events, exec output: Docker hijacks the connection and the body
// runs until it closes) come back as a Readable over the response body. Failures are raised as
// `TransportError`s, the same shape docker-modem raises.

import type { SocketFetch, SocketFetchInit } from "../runtime/adapter.ts";
import type { Endpoint } from "./endpoint.ts";
import {
  type DialRequest,
  queryString,
  tlsFiles,
  type Transport,
  type TransportError,
} from "./transport.ts";
import { jsonOrText } from "../lib/values.ts";

/** Whether fetch can carry requests to this endpoint (ssh:// it cannot). */
export function fetchReaches(endpoint: Endpoint): boolean {
  return endpoint.socketPath !== undefined || endpoint.protocol === "http" ||
    endpoint.protocol === "https";
}

function baseUrl(endpoint: Endpoint): string {
  if (endpoint.socketPath) return "http://docker";
  const host = endpoint.host?.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.protocol}://${host}:${endpoint.port}`;
}

/** A refused request: the engine's `{"message": …}` answer, or its text when not JSON. */
function failure(status: number, text: string): TransportError {
  const json = (jsonOrText(text) ?? null) as TransportError["json"];
  const message = json && typeof json === "object" && typeof json.message === "string"
    ? json.message
    : text.trim() || `HTTP ${status}`;
  return Object.assign(new Error(message), { statusCode: status, json });
}

export function fetchTransport(endpoint: Endpoint, fetchFn: SocketFetch): Transport {
  const base = baseUrl(endpoint);
  let tls: SocketFetchInit["tls"] | undefined;
  if (endpoint.protocol === "https" && !endpoint.socketPath) tls = tlsFiles(endpoint.certPath);
  return {
    async request<T>(request: DialRequest): Promise<T> {
      const headers: Record<string, string> = { ...request.headers };
      if (request.registryAuth) headers["X-Registry-Auth"] = request.registryAuth;
      let body: BodyInit | undefined;
      if (request.file) {
        body = request.file as Uint8Array<ArrayBuffer>;
      } else if (request.method === "POST" || request.body !== undefined) {
        body = JSON.stringify(request.body ?? {});
        headers["Content-Type"] = "application/json";
      }
      const init: SocketFetchInit = {
        method: request.method,
        headers,
        body,
        signal: request.signal,
        // No idle deadline (Bun's default is 5 minutes): `logs -f` and event streams stay quiet
        // for as long as the containers do; callers bound their waits with the signal.
        timeout: false,
      };
      if (endpoint.socketPath) init.unix = endpoint.socketPath;
      if (tls) init.tls = tls;
      const response = await fetchFn(`${base}${request.path}${queryString(request.query)}`, init);
      if (!(request.ok ?? [200, 201, 204]).includes(response.status)) {
        throw failure(response.status, await response.text());
      }
      if (request.stream) {
        const { Readable } = await import("node:stream");
        const body = response.body ?? new Response("").body!;
        return Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]) as T;
      }
      return jsonOrText(await response.text()) as T;
    },
  };
}
