// An in-memory Engine for unit tests: containers, images, networks and volumes as maps, a call
// log, scripted failures, scripted exec exit codes, a registry of pullable images and an event
// emitter. It keeps the Engine conventions (404 → undefined, idempotent stop/remove, 409 on a
// taken name) so plans, execution and attach's logic can be tested without Docker.

import { EventEmitter } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import type { Endpoint } from "../../src/docker/endpoint.ts";
import type {
  BuildOptions,
  Engine,
  EventsOptions,
  ExecOptions,
  LogsOptions,
} from "../../src/docker/engine.ts";
import type {
  ContainerInspect,
  ContainerSummary,
  CreateContainerBody,
  EngineEvent,
  ExecInspect,
  ImageInspect,
  NetworkInspect,
  PullProgress,
  StatsSample,
  VersionInfo,
  VolumeInspect,
} from "../../src/docker/types.ts";
import { type EngineReason, SentryctlError } from "../../src/errors.ts";

export interface FakeContainer {
  inspect: ContainerInspect;
  body: CreateContainerBody;
  /** Files delivered through putArchive: path → content. */
  files: Map<string, Uint8Array>;
  logs: { stream: "stdout" | "stderr"; text: string; time: number }[];
}

export function engineError(
  reason: EngineReason,
  message: string,
  statusCode?: number,
): SentryctlError {
  return new SentryctlError(
    reason === "unavailable" ? "docker_unavailable" : "docker_api",
    message,
    { reason, statusCode },
  );
}

type Method = keyof Engine;

let counter = 0;
const newId = () => (++counter).toString(16).padStart(12, "0").repeat(5).slice(0, 64);

