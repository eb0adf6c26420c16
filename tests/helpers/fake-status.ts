// A fake services source and deps builder for in-process tests of the status app (no Docker,
// fixed clock, fixed token).

import type {
  LogLine,
  ServicesSource,
  ServiceStatus,
  StatusDeps,
  UsageSample,
} from "../../src/status/deps.ts";
import type { ServiceState } from "../../src/orchestrator/service-status.ts";
import { SentryctlError } from "../../src/errors.ts";

export class FakeServices implements ServicesSource {
  services: ServiceStatus[];
  #listeners = new Set<() => void>();
  logLines: LogLine[] = [];
  calls: string[] = [];

  constructor(services: ServiceStatus[]) {
    this.services = services;
  }

  list(): ServiceStatus[] {
    return this.services;
  }

  subscribe(onChange: () => void): () => void {
    this.#listeners.add(onChange);
    return () => this.#listeners.delete(onChange);
  }

  change(name: string, state: ServiceState): void {
    this.services = this.services.map((s) => (s.service === name ? { ...s, state } : s));
    for (const l of this.#listeners) l();
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  /** The next setState rejects with this. */
  failNext: Error | undefined;

  setState(name: string, state: "running" | "stopped"): Promise<ServiceStatus> {
    this.calls.push(`${name}:${state}`);
    const fail = this.failNext;
    this.failNext = undefined;
    if (fail) return Promise.reject(fail);
    const s = this.services.find((x) => x.service === name);
    if (!s) {
      return Promise.reject(new SentryctlError("failure", `Service \`${name}\` is not known`));
    }
    this.change(name, state === "running" ? "running" : "exited");
    return Promise.resolve(this.services.find((x) => x.service === name)!);
  }

  async *logs(_name: string, signal: AbortSignal): AsyncIterable<LogLine> {
    for (const l of this.logLines) {
      if (signal.aborted) return;
      yield l;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  async *stats(_name: string, signal: AbortSignal): AsyncIterable<UsageSample> {
    let at = 1_700_000_000_000;
    while (!signal.aborted) {
      yield { at, cpu_percent: 12.5, memory_bytes: 50 * 1024 * 1024 };
      at += 1000;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export function service(name: string, state: ServiceState = "running"): ServiceStatus {
  const running = state === "running";
  return {
    service: name,
    project: "test",
    container: `test_${name}`,
    id: `${name}-id`,
    state,
    health: "none",
    ports: running ? [{ container: "6379/tcp", hostIp: "127.0.0.1", hostPort: 6379 }] : [],
    image: "redis:7",
    owner: "up",
    startedAt: running ? "2026-01-01T00:00:00Z" : null,
    uptimeSeconds: running ? 43230 : null,
    exitCode: running ? null : 0,
  };
}

export function fakeDeps(overrides: Partial<StatusDeps> = {}): StatusDeps & {
  services: FakeServices;
} {
  return {
    services: new FakeServices([service("redis"), service("kafka", "exited")]),
    info: () => ({
      version: "0.1.0",
      project: "test",
      docker: { endpoint: "unix:///var/run/docker.sock", version: "27.0.0" },
    }),
    renderMetrics: () => "# TYPE sentryctl_up gauge\nsentryctl_up 1\n",
    token: "t0ken-t0ken-t0ken-t0ken",
    oneTimeCode: "one-time-code-123456",
    allowedHosts: ["localhost", "127.0.0.1", "::1"],
    now: () => Date.UTC(2026, 0, 1, 12, 0, 30),
    ...overrides,
  } as StatusDeps & { services: FakeServices };
}
