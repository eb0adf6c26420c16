// The environment `with` hands to its command (SPEC §4): where each service listens, as
// `SENTRY_<SVC>_HOST`, `SENTRY_<SVC>_PORT` (the first published port) and
// `SENTRY_<SVC>_PORT_<containerport>`, plus the connection URLs clients read directly.

/** One published port of a running service, as the engine reported it. */
export interface PublishedPort {
  /** Container side, e.g. `6379/tcp`. */
  containerPort: string;
  hostIp: string;
  hostPort: number;
}

export interface ServiceEndpoint {
  service: string;
  /** In the order the service declares its ports; the first one is `SENTRY_<SVC>_PORT`. */
  ports: PublishedPort[];
}

/** `redis-cluster` → `REDIS_CLUSTER`: upper case, anything not a letter or digit → `_`. */
export function envName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** A host as a client connects to it: a wildcard bind is reached on loopback. */
export function connectHost(hostIp: string): string {
  if (hostIp === "" || hostIp === "0.0.0.0") return "127.0.0.1";
  if (hostIp === "::") return "::1";
  return hostIp;
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `6379/tcp` → `6379`; a non-TCP port keeps its protocol: `8125/udp` → `8125_UDP`. */
function portSuffix(containerPort: string): string {
  const [port, proto = "tcp"] = containerPort.split("/");
  return proto === "tcp" ? port! : `${port}_${proto.toUpperCase()}`;
}

/** The well-known URLs: only for the services that are included, only with a port. */
const URLS: Record<string, { name: string; url: (host: string, port: number) => string }> = {
  redis: { name: "SENTRY_REDIS_URL", url: (h, p) => `redis://${hostPort(h, p)}/0` },
  postgres: {
    name: "SENTRY_POSTGRES_URL",
    // The catalog's postgres trusts local connections and creates the `sentry` database.
    url: (h, p) => `postgresql://postgres@${hostPort(h, p)}/sentry`,
  },
  kafka: { name: "SENTRY_KAFKA_BOOTSTRAP_SERVERS", url: (h, p) => hostPort(h, p) },
};

export function serviceEnv(endpoints: readonly ServiceEndpoint[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { service, ports } of endpoints) {
    const first = ports[0];
    if (!first) continue;
    const prefix = `SENTRY_${envName(service)}`;
    const host = connectHost(first.hostIp);
    env[`${prefix}_HOST`] = host;
    env[`${prefix}_PORT`] = String(first.hostPort);
    for (const p of ports) {
      env[`${prefix}_PORT_${portSuffix(p.containerPort)}`] = String(p.hostPort);
    }
    const known = URLS[service];
    if (known) env[known.name] = known.url(host, first.hostPort);
  }
  return env;
}