/** Reads the regular files of a ustar archive (what src/lib/tar.ts writes). */
export function readTar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = new TextDecoder();
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      text.decode(header.subarray(start, start + len)).replace(/\0.*$/s, "");
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12), 8);
    const type = field(156, 1);
    const path = prefix ? `${prefix}/${name}` : name;
    if (type === "0") files.set(path, tar.slice(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

export class FakeEngine implements Engine {
  readonly endpoint: Endpoint = {
    url: "fake://engine",
    source: "probe",
  } as unknown as Endpoint;
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Map<string, ImageInspect>();
  #nextEphemeral = 32768;
  readonly networks = new Map<string, NetworkInspect>();
  readonly volumes = new Map<string, VolumeInspect>();
  /** Images a pull can fetch: ref → layer sizes. */
  readonly registry = new Map<string, number[]>();
  /** Every mutating call, as `verb name`, in order. */
  readonly calls: string[] = [];
  readonly emitter = new EventEmitter();
  /** What an exec does: its exit code and output (default: exit 0, no output). */
  execResult: (
    container: FakeContainer,
    cmd: string[],
  ) => number | { code: number; output: string } = () => 0;
  #failures = new Map<string, SentryctlError[]>();
  #execs = new Map<string, ExecInspect & { output: string }>();
  /** Commands run through exec, in order. */
  readonly execs: string[][] = [];
  /** Milliseconds a pull takes (lets tests abort one in flight). */
  pullDelayMs = 0;

  /** The next call(s) of `method` throw these, in order. */
  failNext(method: Method, ...errors: SentryctlError[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...errors]);
  }

  #maybeFail(method: Method): void {
    const queue = this.#failures.get(method);
    const next = queue?.shift();
    if (next) throw next;
  }

  #find(nameOrId: string): FakeContainer | undefined {
    const byId = this.containers.get(nameOrId);
    if (byId) return byId;
    for (const c of this.containers.values()) {
      if (c.inspect.Name === `/${nameOrId}` || c.inspect.Id.startsWith(nameOrId)) return c;
    }
    return undefined;
  }

  #emit(c: FakeContainer, action: string): void {
    const event: EngineEvent = {
      Type: "container",
      Action: action,
      Actor: {
        ID: c.inspect.Id,
        Attributes: { name: c.inspect.Name.slice(1), ...(c.inspect.Config.Labels ?? {}) },
      },
      time: Math.floor(Date.now() / 1000),
    };
    this.emitter.emit("event", event);
  }

  /** Adds a container as if someone else created it (e.g. a foreign one holding our name). */
  addContainer(
    name: string,
    opts: { labels?: Record<string, string>; running?: boolean; image?: string } = {},
  ): FakeContainer {
    const id = newId();
    const c = this.#make(id, name, {
      Image: opts.image ?? "busybox",
      Labels: opts.labels,
      HostConfig: {},
    });
    if (opts.running) this.#setRunning(c, true);
    this.containers.set(id, c);
    return c;
  }

  #make(id: string, name: string, body: CreateContainerBody): FakeContainer {
    return {
      body,
      files: new Map(),
      logs: [],
      inspect: {
        Id: id,
        Name: `/${name}`,
        RestartCount: 0,
        State: {
          Status: "created",
          Running: false,
          Restarting: false,
          ExitCode: 0,
          Error: "",
          StartedAt: "0001-01-01T00:00:00Z",
          FinishedAt: "0001-01-01T00:00:00Z",
          OOMKilled: false,
        },
        Config: {
          Image: body.Image,
          Labels: body.Labels ?? {},
          Tty: false,
          Env: body.Env ?? [],
          ...(body.Healthcheck ? { Healthcheck: { Test: body.Healthcheck.Test } } : {}),
        },
        HostConfig: {
          RestartPolicy: body.HostConfig.RestartPolicy,
          PortBindings: body.HostConfig.PortBindings ?? {},
        },
        NetworkSettings: { Ports: {}, Networks: {} },
        Mounts: [],
      },
    };
  }

  #setRunning(c: FakeContainer, running: boolean, exitCode = 0): void {
    const s = c.inspect.State;
    s.Running = running;
    s.Status = running ? "running" : "exited";
    if (running) {
      s.StartedAt = new Date().toISOString();
      // HostPort "" asks the engine for a free port, as Docker does (ephemeral range).
      c.inspect.NetworkSettings.Ports = Object.fromEntries(
        Object.entries(c.inspect.HostConfig.PortBindings ?? {}).map(([key, bs]) => [
          key,
          (bs ?? []).map((b) =>
            b.HostPort === "" ? { ...b, HostPort: String(this.#nextEphemeral++) } : b
          ),
        ]),
      );
    } else {
      s.FinishedAt = new Date().toISOString();
      s.ExitCode = exitCode;
      c.inspect.NetworkSettings.Ports = {};
    }
  }

  /** Makes a running container exit by itself (tests of follow/attach). */
  exit(nameOrId: string, code: number): void {
    const c = this.#find(nameOrId);
    if (!c) throw new Error(`no container ${nameOrId}`);
    this.#setRunning(c, false, code);
    this.#emit(c, "die");
  }

  /** Appends log lines to a container (shown by logs). */
  log(nameOrId: string, text: string, stream: "stdout" | "stderr" = "stdout"): void {
    const c = this.#find(nameOrId);
    if (!c) throw new Error(`no container ${nameOrId}`);
    c.logs.push({ stream, text, time: Date.now() });
    this.emitter.emit(`log:${c.inspect.Id}`);
  }

  byName(name: string): FakeContainer | undefined {
    return this.#find(name);
  }

  ping(): Promise<string> {
    this.#maybeFail("ping");
    return Promise.resolve("OK");
  }

  version(): Promise<VersionInfo> {
    this.#maybeFail("version");
    return Promise.resolve({ Version: "fake", ApiVersion: "1.44", Os: "linux", Arch: "amd64" });
  }

  inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined> {
    this.#maybeFail("inspectContainer");
    const c = this.#find(nameOrId);
    return Promise.resolve(c ? structuredClone(c.inspect) : undefined);
  }

  listContainers(labels: string[], all = true): Promise<ContainerSummary[]> {
    this.#maybeFail("listContainers");
    const out: ContainerSummary[] = [];
    for (const c of this.containers.values()) {
      if (!all && !c.inspect.State.Running) continue;
      if (!matchesLabels(c.inspect.Config.Labels ?? {}, labels)) continue;
      out.push({
        Id: c.inspect.Id,
        Names: [c.inspect.Name],
        Image: c.inspect.Config.Image,
        State: c.inspect.State.Status,
        Status: c.inspect.State.Running ? "Up" : "Exited",
        Labels: { ...(c.inspect.Config.Labels ?? {}) },
        Ports: Object.entries(c.inspect.NetworkSettings.Ports ?? {}).flatMap(([key, bs]) =>
          (bs ?? []).map((b) => ({
            IP: b.HostIp,
            PrivatePort: Number(key.split("/")[0]),
            PublicPort: Number(b.HostPort),
            Type: key.split("/")[1] ?? "tcp",
          }))
        ),
        Created: 0,
      });
    }
    return Promise.resolve(out);
  }

  createContainer(name: string, body: CreateContainerBody): Promise<string> {
    this.#maybeFail("createContainer");
    this.calls.push(`create ${name}`);
    if (this.#find(name)) {
      return Promise.reject(engineError("conflict", `name ${name} in use`, 409));
    }
    if (!this.images.has(body.Image)) {
      return Promise.reject(engineError("not_found", `No such image: ${body.Image}`, 404));
    }
    const id = newId();
    const c = this.#make(id, name, structuredClone(body));
    this.containers.set(id, c);
    this.#emit(c, "create");
    return Promise.resolve(id);
  }

  startContainer(id: string): Promise<void> {
    this.#maybeFail("startContainer");
    const c = this.#find(id);
    if (!c) return Promise.reject(engineError("not_found", `No such container: ${id}`, 404));
    this.calls.push(`start ${c.inspect.Name.slice(1)}`);
    if (c.inspect.State.Running) return Promise.resolve();
    for (const other of this.containers.values()) {
      if (other === c || !other.inspect.State.Running) continue;
      for (const [key, bindings] of Object.entries(c.inspect.HostConfig.PortBindings ?? {})) {
        for (const b of bindings ?? []) {
          const taken = b.HostPort !== "" &&
            Object.values(other.inspect.NetworkSettings.Ports ?? {}).flat()
              .some((o) => o?.HostPort === b.HostPort);
          if (taken) {
            return Promise.reject(
              engineError("server", `Bind for 127.0.0.1:${b.HostPort} failed (${key})`, 500),
            );
          }
        }
      }
    }
    this.#setRunning(c, true);
    this.#emit(c, "start");
    return Promise.resolve();
  }

  stopContainer(id: string, _graceSeconds = 10): Promise<void> {
    this.#maybeFail("stopContainer");
    const c = this.#find(id);
    if (!c) return Promise.resolve();
    this.calls.push(`stop ${c.inspect.Name.slice(1)}`);
    if (c.inspect.State.Running) {
      this.#emit(c, "kill");
      this.#setRunning(c, false, 0);
      this.#emit(c, "die");
      this.#emit(c, "stop");
    }
    return Promise.resolve();
  }

  killContainer(id: string): Promise<void> {
    this.#maybeFail("killContainer");
    const c = this.#find(id);
    if (c?.inspect.State.Running) {
      this.calls.push(`kill ${c.inspect.Name.slice(1)}`);
      this.#emit(c, "kill");
      this.#setRunning(c, false, 137);
      this.#emit(c, "die");
    }
    return Promise.resolve();
  }

  async restartContainer(id: string, graceSeconds: number): Promise<void> {
    await this.stopContainer(id, graceSeconds);
    await this.startContainer(id);
  }

  removeContainer(id: string, opts: { force?: boolean } = {}): Promise<void> {
    this.#maybeFail("removeContainer");
    const c = this.#find(id);
    if (!c) return Promise.resolve();
    if (c.inspect.State.Running && !opts.force) {
      return Promise.reject(engineError("conflict", "container is running", 409));
    }
    this.calls.push(`remove ${c.inspect.Name.slice(1)}`);
    if (c.inspect.State.Running) this.#setRunning(c, false, 137);
    this.containers.delete(c.inspect.Id);
    this.#emit(c, "destroy");
    return Promise.resolve();
  }

  putArchive(containerId: string, destDir: string, tar: Uint8Array): Promise<void> {
    this.#maybeFail("putArchive");
    const c = this.#find(containerId);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    this.calls.push(`put-archive ${c.inspect.Name.slice(1)}`);
    for (const [path, content] of readTar(tar)) {
      c.files.set(`${destDir.replace(/\/$/, "")}/${path}`, content);
    }
    return Promise.resolve();
  }

  /**
   * The attach endpoint: live output only (what is logged from now on, no timestamps) until the
   * container next dies; opened on a created container it waits for the start, as Docker's does.
   * A test sets it to undefined to play an engine reached over TLS.
   */
  attachOutput: Engine["attachOutput"] = (id: string, signal?: AbortSignal) => {
    this.#maybeFail("attachOutput");
    const c = this.#find(id);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    this.calls.push(`attach ${c.inspect.Name.slice(1)}`);
    const out = new PassThrough();
    let sent = c.logs.length;
    const onLog = () => {
      while (sent < c.logs.length) out.write(logFrame(c.logs[sent++]!, false));
    };
    const onEvent = (e: EngineEvent) => {
      if (e.Actor.ID === c.inspect.Id && (e.Action === "die" || e.Action === "destroy")) end();
    };
    const end = () => {
      this.emitter.off(`log:${c.inspect.Id}`, onLog);
      this.emitter.off("event", onEvent);
      out.end();
    };
    this.emitter.on(`log:${c.inspect.Id}`, onLog);
    this.emitter.on("event", onEvent);
    signal?.addEventListener("abort", end, { once: true });
    return Promise.resolve(out);
  };

  logs(id: string, opts: LogsOptions): Promise<Readable> {
    this.#maybeFail("logs");
    const c = this.#find(id);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    const out = new PassThrough();
    const frame = (l: FakeContainer["logs"][number]) => logFrame(l, opts.timestamps ?? false);
    let sent = 0;
    const flush = () => {
      while (sent < c.logs.length) out.write(frame(c.logs[sent++]!));
    };
    flush();
    if (!opts.follow || !c.inspect.State.Running) {
      out.end();
      return Promise.resolve(out);
    }
    const onLog = () => flush();
    const onEvent = (e: EngineEvent) => {
      if (e.Actor.ID === c.inspect.Id && (e.Action === "die" || e.Action === "destroy")) end();
    };
    const end = () => {
      this.emitter.off(`log:${c.inspect.Id}`, onLog);
      this.emitter.off("event", onEvent);
      out.end();
    };
    this.emitter.on(`log:${c.inspect.Id}`, onLog);
    this.emitter.on("event", onEvent);
    opts.signal?.addEventListener("abort", () => {
      end();
    }, { once: true });
    return Promise.resolve(out);
  }

  stats(id: string): Promise<StatsSample> {
    this.#maybeFail("stats");
    if (!this.#find(id)) return Promise.reject(engineError("not_found", "No such container", 404));
    return Promise.resolve({
      read: new Date().toISOString(),
      memory_stats: { usage: 1024 * 1024, limit: 1024 * 1024 * 1024 },
    });
  }

  inspectImage(ref: string): Promise<ImageInspect | undefined> {
    this.#maybeFail("inspectImage");
    return Promise.resolve(this.images.get(ref));
  }

  checkRegistry(ref: string): Promise<string | undefined> {
    this.calls.push(`check-registry ${ref}`);
    return Promise.resolve(
      this.registry.has(ref) ? undefined : `manifest for ${ref} not found: manifest unknown`,
    );
  }

  async pullImage(
    ref: string,
    _platform: string | undefined,
    onProgress: (p: PullProgress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    this.calls.push(`pull ${ref}`);
    this.#maybeFail("pullImage");
    const layers = this.registry.get(ref);
    if (!layers) {
      throw engineError("not_found", `manifest for ${ref} not found: manifest unknown`, 404);
    }
    layers.forEach((total, i) => {
      onProgress({
        status: "Downloading",
        id: `layer${i}`,
        progressDetail: { current: total, total },
      });
    });
    if (this.pullDelayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.pullDelayMs);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(engineError("server", "pull aborted"));
        }, { once: true });
      });
    }
    this.images.set(ref, { Id: `sha256:${newId()}`, RepoTags: [ref] });
  }

  /** Builds record their options and context size; the image then exists under its tag. */
  readonly builds: { opts: BuildOptions; bytes: number }[] = [];

  buildImage(
    context: Uint8Array,
    opts: BuildOptions,
    onProgress: (line: string) => void,
  ): Promise<void> {
    this.calls.push(`build ${opts.tag}`);
    this.#maybeFail("buildImage");
    this.builds.push({ opts, bytes: context.byteLength });
    onProgress("Step 1/1\n");
    this.images.set(opts.tag, { Id: `sha256:${newId()}`, RepoTags: [opts.tag] });
    return Promise.resolve();
  }

  connectNetwork(network: string, containerId: string, _aliases: string[]): Promise<void> {
    this.calls.push(`connect ${network} ${containerId.slice(0, 12)}`);
    return Promise.resolve();
  }

  inspectNetwork(name: string): Promise<NetworkInspect | undefined> {
    this.#maybeFail("inspectNetwork");
    return Promise.resolve(this.networks.get(name));
  }

  listNetworks(labels: string[]): Promise<NetworkInspect[]> {
    return Promise.resolve(
      [...this.networks.values()].filter((n) => matchesLabels(n.Labels ?? {}, labels)),
    );
  }

  createNetwork(name: string, labels: Record<string, string>): Promise<string | undefined> {
    this.#maybeFail("createNetwork");
    this.calls.push(`create-network ${name}`);
    if (this.networks.has(name)) return Promise.resolve(undefined);
    const id = newId();
    this.networks.set(name, { Id: id, Name: name, Labels: { ...labels } });
    return Promise.resolve(id);
  }

  removeNetwork(nameOrId: string): Promise<void> {
    for (const [name, n] of this.networks) {
      if (name === nameOrId || n.Id === nameOrId) {
        this.calls.push(`remove-network ${name}`);
        this.networks.delete(name);
      }
    }
    return Promise.resolve();
  }

  inspectVolume(name: string): Promise<VolumeInspect | undefined> {
    this.#maybeFail("inspectVolume");
    return Promise.resolve(this.volumes.get(name));
  }

  listVolumes(labels: string[]): Promise<VolumeInspect[]> {
    return Promise.resolve(
      [...this.volumes.values()].filter((v) => matchesLabels(v.Labels ?? {}, labels)),
    );
  }

  createVolume(name: string, labels: Record<string, string>): Promise<void> {
    this.#maybeFail("createVolume");
    this.calls.push(`create-volume ${name}`);
    if (!this.volumes.has(name)) this.volumes.set(name, { Name: name, Labels: { ...labels } });
    return Promise.resolve();
  }

  removeVolume(name: string): Promise<void> {
    this.#maybeFail("removeVolume");
    this.calls.push(`remove-volume ${name}`);
    this.volumes.delete(name);
    return Promise.resolve();
  }

  createExec(containerId: string, opts: ExecOptions): Promise<string> {
    this.#maybeFail("createExec");
    const c = this.#find(containerId);
    if (!c) return Promise.reject(engineError("not_found", "No such container", 404));
    if (!c.inspect.State.Running) {
      return Promise.reject(
        engineError("conflict", `Container ${containerId} is not running`, 409),
      );
    }
    const id = newId();
    this.execs.push(opts.cmd);
    const result = this.execResult(c, opts.cmd);
    const { code, output } = typeof result === "number" ? { code: result, output: "" } : result;
    this.#execs.set(id, { ID: id, Running: false, ExitCode: code, output });
    return Promise.resolve(id);
  }

  startExecDetached(_execId: string): Promise<void> {
    this.#maybeFail("startExecDetached");
    return Promise.resolve();
  }

  startExec(execId: string): Promise<Readable> {
    this.#maybeFail("startExec");
    const e = this.#execs.get(execId);
    if (!e) return Promise.reject(engineError("not_found", "No such exec", 404));
    const out = new PassThrough();
    if (e.output) {
      const payload = Buffer.from(e.output);
      const header = Buffer.alloc(8);
      header[0] = 1;
      header.writeUInt32BE(payload.length, 4);
      out.write(Buffer.concat([header, payload]));
    }
    out.end();
    return Promise.resolve(out);
  }

  inspectExec(execId: string): Promise<ExecInspect> {
    this.#maybeFail("inspectExec");
    const e = this.#execs.get(execId);
    if (!e) return Promise.reject(engineError("not_found", "No such exec", 404));
    return Promise.resolve({ ID: e.ID, Running: e.Running, ExitCode: e.ExitCode });
  }

  async *events(opts: EventsOptions): AsyncIterable<EngineEvent> {
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const onEvent = (e: EngineEvent) => {
      if (!matchesLabels(e.Actor.Attributes, opts.labels)) return;
      queue.push(e);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.emitter.on("event", onEvent);
    opts.signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!opts.signal.aborted) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        while (queue.length > 0) yield queue.shift()!;
      }
    } finally {
      this.emitter.off("event", onEvent);
      opts.signal.removeEventListener("abort", onAbort);
    }
  }
}

/** One multiplexed frame of the logs (or attach) endpoint: a log line, stamped or not. */
function logFrame(l: FakeContainer["logs"][number], stamped: boolean): Buffer {
  const stamp = stamped ? `${new Date(l.time).toISOString()} ` : "";
  const payload = Buffer.from(`${stamp}${l.text}\n`);
  const header = Buffer.alloc(8);
  header[0] = l.stream === "stderr" ? 2 : 1;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function matchesLabels(have: Record<string, string>, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf("=");
    if (eq < 0) return Object.hasOwn(have, w);
    return have[w.slice(0, eq)] === w.slice(eq + 1);
  });
}
