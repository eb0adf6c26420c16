// The Docker Engine API implementation of `Engine`, over a `Transport` (fetch or docker-modem).
// Idempotent lifecycle calls treat "already done" answers as success (304 on start/stop, 404 on remove), because cleanup can race with Docker
// itself and Sentry's own attach handler once failed on exactly that (getsentry/sentry#19192).

import type { Readable } from "node:stream";
import { SentryctlError } from "../errors.ts";
import type { Endpoint } from "./endpoint.ts";
import type { BuildOptions, Engine, EventsOptions, ExecOptions, LogsOptions } from "./engine.ts";
import {
  apiError,
  type DialRequest,
  engineMessage,
  isConnectionError,
  type Transport,
  type TransportError,
} from "./transport.ts";
import { hijackedCalls, leanLogs } from "./hijack.ts";
import { readBuildProgress, readEvents, readPullProgress, splitImageRef } from "./json-streams.ts";
import { rawStreamSupported } from "./raw-stream.ts";
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

export type { LogsOptions } from "./engine.ts";

function statusOf(err: unknown): number | undefined {
  return (err as TransportError | undefined)?.statusCode;
}

const enc = encodeURIComponent;

export class DockerClient implements Engine {
  /** Only where the lean reader can hijack the connection (unix sockets, plain TCP). */
  readonly startExecAttached?: Engine["startExecAttached"];
  readonly attachOutput?: Engine["attachOutput"];

  constructor(readonly endpoint: Endpoint, private readonly transport: Transport) {
    const hijacked = hijackedCalls(endpoint);
    this.startExecAttached = hijacked.startExecAttached;
    this.attachOutput = hijacked.attachOutput;
  }

