// The docker-modem transport: ssh:// endpoints, streamed bodies (logs, pulls, events, exec
// output), and runtimes whose fetch cannot reach a unix socket (Deno). docker-modem and what it
// pulls in (ssh2, node:http, node:crypto) are imported only when this transport is first built,
// so commands that never stream on Bun never load them.

import type Modem from "docker-modem";
import type { Endpoint } from "./endpoint.ts";
import { type DialRequest, tlsFiles, type Transport } from "./transport.ts";

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

async function createModem(endpoint: Endpoint): Promise<Modem> {
  const { default: ModemClass } = await import("docker-modem");
  if (endpoint.socketPath) {
    return withoutDockerEnv(() => new ModemClass({ socketPath: endpoint.socketPath }));
  }
  const tls = tlsFiles(endpoint.certPath);
  return withoutDockerEnv(() =>
    new ModemClass({
      host: endpoint.host,
      port: endpoint.port,
      protocol: endpoint.protocol,
      username: endpoint.username,
      // ssh:// authenticates through the user's agent, as the docker CLI does.
      ...(endpoint.protocol === "ssh" ? { sshOptions: { agent: process.env.SSH_AUTH_SOCK } } : {}),
      ...tls,
    } as Modem.ConstructorOptions)
  );
}

function dial<T>(modem: Modem, request: DialRequest): Promise<T> {
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

/** A transport over docker-modem; the modem is built on the first request. */
export function modemTransport(endpoint: Endpoint): Transport {
  let modem: Promise<Modem> | undefined;
  return {
    async request<T>(request: DialRequest): Promise<T> {
      modem ??= createModem(endpoint);
      return dial<T>(await modem, request);
    },
  };
}
