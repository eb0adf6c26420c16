import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import { PrefixWriter } from "./logs.ts";
import { catalogScope } from "./scope.ts";
import { projectStatus, renderStatusTable, serviceStatusSchema } from "./service-status.ts";

test("schemas/service.schema.json is exactly what serviceStatusSchema() produces", () => {
  const file = JSON.parse(
    readFileSync(new URL("../../schemas/service.schema.json", import.meta.url), "utf8"),
  );
  assert.deepEqual(serviceStatusSchema(), file);
});

test("a running and an exited container as statuses and as a table", async () => {
  const engine = new FakeEngine();
  const labels = (service: string) => ({
    "io.sentry.sentryctl.project": "p3",
    "io.sentry.sentryctl.service": service,
    "io.sentry.sentryctl.owner": "up",
  });
  const redis = engine.addContainer("p3_redis", { labels: labels("redis"), image: "redis:7" });
  redis.inspect.HostConfig.PortBindings = {
    "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "6379" }],
  };
  await engine.startContainer(redis.inspect.Id);
  redis.inspect.State.StartedAt = "2026-01-01T00:00:00Z";
  const kafka = engine.addContainer("p3_kafka", { labels: labels("kafka"), image: "kafka:1" });
  await engine.startContainer(kafka.inspect.Id);
  engine.exit(kafka.inspect.Id, 137);
  engine.addContainer("other_x", { labels: { "io.sentry.sentryctl.project": "other" } });
  const statuses = await projectStatus(
    engine,
    catalogScope("p3"),
    Date.parse("2026-01-01T01:02:03Z"),
  );
  assert.deepEqual(statuses, [
    {
      service: "kafka",
      project: "p3",
      container: "p3_kafka",
      id: kafka.inspect.Id,
      state: "exited",
      health: "none",
      ports: [],
      image: "kafka:1",
      owner: "up",
      startedAt: null,
      uptimeSeconds: null,
      exitCode: 137,
    },
    {
      service: "redis",
      project: "p3",
      container: "p3_redis",
      id: redis.inspect.Id,
      state: "running",
      health: "none",
      ports: [{ container: "6379/tcp", hostIp: "127.0.0.1", hostPort: 6379 }],
      image: "redis:7",
      owner: "up",
      startedAt: "2026-01-01T00:00:00Z",
      uptimeSeconds: 3723,
      exitCode: null,
    },
  ]);
  assert.equal(
    renderStatusTable(statuses),
    [
      "SERVICE  CONTAINER  STATE         HEALTH  PORTS                     IMAGE    UPTIME",
      "kafka    p3_kafka   exited (137)  -       -                         kafka:1  -",
      "redis    p3_redis   running       -       127.0.0.1:6379->6379/tcp  redis:7  1h2m",
      "",
    ].join("\n"),
  );
});

test("prefixed log lines: whole lines only, a partial line waits for its end", () => {
  const out: string[] = [];
  const w = new PrefixWriter({ write: (d) => out.push(String(d)) }, "redis | ");
  w.write("one\ntw");
  w.write(new TextEncoder().encode("o\nthree"));
  w.flush();
  assert.deepEqual(out, ["redis | one\n", "redis | two\n", "redis | three\n"]);
});
