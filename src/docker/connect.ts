// Finds a Docker engine that answers: tries each candidate endpoint with a short ping and
// returns a client for the first. When none answers, one error lists everything tried (exit 4).

import { SentryctlError } from "../errors.ts";
import { DockerClient } from "./client.ts";
import type { Engine } from "./engine.ts";
import { candidateEndpoints, type Endpoint, type EndpointFs, realFs } from "./endpoint.ts";
import { createModem, isTlsError } from "./modem.ts";

export interface Attempt {
  endpoint: Endpoint;
  ok: boolean;
  error?: string;
  /** The failure was a certificate or TLS handshake problem. */
  tls?: boolean;
}

const PING_TIMEOUT_MS = 3000;

export async function tryEndpoint(
  endpoint: Endpoint,
): Promise<{ client?: DockerClient; error?: string; tls?: boolean }> {
  const modem = createModem(endpoint);
  const client = new DockerClient(endpoint, modem);
  const signal = AbortSignal.timeout(PING_TIMEOUT_MS);
  try {
    await client.ping(signal);
    return { client };
  } catch (err) {
    const e = err as Error & { code?: string };
    const reason = signal.aborted
      ? `no answer within ${PING_TIMEOUT_MS / 1000}s`
      : e.code
      ? `${e.code}: ${e.message}`
      : e.message;
    return { error: reason, tls: isTlsError(err) };
  }
}

export async function connectDocker(
  env: Record<string, string | undefined>,
  home: string,
  fs: EndpointFs = realFs,
): Promise<Engine> {
  const attempts: Attempt[] = [];
  for (const endpoint of candidateEndpoints(env, home, fs)) {
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
