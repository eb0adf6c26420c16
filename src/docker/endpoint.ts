// Which Docker endpoint to talk to (SPEC §3): `DOCKER_HOST` > the docker CLI's current context
// > probing the usual sockets. Pure: environment, home and file access are parameters, so the
// order is unit-tested without a daemon.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../lib/hash.ts";

export type EndpointSource = "DOCKER_HOST" | "context" | "probe";

export interface Endpoint {
  /** Where the endpoint came from, shown in errors and `doctor`. */
  source: EndpointSource;
  /** As the user would write it: `unix:///var/run/docker.sock`, `tcp://h:2376`. */
  url: string;
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https" | "ssh";
  /** TLS material directory (`DOCKER_CERT_PATH` or the context's TLS store). */
  certPath?: string;
  tlsVerify?: boolean;
  username?: string;
  /** The context name, when the endpoint came from one. */
  context?: string;
}

export interface EndpointFs {
  exists(path: string): boolean;
  readText(path: string): string | undefined;
}

export const realFs: EndpointFs = {
  exists: existsSync,
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

/**
 * Whether the engine runs on this host (reached over a unix socket or a Windows named pipe): it
 * sees this host's files as they are (bind mounts) and its networks' bridges are this host's.
 * Undefined (a test's engine without one) is not local.
 */
export function isLocalEndpoint(endpoint: Endpoint | undefined): boolean {
  return endpoint?.socketPath !== undefined || endpoint?.url.startsWith("npipe://") === true;
}

/** Parses a `DOCKER_HOST`-style URL into an endpoint. */
export function parseDockerHost(
  url: string,
  source: EndpointSource,
  env: Record<string, string | undefined>,
): Endpoint {
  if (url.startsWith("unix://")) {
    return { source, url, socketPath: url.slice("unix://".length) || "/var/run/docker.sock" };
  }
  if (url.startsWith("ssh://")) {
    const parsed = new URL(url);
    return {
      source,
      url,
      protocol: "ssh",
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 22,
      username: parsed.username || undefined,
    };
  }
  const withScheme = /^[a-z]+:\/\//.test(url) ? url : `tcp://${url}`;
  const parsed = new URL(withScheme.replace(/^tcp:/, "http:"));
  const port = parsed.port ? Number(parsed.port) : 2375;
  const certPath = env.DOCKER_CERT_PATH || undefined;
  const tlsVerify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" &&
    env.DOCKER_TLS_VERIFY !== "0";
  const https = tlsVerify || port === 2376 || withScheme.startsWith("https:");
  return {
    source,
    url,
    host: parsed.hostname,
    port,
    protocol: https ? "https" : "http",
    certPath,
    tlsVerify,
  };
}

/** The docker CLI's current context, if one other than `default` is selected. */
export function contextEndpoint(
  env: Record<string, string | undefined>,
  home: string,
  fs: EndpointFs,
): Endpoint | undefined {
  const configDir = env.DOCKER_CONFIG || join(home, ".docker");
  let name = env.DOCKER_CONTEXT;
  if (!name) {
    const text = fs.readText(join(configDir, "config.json"));
    if (!text) return undefined;
    try {
      name = (JSON.parse(text) as { currentContext?: string }).currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === "default") return undefined;
  const digest = sha256Hex(name);
  const metaText = fs.readText(join(configDir, "contexts", "meta", digest, "meta.json"));
  if (!metaText) return undefined;
  try {
    const meta = JSON.parse(metaText) as {
      Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
    };
    const host = meta.Endpoints?.docker?.Host;
    if (!host) return undefined;
    const tlsDir = join(configDir, "contexts", "tls", digest, "docker");
    const endpoint = parseDockerHost(host, "context", {});
    endpoint.context = name;
    if (fs.exists(join(tlsDir, "ca.pem")) || fs.exists(join(tlsDir, "cert.pem"))) {
      endpoint.certPath = tlsDir;
      endpoint.protocol = endpoint.protocol === "http" ? "https" : endpoint.protocol;
      endpoint.tlsVerify = !meta.Endpoints?.docker?.SkipTLSVerify;
    }
    return endpoint;
  } catch {
    return undefined;
  }
}

/** Sockets probed when neither `DOCKER_HOST` nor a context names an endpoint, in order. */
export function probeSockets(env: Record<string, string | undefined>, home: string): string[] {
  const paths = ["/var/run/docker.sock"];
  if (env.XDG_RUNTIME_DIR) paths.push(join(env.XDG_RUNTIME_DIR, "docker.sock"));
  paths.push(
    join(home, ".docker/run/docker.sock"),
    join(home, ".colima/default/docker.sock"),
    join(home, ".orbstack/run/docker.sock"),
  );
  // Podman's Docker-compatible API, after every Docker socket.
  if (env.XDG_RUNTIME_DIR) paths.push(join(env.XDG_RUNTIME_DIR, "podman/podman.sock"));
  paths.push("/run/podman/podman.sock");
  return paths;
}

/**
 * The endpoints to try, in order. `DOCKER_HOST` or a context is authoritative: when set, it is
 * the only candidate (silently falling back elsewhere would talk to the wrong daemon).
 */
export function candidateEndpoints(
  env: Record<string, string | undefined>,
  home: string,
  fs: EndpointFs = realFs,
): Endpoint[] {
  if (env.DOCKER_HOST) return [parseDockerHost(env.DOCKER_HOST, "DOCKER_HOST", env)];
  const fromContext = contextEndpoint(env, home, fs);
  if (fromContext) return [fromContext];
  const sockets = probeSockets(env, home);
  const existing = sockets.filter((p) => fs.exists(p));
  // Nothing exists: still report every path we looked at.
  return (existing.length > 0 ? existing : sockets).map((socketPath) => ({
    source: "probe" as const,
    url: `unix://${socketPath}`,
    socketPath,
  }));
}
