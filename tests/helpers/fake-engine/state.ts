// The fake engine's state and the conventions every part shares: containers, images, networks
// and volumes as maps, the call log, scripted failures, the event emitter, and the helpers that
// make a container, flip it running or exited and announce it. The Engine's methods are added
// by concern in the classes above this one (containers.ts → streams.ts → images.ts →
// networks.ts → exec.ts); tests use the whole as `FakeEngine` from tests/helpers/fake-engine.ts.

import { EventEmitter } from "node:events";
import type { Endpoint } from "../../../src/docker/endpoint.ts";
import type { Engine } from "../../../src/docker/engine.ts";
import type {
  ContainerInspect,
  CreateContainerBody,
  EngineEvent,
  ExecInspect,
  ImageInspect,
  NetworkInspect,
  VersionInfo,
  VolumeInspect,
} from "../../../src/docker/types.ts";
import { type EngineReason, SentryctlError } from "../../../src/errors.ts";

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

export type Method = keyof Engine;

let counter = 0;
export const newId = () => (++counter).toString(16).padStart(12, "0").repeat(5).slice(0, 64);

export class FakeEngineState {
  readonly endpoint: Endpoint = {
    url: "fake://engine",
    source: "probe",
  } as unknown as Endpoint;
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Map<string, ImageInspect>();
  protected nextEphemeral = 32768;
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
  protected readonly failures = new Map<string, SentryctlError[]>();
  protected readonly execRecords = new Map<string, ExecInspect & { output: string }>();
  /** Commands run through exec, in order. */
  readonly execs: string[][] = [];
  /** Milliseconds a pull takes (lets tests abort one in flight). */
  pullDelayMs = 0;

  /** The next call(s) of `method` throw these, in order. */
  failNext(method: Method, ...errors: SentryctlError[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  protected maybeFail(method: Method): void {
    const queue = this.failures.get(method);
    const next = queue?.shift();
    if (next) throw next;
  }

  protected find(nameOrId: string): FakeContainer | undefined {
    const byId = this.containers.get(nameOrId);
    if (byId) return byId;
    for (const c of this.containers.values()) {
      if (c.inspect.Name === `/${nameOrId}` || c.inspect.Id.startsWith(nameOrId)) return c;
    }
    return undefined;
  }

  protected emit(c: FakeContainer, action: string): void {
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
    const c = this.make(id, name, {
      Image: opts.image ?? "busybox",
      Labels: opts.labels,
      HostConfig: {},
    });
    if (opts.running) this.setRunning(c, true);
    this.containers.set(id, c);
    return c;
  }

  protected make(id: string, name: string, body: CreateContainerBody): FakeContainer {
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

  protected setRunning(c: FakeContainer, running: boolean, exitCode = 0): void {
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
            b.HostPort === "" ? { ...b, HostPort: String(this.nextEphemeral++) } : b
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
    const c = this.find(nameOrId);
    if (!c) throw new Error(`no container ${nameOrId}`);
    this.setRunning(c, false, code);
    this.emit(c, "die");
  }

  /** Appends log lines to a container (shown by logs). */
  log(nameOrId: string, text: string, stream: "stdout" | "stderr" = "stdout"): void {
    const c = this.find(nameOrId);
    if (!c) throw new Error(`no container ${nameOrId}`);
    c.logs.push({ stream, text, time: Date.now() });
    this.emitter.emit(`log:${c.inspect.Id}`);
  }

  byName(name: string): FakeContainer | undefined {
    return this.find(name);
  }

  ping(): Promise<string> {
    this.maybeFail("ping");
    return Promise.resolve("OK");
  }

  version(): Promise<VersionInfo> {
    this.maybeFail("version");
    return Promise.resolve({ Version: "fake", ApiVersion: "1.44", Os: "linux", Arch: "amd64" });
  }
}

/** One multiplexed frame of the logs (or attach) endpoint: a log line, stamped or not. */
export function logFrame(l: FakeContainer["logs"][number], stamped: boolean): Buffer {
  const stamp = stamped ? `${new Date(l.time).toISOString()} ` : "";
  const payload = Buffer.from(`${stamp}${l.text}\n`);
  const header = Buffer.alloc(8);
  header[0] = l.stream === "stderr" ? 2 : 1;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function matchesLabels(have: Record<string, string>, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf("=");
    if (eq < 0) return Object.hasOwn(have, w);
    return have[w.slice(0, eq)] === w.slice(eq + 1);
  });
}