  #call<T>(request: DialRequest, action: string): Promise<T> {
    return this.transport.request<T>(request).catch((err) => {
      throw apiError(err, action);
    });
  }

  /** GET a resource; undefined when the engine answers 404. */
  async #find<T>(path: string, action: string): Promise<T | undefined> {
    try {
      return await this.transport.request<T>({ method: "GET", path });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw apiError(err, action);
    }
  }

  ping(signal?: AbortSignal): Promise<string> {
    return this.transport.request<string>({ method: "GET", path: "/_ping", signal });
  }

  version(): Promise<VersionInfo> {
    return this.#call({ method: "GET", path: "/version" }, "read its version");
  }

  inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined> {
    return this.#find(`/containers/${enc(nameOrId)}/json`, `inspect container '${nameOrId}'`);
  }

  listContainers(labels: string[], all = true): Promise<ContainerSummary[]> {
    const query: Record<string, unknown> = { all };
    if (labels.length > 0) query.filters = { label: labels };
    return this.#call({ method: "GET", path: "/containers/json", query }, "list containers");
  }

  async createContainer(
    name: string,
    body: CreateContainerBody,
    platform?: string,
  ): Promise<string> {
    const query: Record<string, unknown> = { name };
    if (platform) query.platform = platform;
    const created = await this.#call<{ Id: string }>(
      { method: "POST", path: "/containers/create", query, body, ok: [201] },
      `create container '${name}'`,
    );
    return created.Id;
  }

  startContainer(id: string): Promise<void> {
    return this.#call(
      { method: "POST", path: `/containers/${enc(id)}/start`, ok: [204, 304] },
      `start container '${id}'`,
    );
  }

  stopContainer(id: string, graceSeconds?: number): Promise<void> {
    return this.#call(
      {
        method: "POST",
        path: `/containers/${enc(id)}/stop`,
        query: graceSeconds === undefined ? {} : { t: graceSeconds },
        ok: [204, 304, 404],
      },
      `stop container '${id}'`,
    );
  }

  async killContainer(id: string, signal = "SIGKILL"): Promise<void> {
    try {
      await this.transport.request({
        method: "POST",
        path: `/containers/${enc(id)}/kill`,
        query: { signal },
        ok: [204, 404],
      });
    } catch (err) {
      // 409: not running — nothing to kill.
      if (statusOf(err) === 409) return;
      throw apiError(err, `kill container '${id}'`);
    }
  }

  restartContainer(id: string, graceSeconds: number): Promise<void> {
    return this.#call(
      { method: "POST", path: `/containers/${enc(id)}/restart`, query: { t: graceSeconds } },
      `restart container '${id}'`,
    );
  }

  async removeContainer(
    id: string,
    opts: { force?: boolean; volumes?: boolean } = {},
  ): Promise<void> {
    try {
      await this.transport.request({
        method: "DELETE",
        path: `/containers/${enc(id)}`,
        query: { force: opts.force ?? false, v: opts.volumes ?? false },
        ok: [204, 404],
      });
    } catch (err) {
      // 409 while someone else removes it: done once it is gone or marked "removing".
      if (statusOf(err) === 409) {
        const now = await this.inspectContainer(id);
        if (!now || now.State.Status === "removing") return;
      }
      throw apiError(err, `remove container '${id}'`);
    }
  }

  putArchive(containerId: string, destDir: string, tar: Uint8Array): Promise<void> {
    return this.#call({
      method: "PUT",
      path: `/containers/${enc(containerId)}/archive`,
      query: { path: destDir },
      file: Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength),
      headers: { "Content-Type": "application/x-tar" },
      ok: [200],
    }, `copy files into '${containerId}'`);
  }

  logs(id: string, opts: LogsOptions): Promise<Readable> {
    const query: Record<string, unknown> = {
      stdout: true,
      stderr: true,
      follow: opts.follow,
      timestamps: opts.timestamps ?? false,
    };
    if (opts.since !== undefined) query.since = opts.since;
    if (opts.tail !== undefined) query.tail = opts.tail;
    if (opts.lean && rawStreamSupported(this.endpoint)) {
      return leanLogs(this.endpoint, id, query, opts.signal);
    }
    return this.#call({
      method: "GET",
      path: `/containers/${enc(id)}/logs`,
      query,
      stream: true,
      signal: opts.signal,
    }, `read logs of '${id}'`);
  }

  stats(id: string): Promise<EngineStats> {
    return this.#call(
      { method: "GET", path: `/containers/${enc(id)}/stats`, query: { stream: false } },
      `read stats of '${id}'`,
    );
  }

  inspectImage(ref: string): Promise<ImageInspect | undefined> {
    return this.#find(`/images/${ref}/json`, `inspect image '${ref}'`);
  }

  async pullImage(
    ref: string,
    platform: string | undefined,
    onProgress: (p: PullProgress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { repo, tag } = splitImageRef(ref);
    const query: Record<string, unknown> = { fromImage: repo, tag };
    if (platform) query.platform = platform;
    const stream = await this.#call<Readable>(
      { method: "POST", path: "/images/create", query, stream: true, registryAuth: "e30=", signal },
      `pull image '${ref}'`,
    );
    await readPullProgress(stream, ref, onProgress);
  }

  async checkRegistry(ref: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      await this.transport.request({ method: "GET", path: `/distribution/${ref}/json`, signal });
      return undefined;
    } catch (err) {
      if (isConnectionError(err) || err instanceof SentryctlError) {
        throw apiError(err, `resolve image '${ref}'`);
      }
      return engineMessage(err as TransportError);
    }
  }

  inspectNetwork(name: string): Promise<NetworkInspect | undefined> {
    return this.#find(`/networks/${enc(name)}`, `inspect network '${name}'`);
  }

  listNetworks(labels: string[]): Promise<NetworkInspect[]> {
    return this.#call(
      { method: "GET", path: "/networks", query: { filters: { label: labels } } },
      "list networks",
    );
  }

  async buildImage(
    context: Uint8Array,
    opts: BuildOptions,
    onProgress: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const query: Record<string, unknown> = { t: opts.tag, dockerfile: opts.dockerfile, rm: true };
    if (opts.target) query.target = opts.target;
    if (opts.platform) query.platform = opts.platform;
    if (opts.args && Object.keys(opts.args).length > 0) query.buildargs = JSON.stringify(opts.args);
    const what = `build image '${opts.tag}'`;
    const stream = await this.#call<Readable>({
      method: "POST",
      path: "/build",
      query,
      file: context,
      headers: { "Content-Type": "application/x-tar" },
      stream: true,
      signal,
    }, what);
    await readBuildProgress(stream, what, onProgress);
  }

  connectNetwork(network: string, containerId: string, aliases: string[]): Promise<void> {
    return this.#call({
      method: "POST",
      path: `/networks/${enc(network)}/connect`,
      body: { Container: containerId, EndpointConfig: { Aliases: aliases } },
      ok: [200],
    }, `connect '${containerId}' to network '${network}'`);
  }

  async createNetwork(name: string, labels: Record<string, string>): Promise<string | undefined> {
    try {
      const created = await this.transport.request<{ Id: string }>({
        method: "POST",
        path: "/networks/create",
        body: { Name: name, CheckDuplicate: true, Driver: "bridge", Labels: labels },
        ok: [201],
      });
      return created.Id;
    } catch (err) {
      // Created concurrently by another sentryctl: that is what we wanted.
      if (statusOf(err) === 409) return undefined;
      throw apiError(err, `create network '${name}'`);
    }
  }

  removeNetwork(name: string): Promise<void> {
    return this.#call(
      { method: "DELETE", path: `/networks/${enc(name)}`, ok: [204, 404] },
      `remove network '${name}'`,
    );
  }

  inspectVolume(name: string): Promise<VolumeInspect | undefined> {
    return this.#find(`/volumes/${enc(name)}`, `inspect volume '${name}'`);
  }

  async listVolumes(labels: string[]): Promise<VolumeInspect[]> {
    const answer = await this.#call<{ Volumes: VolumeInspect[] | null }>(
      { method: "GET", path: "/volumes", query: { filters: { label: labels } } },
      "list volumes",
    );
    return answer.Volumes ?? [];
  }

  createVolume(name: string, labels: Record<string, string>): Promise<void> {
    return this.#call({
      method: "POST",
      path: "/volumes/create",
      body: { Name: name, Labels: labels },
      ok: [201],
    }, `create volume '${name}'`);
  }

  removeVolume(name: string): Promise<void> {
    return this.#call(
      { method: "DELETE", path: `/volumes/${enc(name)}`, ok: [204, 404] },
      `remove volume '${name}'`,
    );
  }

  async createExec(containerId: string, opts: ExecOptions): Promise<string> {
    const body: Record<string, unknown> = {
      Cmd: opts.cmd,
      AttachStdout: opts.output ?? false,
      AttachStderr: opts.output ?? false,
      AttachStdin: opts.stdin ?? false,
      Tty: opts.tty ?? false,
    };
    if (opts.env) body.Env = opts.env;
    if (opts.user) body.User = opts.user;
    if (opts.workingDir) body.WorkingDir = opts.workingDir;
    const created = await this.#call<{ Id: string }>(
      { method: "POST", path: `/containers/${enc(containerId)}/exec`, body, ok: [201] },
      `create exec in '${containerId}'`,
    );
    return created.Id;
  }

  startExecDetached(execId: string): Promise<void> {
    return this.#call(
      {
        method: "POST",
        path: `/exec/${enc(execId)}/start`,
        body: { Detach: true, Tty: false },
        ok: [200, 204],
      },
      `start exec '${execId}'`,
    );
  }

  startExec(execId: string, signal?: AbortSignal): Promise<Readable> {
    return this.#call(
      {
        method: "POST",
        path: `/exec/${enc(execId)}/start`,
        body: { Detach: false, Tty: false },
        stream: true,
        signal,
        ok: [200],
      },
      `start exec '${execId}'`,
    );
  }

  resizeExec(execId: string, rows: number, cols: number): Promise<void> {
    return this.#call(
      { method: "POST", path: `/exec/${enc(execId)}/resize`, query: { h: rows, w: cols } },
      `resize exec '${execId}'`,
    );
  }

  inspectExec(execId: string): Promise<ExecInspect> {
    return this.#call({ method: "GET", path: `/exec/${enc(execId)}/json` }, "inspect exec");
  }

  async *events(opts: EventsOptions): AsyncIterable<EngineEvent> {
    const query: Record<string, unknown> = {
      filters: { type: ["container"], label: opts.labels },
    };
    if (opts.since !== undefined) query.since = opts.since;
    let stream: Readable;
    try {
      stream = await this.#call<Readable>(
        { method: "GET", path: "/events", query, stream: true, signal: opts.signal },
        "read events",
      );
    } catch (err) {
      if (opts.signal.aborted) return;
      throw err;
    }
    yield* readEvents(stream, opts.signal);
  }
}
