// Finds a Docker engine that answers: tries each candidate endpoint with a short ping and
// returns a client for the first. When none answers, one error lists everything tried (exit 4).
// With a single candidate (DOCKER_HOST, a context, or the one socket that exists) the command's
// first request doubles as the ping: one round trip less for every command.

import { SentryctlError } from "../errors.ts";
import { DockerClient } from "./client.ts";
import type { Engine } from "./engine.ts";
import { candidateEndpoints, type Endpoint, type EndpointFs, realFs } from "./endpoint.ts";
import { fetchReaches, fetchTransport } from "./fetch-transport.ts";
import { modemTransport } from "./modem.ts";
import { type DialRequest, isConnectionError, isTlsError, type Transport } from "./transport.ts";
import { socketFetch } from "../runtime/adapter.ts";

export interface Attempt {
  endpoint: Endpoint;
  ok: boolean;
  error?: string;
  /** The failure was a certificate or TLS handshake problem. */
  tls?: boolean;
}

const PING_TIMEOUT_MS = 3000;

/** Fetch where the runtime can dial the endpoint with it, docker-modem for the rest. */
export function transportFor(endpoint: Endpoint): Transport {
  const fetchFn = socketFetch();
  if (fetchFn && fetchReaches(endpoint)) {
    return fetchTransport(endpoint, fetchFn);
  }
  return modemTransport(endpoint);
}

export async function tryEndpoint(
  endpoint: Endpoint,
): Promise<{ client?: DockerClient; error?: string; tls?: boolean }> {
  const client = new DockerClient(endpoint, transportFor(endpoint));
  const signal = AbortSignal.timeout(PING_TIMEOUT_MS);
  try {
    await client.ping(signal);
    return { client };
  } catch (err) {
    return { error: failureReason(err, signal.aborted), tls: isTlsError(err) };
  }
}

/**
 * The usual socket failures in plain words: the runtimes' own texts differ (Bun's fetch says
 * "Was there a typo in the url or port?" about a unix socket nobody listens on).
 */
const SOCKET_FAILURES: Record<string, string> = {
  ENOENT: "no such socket",
  ECONNREFUSED: "connection refused (nothing listens there)",
  EACCES: "permission denied (is this user allowed to use the Docker socket?)",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENOTFOUND: "host not found",
};

function failureReason(err: unknown, timedOut: boolean): string {
  const e = err as Error & { code?: string };
  if (timedOut) return `no answer within ${PING_TIMEOUT_MS / 1000}s`;
  const plain = e.code ? SOCKET_FAILURES[e.code] : undefined;
  if (plain) return `${e.code}: ${plain}`;
  return e.code ? `${e.code}: ${e.message}` : e.message;
}

/**
 * The transport of a client that was not pinged. Until a request has been answered, a
 * connection or TLS failure (or, for a GET, no answer within the ping's deadline) is reported
 * exactly as a failed ping would be; a first request that changes something waits for a real
 * ping, so nothing is sent to an engine that may not be there.
 */
export function firstContact(endpoint: Endpoint, inner: Transport): Transport {
  let proven = false;
  let ping: Promise<unknown> | undefined;
  const contact = async <T>(request: DialRequest): Promise<T> => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), PING_TIMEOUT_MS);
    const signal = request.signal
      ? AbortSignal.any([request.signal, deadline.signal])
      : deadline.signal;
    try {
      const answer = await inner.request<T>({ ...request, signal });
      proven = true;
      return answer;
    } catch (err) {
      const timedOut = deadline.signal.aborted && !request.signal?.aborted;
      if (timedOut || isConnectionError(err) || isTlsError(err)) {
        throw unreachable([{
          endpoint,
          ok: false,
          error: failureReason(err, timedOut),
          tls: isTlsError(err),
        }]);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async request<T>(request: DialRequest): Promise<T> {
      if (proven) return inner.request<T>(request);
      if (request.method === "GET" && !request.stream) return contact<T>(request);
      ping ??= contact({ method: "GET", path: "/_ping" });
      await ping;
      return inner.request<T>(request);
    },
  };
}

export async function connectDocker(
  env: Record<string, string | undefined>,
  home: string,
  fs: EndpointFs = realFs,
): Promise<Engine> {
  const candidates = candidateEndpoints(env, home, fs);
  if (candidates.length === 1) {
    const endpoint = candidates[0]!;
    return new DockerClient(endpoint, firstContact(endpoint, transportFor(endpoint)));
  }
  const attempts: Attempt[] = [];
  for (const endpoint of candidates) {
    const { client, error, tls } = await tryEndpoint(endpoint);
    if (client) return client;
    attempts.push({ endpoint, ok: false, error, tls });
  }
  throw unreachable(attempts);
}

export function describeEndpoint(endpoint: Endpoint): string {
  const from = endpoint.source === "DOCKER_HOST"
    ? "from DOCKER_HOST"
    : endpoint.source === "context"
    ? `from docker context '${endpoint.context}'`
    : "probed";
  return `${endpoint.url} (${from})`;
}

function unreachable(attempts: Attempt[]): SentryctlError {
  const lines = attempts.map((a) => `  - ${describeEndpoint(a.endpoint)}: ${a.error}`);
  const viaHost = attempts.some((a) => a.endpoint.source === "DOCKER_HOST");
  return new SentryctlError("docker_unavailable", "Cannot connect to the Docker engine. Tried:", {
    details: lines.join("\n"),
    hint: attempts.some((a) => a.tls)
      ? "the TLS handshake failed: check the certificates in DOCKER_CERT_PATH (ca.pem must be " +
        "the CA that signed the engine's certificate; cert.pem/key.pem the client's)"
      : viaHost
      ? "DOCKER_HOST is set, so only that endpoint is used; unset it or point it at a running engine"
      : "start Docker (Docker Desktop, colima, OrbStack or dockerd), or set DOCKER_HOST",
  });
}
