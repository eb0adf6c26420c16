import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResolvedService } from "../services/resolve.ts";
import { planContainer } from "./container-config.ts";

const service = (spec: Partial<ResolvedService["spec"]> = {}): ResolvedService => ({
  name: "redis",
  containerName: "sentry_redis",
  enabled: true,
  spec: {
    image: "redis:7",
    ports: { "6379/tcp": 6379, "8080": ["0.0.0.0", 18080] },
    volumes: { redis: { bind: "/data" }, "/etc/conf": { bind: "/conf", mode: "ro" } },
    environment: { A: "1", B: 2, C: true, D: null },
    command: "redis-server --appendonly yes",
    ...spec,
  },
});

test("ports bind to loopback unless a host is given", () => {
  const plan = planContainer(service(), { project: "sentry", foreground: false });
  assert.deepEqual(plan.body.HostConfig.PortBindings, {
    "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "6379" }],
    "8080/tcp": [{ HostIp: "0.0.0.0", HostPort: "18080" }],
  });
});

test("named volumes get the project prefix; host paths are bind mounts", () => {
  const plan = planContainer(service(), { project: "proj", foreground: false });
  assert.deepEqual(plan.volumes, ["proj_redis"]);
  assert.deepEqual(plan.body.HostConfig.Mounts, [
    { Type: "volume", Source: "proj_redis", Target: "/data", ReadOnly: false },
    { Type: "bind", Source: "/etc/conf", Target: "/conf", ReadOnly: true },
  ]);
});

test("labels, network, host.docker.internal, env rendering, string commands split", () => {
  const plan = planContainer(service(), { project: "sentry", foreground: false });
  assert.equal(plan.body.Labels?.["io.sentry.sentryctl.project"], "sentry");
  assert.equal(plan.body.Labels?.["io.sentry.sentryctl.service"], "redis");
  assert.equal(plan.body.Labels?.["io.sentry.sentryctl.config-hash"], plan.configHash);
  assert.equal(plan.body.HostConfig.NetworkMode, "sentry");
  assert.deepEqual(plan.body.HostConfig.ExtraHosts, ["host.docker.internal:host-gateway"]);
  assert.deepEqual(plan.body.Env, ["A=1", "B=2", "C=1"]);
  assert.deepEqual(plan.body.Cmd, ["redis-server", "--appendonly", "yes"]);
  assert.deepEqual(plan.body.HostConfig.RestartPolicy, { Name: "unless-stopped" });
});

test("the config hash ignores how a run starts the container but follows the definition", () => {
  const a = planContainer(service(), { project: "sentry", foreground: false });
  const b = planContainer(service(), { project: "sentry", foreground: true });
  assert.equal(a.configHash, b.configHash);
  assert.deepEqual(b.body.HostConfig.RestartPolicy, { Name: "no" });
  const c = planContainer(service({ image: "redis:8" }), { project: "sentry", foreground: false });
  assert.notEqual(a.configHash, c.configHash);
  const reordered = planContainer(service({ environment: { D: null, C: true, B: 2, A: "1" } }), {
    project: "sentry",
    foreground: false,
  });
  assert.equal(a.configHash, reordered.configHash, "key order does not matter");
});
