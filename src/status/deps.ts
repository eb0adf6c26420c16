// What the status server needs from the outside world, as one interface. The app never talks
// to Docker, the clock or the file system itself, so every route can be tested in-process with
// a fake, and `serve`/`attach --status` plug in the Docker-backed source (docker-source.ts).

import type { ServiceStatus } from "../orchestrator/service-status.ts";
import type { DuplicateReason } from "./dedupe.ts";

/** One service as the status API shows it: the shared shape (schemas/service.schema.json). */
export type { ServiceStatus };

/** One CPU/memory sample of a running container, as the status server keeps and shows it
 * (computed from the engine's raw `EngineStats`). */
export interface UsageSample {
  /** Milliseconds since the epoch. */
  at: number;
  /** CPU use in percent of one core (can exceed 100 on several cores). */
  cpu_percent: number;
  memory_bytes: number;
}

/**
 * A line of a service's log stream; `restart` marks that the container (re)started; `notice`
 * says something about the stream itself (e.g. that earlier lines were left out).
 */
export type LogLine =
  | { kind: "line"; stream: "stdout" | "stderr"; text: string }
  | { kind: "restart"; at: number }
  | { kind: "notice"; text: string }
  | { kind: "end"; reason: string };

/** Lines of backlog a service's log stream starts with unless asked for more (`?tail=`). */
export const DEFAULT_LOG_TAIL = 1000;

export interface ServicesSource {
  /** The cached snapshot; must not call Docker per request. */
  list(): ServiceStatus[];
  /** Calls `onChange` after every change of the snapshot; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  /** Starts or stops the named service; throws SentryctlError on an unknown name. */
  setState(name: string, state: "running" | "stopped"): Promise<ServiceStatus>;
  /**
   * Follows a service's logs across restarts until `signal` aborts, starting with the last
   * `tail` lines already logged (the source's default when undefined; "all": every line).
   */
  logs(name: string, signal: AbortSignal, tail?: number | "all"): AsyncIterable<LogLine>;
  /** Samples a running service's stats until `signal` aborts. */
  stats(name: string, signal: AbortSignal): AsyncIterable<UsageSample>;
}

export interface StatusInfo {
  version: string;
  project: string;
  docker: { endpoint: string; version: string | null };
}

export interface StatusDeps {
  services: ServicesSource;
  info(): StatusInfo;
  /** Prometheus text exposition of sentryctl's metrics (the telemetry module's renderer). */
  renderMetrics(): string;
  /** The long-lived bearer token (the status-token file's content). */
  token: string;
  /** A one-time code for the `/?token=` link; exchanged once for a session cookie. */
  oneTimeCode?: string;
  /** Host names (without port) the server answers to; everything else gets 421. */
  allowedHosts: string[];
  now(): number;
  /** Called for each ingested item, e.g. to count it in metrics. */
  onIngest?(kind: string, projectId: string): void;
  /** Called for each envelope not stored because it repeats one already taken (dedupe.ts). */
  onDuplicate?(reason: DuplicateReason): void;
  limits?: Partial<IngestLimits>;
  /** Ring buffer capacity (count and bytes). */
  buffer?: { maxEvents?: number; maxBytes?: number };
  /** The inbox journal (in the state directory); without it the inbox lives in memory only. */
  journalPath?: string;
  onJournalError?(err: Error): void;
  /** The directory `PUT /contextlines` reads and `POST /open` opens files from. */
  sourceRoot?: string;
  /** True when the server listens on loopback only (`POST /open` needs it). */
  loopback?: boolean;
  /** Where `$SENTRYCTL_EDITOR`/`$EDITOR` come from. */
  editorEnv?: Record<string, string | undefined>;
  /** Starts a detached program (the editor). */
  launch?(argv: string[]): Promise<void>;
}

export interface IngestLimits {
  /** Largest event (a /store/ body or one event item), decompressed. */
  eventBytes: number;
  /** Largest envelope, decompressed. */
  envelopeBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  eventBytes: 1024 * 1024,
  envelopeBytes: 20 * 1024 * 1024,
};
