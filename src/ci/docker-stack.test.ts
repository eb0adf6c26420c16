import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerPlan } from "../orchestrator/container-config.ts";
import { isolate, publishedPorts } from "./docker-stack.ts";

const PLAN: ContainerPlan = {
  name: "sentry-with-0000abcd_redis",
  body: {
    Image: "redis:7",
    Labels: { "io.sentry.sentryctl.project": "sentry-with-0000abcd" },
    HostConfig: {
      PortBindings: { "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "6379" }] },
      RestartPolicy: { Name: "unless-stopped" },
    },
  },
  volumes: [],
  configHash: "abc",
  stopGraceSeconds: 10,
  files: [],
  publishesPorts: true,
};

test("isolate: ephemeral loopback ports, no restart policy, labels untouched", () => {
  const plan = isolate(PLAN);
  assert.deepEqual(plan.body.HostConfig.PortBindings, {
    "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
  });
  assert.deepEqual(plan.body.HostConfig.RestartPolicy, { Name: "no" });
  assert.deepEqual(plan.body.Labels, { "io.sentry.sentryctl.project": "sentry-with-0000abcd" });
  assert.equal(
    PLAN.body.HostConfig.PortBindings!["6379/tcp"]![0]!.HostPort,
    "6379",
    "input untouched",
  );
});

test("publishedPorts: declared order, IPv4 binding preferred, unpublished skipped", () => {
  const ports = publishedPorts({
    NetworkSettings: {
      Ports: {
        "6379/tcp": [
          { HostIp: "::1", HostPort: "41000" },
          { HostIp: "127.0.0.1", HostPort: "41001" },
        ],
        "16379/tcp": null,
        "7000/tcp": [{ HostIp: "127.0.0.1", HostPort: "41002" }],
      },
    },
  }, ["7000/tcp", "6379/tcp", "16379/tcp", "9999/tcp"]);
  assert.deepEqual(ports, [
    { containerPort: "7000/tcp", hostIp: "127.0.0.1", hostPort: 41002 },
    { containerPort: "6379/tcp", hostIp: "127.0.0.1", hostPort: 41001 },
  ]);
});
