// The Engine: everything sentryctl asks of a container engine, as one interface. The
// docker-modem client (client.ts) is the real implementation; tests/helpers/fake-engine.ts is an
// in-memory one, so plans, execution, attach and log following get unit tests.
//
// Conventions every implementation keeps:
// - lookups (`inspect*`) answer `undefined` for "does not exist", never throw for it;
// - idempotent calls treat "already done" as success (start of a running container, stop of a
//   stopped or missing one, remove of a missing one, create of a network that now exists);
// - failures are `SentryctlError`s carrying `statusCode` and a structured `reason`
//   (see errors.ts) — callers branch on those, never on message text.

import type { Readable } from "node:stream";
import type { Endpoint } from "./endpoint.ts";
import type {
  ContainerInspect,
  ContainerSummary,
  CreateContainerBody,
  EngineEvent,
  EngineStats,
  ExecInspect,
  ImageInspect,
  NetworkInspect,
  PullProgress,
  VersionInfo,
  VolumeInspect,
} from "./types.ts";

export interface LogsOptions {
  follow: boolean;
  /** Unix seconds or `<sec>.<nanos>`. */
  since?: number | string;
  tail?: number | "all";
  timestamps?: boolean;
  signal?: AbortSignal;
  /** Read through the lean HTTP reader where the endpoint allows (attach's follow). */
  lean?: boolean;
}

/** A running exec's two directions (see `Engine.startExecAttached`). */
export interface ExecStream extends AsyncIterable<Uint8Array> {
  /** Sends input; resolves once the connection can take more (back-pressure). */
  send(data: Uint8Array): Promise<void>;
  /** The input is over: the command reads end-of-file. */
  endInput(): void;
  destroy(): void;
}

export interface EventsOptions {
  /** Only events of containers carrying all these labels (`key=value` or `key`). */
  labels: string[];
  /** Unix seconds; events from before now are replayed from here. */
  since?: number;
  signal: AbortSignal;
}

export interface ExecOptions {
  cmd: string[];
  /** Collect stdout/stderr (for `startExec`); detached execs do not. */
  output?: boolean;
  /** Attach the command's stdin (for `startExecAttached`). */
  stdin?: boolean;
  /** Give the command a terminal: output is raw bytes, not multiplexed frames. */
  tty?: boolean;
  env?: string[];
  user?: string;
  workingDir?: string;
}

export interface BuildOptions {
  tag: string;
  dockerfile: string;
  target?: string;
  args?: Record<string, string>;
  platform?: string;
}

export interface Engine {
  /** Where this engine was reached (for messages and `doctor`). */
  readonly endpoint: Endpoint;

  ping(signal?: AbortSignal): Promise<string>;
  version(): Promise<VersionInfo>;

  // Containers.
  inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined>;
  /** Containers carrying all these labels (`key=value` or `key`); stopped ones too when `all`. */
  listContainers(labels: string[], all?: boolean): Promise<ContainerSummary[]>;
  createContainer(name: string, body: CreateContainerBody, platform?: string): Promise<string>;
  startContainer(id: string): Promise<void>;
  /**
   * Stops within a grace period (default: the container's own StopTimeout); already stopped or
   * gone counts as stopped.
   */
  stopContainer(id: string, graceSeconds?: number): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  /** Gone already, or being removed by someone else, counts as removed. */
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  restartContainer(id: string, graceSeconds: number): Promise<void>;
  /** Extracts a tar archive into the (created, maybe not started) container at `destDir`. */
  putArchive(containerId: string, destDir: string, tar: Uint8Array): Promise<void>;
  /** The raw log stream: multiplexed frames unless the container has a TTY. */
  logs(id: string, opts: LogsOptions): Promise<Readable>;
  /**
   * The container's output from the attach endpoint (stdout and stderr, multiplexed unless it
   * has a TTY), opened on a container created but not yet started, as `docker run` does: then
   * nothing it prints is missed. Absent where the lean reader cannot reach the engine (TLS, ssh).
   */
  readonly attachOutput?: (id: string, signal?: AbortSignal) => Promise<Readable>;
  /** One stats sample (`stream: false`). */
  stats(id: string): Promise<EngineStats>;

  // Images.
  inspectImage(ref: string): Promise<ImageInspect | undefined>;
  /** Pulls, reporting progress; resolves when the pull has finished, rejects on its error. */
  pullImage(
    ref: string,
    platform: string | undefined,
    onProgress: (p: PullProgress) => void,
    signal?: AbortSignal,
  ): Promise<void>;

  /**
   * Asks the engine to resolve `ref` at its registry (the daemon's own network, proxies and
   * mirrors): undefined when the registry answers with the image, else the engine's words.
   */
  checkRegistry(ref: string, signal?: AbortSignal): Promise<string | undefined>;

  /** Builds an image from a context tar (project files' `build`); rejects on the build's error. */
  buildImage(
    context: Uint8Array,
    opts: BuildOptions,
    onProgress: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<void>;

  // Networks and volumes.
  inspectNetwork(name: string): Promise<NetworkInspect | undefined>;
  /** Joins a created container to one more network (API < 1.44 takes one network at create). */
  connectNetwork(network: string, containerId: string, aliases: string[]): Promise<void>;
  listNetworks(labels: string[]): Promise<NetworkInspect[]>;
  /**
   * The new network's id; undefined when it existed already (a 409). Docker's duplicate check
   * is racy: two creates in the same instant can both succeed (callers deduplicate).
   */
  createNetwork(name: string, labels: Record<string, string>): Promise<string | undefined>;
  /** By name or id; gone already counts as removed. */
  removeNetwork(nameOrId: string): Promise<void>;
  inspectVolume(name: string): Promise<VolumeInspect | undefined>;
  listVolumes(labels: string[]): Promise<VolumeInspect[]>;
  createVolume(name: string, labels: Record<string, string>): Promise<void>;
  removeVolume(name: string): Promise<void>;

  // Exec without hijacked streams (an upgraded connection hangs under Bun): either detached, or
  // with the output read as the plain response body; the exit code is polled from inspect.
  createExec(containerId: string, opts: ExecOptions): Promise<string>;
  startExecDetached(execId: string): Promise<void>;
  /** Starts the exec and answers its multiplexed output, which ends when the command exits. */
  startExec(execId: string, signal?: AbortSignal): Promise<Readable>;
  inspectExec(execId: string): Promise<ExecInspect>;
  /**
   * Starts an exec created with `stdin` over a hijacked connection: its output to read (ending
   * when the command exits), its input to write. Absent where the engine cannot be reached
   * that way (TLS and ssh endpoints): callers then run the command without stdin.
   */
  readonly startExecAttached?: (
    execId: string,
    tty: boolean,
    signal?: AbortSignal,
  ) => Promise<ExecStream>;
  /** Tells a TTY exec its terminal's size. */
  resizeExec?(execId: string, rows: number, cols: number): Promise<void>;

  /** Container events of labelled containers until `signal` aborts (then the iterator ends). */
  events(opts: EventsOptions): AsyncIterable<EngineEvent>;
}
