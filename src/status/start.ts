// Wires a running status server: token file, Docker-backed services (or none when Docker does
// not answer: ingest and the inbox still work), the Hono app, and the listening socket through
// the runtime adapter. Shared by `sentryctl serve` and `attach --status`.

import { join } from "node:path";
import type { Engine } from "../docker/engine.ts";
import type { ServiceSet } from "../services/resolve.ts";
import type { StackScope } from "../orchestrator/scope.ts";
import { getProcessRegistry, renderPrometheus } from "../metrics/prometheus.ts";
import { serve } from "../runtime/adapter.ts";
import { VERSION } from "../version.ts";
import { createStatusApp, type StatusApp } from "./app.ts";
import { type BindAddress, hostForUrl, isLoopback } from "./bind.ts";
import type { ServicesSource, StatusInfo } from "./deps.ts";
import { DockerServices } from "./docker-source.ts";
import { IngestCounters } from "./metrics.ts";
import { defaultAllowedHosts } from "./security.ts";
import { loadOrCreateToken, newSecret } from "./token.ts";
import { type Clock, realClock } from "../runtime/clock.ts";

export interface StartOptions {
  bind: BindAddress;
  stateDir: string;
  project: string;
  /** Which containers are the stack's (default the catalog's; ./docker-source.ts). */
  scope?: StackScope;
  serviceNames: string[];
  serviceImages?: Record<string, string>;
  services?: ServiceSet;
  containerName(service: string): string;
  /** Creates a missing service's container (project files; ./docker-source.ts). */
  create?: (service: string) => Promise<void>;
  /** Extra allowed Host names (`status.allowed-hosts`). */
  allowedHosts: string[];
  docker?: Engine;
  /** Time for the server (item ages, uptimes, pauses); default: real time. */
  clock?: Clock;
  /** Replaces the built-in counters with the telemetry renderer when given. */
  renderMetrics?: () => string;
  /** The process environment (the editor for `POST /open`). */
  env?: Record<string, string | undefined>;
  /** The source root for `/contextlines` and `/open` (the directory serve started in). */
  cwd?: string;
  /** Keep the inbox in memory only (no journal in the state directory). */
  ephemeral?: boolean;
  /** Told about a failed journal write. */
  warn?: (message: string) => void;
}

export interface StartedStatus {
  url: string;
  dsn: string;
  /** The one-time dashboard link. */
  link: string;
  tokenPath: string;
  status: StatusApp;
  stop(): Promise<void>;
}

const NO_SERVICES: ServicesSource = {
  list: () => [],
  subscribe: () => () => {},
  setState: (name) => Promise.reject(new Error(`no Docker engine for ${name}`)),
  logs: async function* () {},
  stats: async function* () {},
};

export async function startStatusServer(opts: StartOptions): Promise<StartedStatus> {
  const { token, path: tokenPath } = loadOrCreateToken(opts.stateDir);
  const oneTimeCode = newSecret(16);
  let services: ServicesSource = NO_SERVICES;
  let dockerSource: DockerServices | undefined;
  let dockerVersion: string | null = null;
  if (opts.docker) {
    dockerSource = new DockerServices(opts.docker, opts);
    await dockerSource.start();
    services = dockerSource;
    dockerVersion = await opts.docker.version().then((v) => v.Version).catch(() => null);
  }
  const info: StatusInfo = {
    version: VERSION,
    project: opts.project,
    docker: {
      endpoint: opts.docker?.endpoint.url ?? "none",
      version: dockerVersion,
    },
  };
  const counters = new IngestCounters();
  const status = createStatusApp({
    services,
    info: () => info,
    // The server's own ingest counters, then whatever the process's Prometheus registry holds
    // (filled when SENTRY_METRICS_BACKEND selects the prometheus backend): one exposition.
    renderMetrics: opts.renderMetrics ??
      (() => counters.render() + renderPrometheus(getProcessRegistry())),
    token,
    oneTimeCode,
    allowedHosts: defaultAllowedHosts(
      opts.bind.host,
      opts.allowedHosts.map((h) => h.replace(/^\[|\]$/g, "")),
    ),
    now: () => (opts.clock ?? realClock).now(),
    onIngest: (kind) => counters.add(kind),
    onDuplicate: (reason) => counters.duplicate(reason),
    journalPath: opts.ephemeral ? undefined : join(opts.stateDir, "inbox.journal"),
    onJournalError: (err) => opts.warn?.(`inbox journal: ${err.message}`),
    sourceRoot: opts.cwd ?? ".",
    loopback: isLoopback(opts.bind.host),
    editorEnv: opts.env ?? {},
    launch: async (argv) => {
      const { launchDetached } = await import("../runtime/detached.ts");
      await launchDetached(argv, opts.env ?? {});
    },
  });
  status.inbox.restore();
  const server = await serve(status.fetch, { hostname: opts.bind.host, port: opts.bind.port });
  const shown = opts.bind.host === "0.0.0.0" || opts.bind.host === "::"
    ? "127.0.0.1"
    : opts.bind.host;
  const base = `${hostForUrl(shown)}:${server.port}`;
  return {
    url: `http://${base}/`,
    dsn: `http://sentryctl@${base}/1`,
    link: `http://${base}/?token=${oneTimeCode}`,
    tokenPath,
    status,
    stop: async () => {
      dockerSource?.close();
      await server.stop();
      await status.inbox.close();
    },
  };
}
