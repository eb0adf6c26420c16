// The converter from compose's model to the orchestrator's Stack, without Docker: names, labels,
// aliases, ports, volumes, secrets, healthcheck → probe, depends_on conditions, pull_policy,
// build, and the remote-engine rules. Each assertion pins one compose rule of SPEC §3a.

import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "../../../tests/helpers/compose-project.ts";
import type { LoadedProject } from "../../compose/types.ts";
import { LABELS } from "../labels.ts";
import type { Stack, StackService } from "../stack-model.ts";
import { COMPOSE_VERSION } from "./container.ts";
import { durationSeconds, IMAGE_HEALTHCHECK, probeOf } from "./probe.ts";
import { type HostFiles, projectStack } from "./stack.ts";
import { projectServices } from "./services.ts";

const NO_FILES: HostFiles = { readFile: () => Promise.resolve(undefined) };

const FILE = `
name: shop
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data, /anon]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 2s
      timeout: 3s
      retries: 4
      start_period: 10s
    networks:
      back: { aliases: [database] }
  migrate:
    image: shop/migrate:1
    pull_policy: never
    depends_on:
      db: { condition: service_healthy }
  web:
    build:
      context: ./web
      dockerfile: web.Dockerfile
      target: prod
      args: { VERSION: "2" }
    pull_policy: build
    labels: { team: shop }
    ports:
      - "127.0.0.1:8080:80"
      - "9000-9001:9000-9001/udp"
    expose: ["3000"]
    volumes:
      - ./conf:/etc/web:ro
      - type: tmpfs
        target: /tmp/cache
    secrets: [api_key]
    depends_on:
      migrate: { condition: service_completed_successfully }
      db: { condition: service_started }
    networks: [default, back]
    restart: on-failure:3
    stop_grace_period: 1m30s
    extra_hosts: ["host.docker.internal:host-gateway"]
  cache:
    image: redis:7
    container_name: shop-cache
    pull_policy: daily
    healthcheck: { disable: true }
networks:
  back: {}
volumes:
  data: {}
secrets:
  api_key: { file: ./api_key.txt }
`;

async function stackOf(
  text = FILE,
  opts: { local?: boolean; files?: HostFiles } = {},
): Promise<{ p: LoadedProject; stack: Stack; by: (n: string) => StackService }> {
  const p = await load(text);
  const stack = await projectStack(p, {
    owner: "up",
    local: opts.local ?? true,
    files: opts.files ?? NO_FILES,
  });
  const by = (n: string) => {
    const s = stack.services.find((x) => x.name === n);
    assert.ok(s, `service ${n}`);
    return s;
  };
  return { p, stack, by };
}

test("names: <project>-<service>-1 or container_name; images; dependency order; ownership", async () => {
  const { stack, by } = await stackOf();
  assert.equal(stack.project, "shop");
  assert.equal(by("db").container.name, "shop-db-1");
  assert.equal(by("cache").container.name, "shop-cache");
  assert.equal(by("db").container.body.Image, "postgres:16");
  assert.equal(by("web").container.body.Image, "shop-web", "a built image is <project>-<service>");
  const order = stack.services.map((s) => s.name);
  assert.ok(order.indexOf("db") < order.indexOf("migrate"));
  assert.ok(order.indexOf("migrate") < order.indexOf("web"));
  assert.equal(stack.ownerLabel, "com.docker.compose.project");
  assert.equal(stack.serviceLabel, "com.docker.compose.service");
  assert.equal(stack.composeRules, true);
  assert.deepEqual(stack.source, {
    kind: "project-files",
    files: ["/p/compose.yml"],
    workingDir: "/p",
  });
});

test("labels: compose's and ours on every container; the file's own labels kept", async () => {
  const { by } = await stackOf();
  const labels = by("web").container.body.Labels!;
  assert.equal(labels["com.docker.compose.project"], "shop");
  assert.equal(labels["com.docker.compose.service"], "web");
  assert.equal(labels["com.docker.compose.container-number"], "1");
  assert.equal(labels["com.docker.compose.oneoff"], "False");
  assert.equal(labels["com.docker.compose.project.working_dir"], "/p");
  assert.equal(labels["com.docker.compose.project.config_files"], "/p/compose.yml");
  assert.equal(labels["com.docker.compose.version"], COMPOSE_VERSION);
  assert.equal(labels[LABELS.project], "shop");
  assert.equal(labels[LABELS.service], "web");
  assert.equal(labels[LABELS.owner], "up");
  assert.equal(labels[LABELS.configHash], by("web").container.configHash);
  assert.equal(labels.team, "shop");
});

test("networks: <project>_<net>, the service name (and its aliases) as DNS aliases on each", async () => {
  const { stack, by } = await stackOf();
  assert.deepEqual(stack.networks.map((n) => n.name).sort(), ["shop_back", "shop_default"]);
  const back = stack.networks.find((n) => n.name === "shop_back")!;
  assert.equal(back.labels["com.docker.compose.network"], "back");
  assert.equal(back.labels["com.docker.compose.project"], "shop");
  assert.equal(back.external, false);
  const db = by("db").container;
  assert.equal(db.body.HostConfig.NetworkMode, "shop_back");
  assert.deepEqual(db.body.NetworkingConfig?.EndpointsConfig, {
    shop_back: { Aliases: ["db", "database"] },
  });
  // web is on two networks: created on the first, connected to the second with its alias.
  const web = by("web").container;
  assert.deepEqual(Object.keys(web.body.NetworkingConfig?.EndpointsConfig ?? {}), [
    "shop_default",
  ]);
  assert.deepEqual(web.networks, [{ name: "shop_back", aliases: ["web"] }]);
});

test("ports: host ip, ranges one entry per port, udp, expose", async () => {
  const { by } = await stackOf();
  const web = by("web").container;
  assert.deepEqual(web.body.HostConfig.PortBindings, {
    "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }],
    "9000/udp": [{ HostIp: "", HostPort: "9000" }],
    "9001/udp": [{ HostIp: "", HostPort: "9001" }],
  });
  assert.deepEqual(Object.keys(web.body.ExposedPorts ?? {}).sort(), [
    "3000/tcp",
    "80/tcp",
    "9000/udp",
    "9001/udp",
  ]);
  assert.equal(web.publishesPorts, true);
  assert.equal(by("db").container.publishesPorts, false);
});

test("volumes: named as <project>_<vol> labelled for compose, anonymous, bind :ro, tmpfs", async () => {
  const { stack, by } = await stackOf();
  assert.deepEqual(stack.volumes.map((v) => v.name), ["shop_data"]);
  const data = stack.volumes[0]!;
  assert.equal(data.labels["com.docker.compose.volume"], "data");
  assert.equal(data.labels["com.docker.compose.project"], "shop");
  assert.equal(data.service, "db");
  const db = by("db").container;
  assert.deepEqual(db.volumes, ["shop_data"]);
  assert.deepEqual(db.body.HostConfig.Mounts, [
    {
      Type: "volume",
      Source: "shop_data",
      Target: "/var/lib/postgresql/data",
      ReadOnly: undefined,
    },
    { Type: "volume", Target: "/anon", ReadOnly: undefined },
  ]);
  const web = by("web").container.body.HostConfig.Mounts!;
  assert.deepEqual(web.find((m) => m.Target === "/etc/web"), {
    Type: "bind",
    Source: "/p/conf",
    Target: "/etc/web",
    ReadOnly: true,
  });
  assert.deepEqual(web.find((m) => m.Target === "/tmp/cache"), {
    Type: "tmpfs",
    Target: "/tmp/cache",
  });
});

test("secrets: a file secret is bind-mounted read-only at /run/secrets/<name>", async () => {
  const { by } = await stackOf();
  const mount = by("web").container.body.HostConfig.Mounts!.find((m) =>
    m.Target === "/run/secrets/api_key"
  );
  assert.deepEqual(mount, {
    Type: "bind",
    Source: "/p/api_key.txt",
    Target: "/run/secrets/api_key",
    ReadOnly: true,
  });
});

test("a remote engine: read-only files and secrets are copied in; a writable bind is refused", async () => {
  const files: HostFiles = {
    readFile: (path) =>
      Promise.resolve(
        path === "/p/api_key.txt" || path === "/p/conf.txt"
          ? new TextEncoder().encode(`content of ${path}`)
          : undefined,
      ),
  };
  const text = `
services:
  app:
    image: app
    volumes: ["./conf.txt:/etc/conf.txt:ro"]
    secrets: [api_key]
secrets:
  api_key: { file: ./api_key.txt }
`;
  const { by } = await stackOf(text, { local: false, files });
  const app = by("app").container;
  assert.deepEqual(app.body.HostConfig.Mounts, []);
  assert.deepEqual(app.files.map((f) => f.path).sort(), ["/etc/conf.txt", "/run/secrets/api_key"]);
  await assert.rejects(
    stackOf(`services:\n  app:\n    image: app\n    volumes: ["./data:/data"]\n`, {
      local: false,
      files,
    }),
    /bind-mounts the host path '\/p\/data', which a remote engine cannot see/,
  );
});

test("healthcheck → probe: CMD-SHELL through sh, its timings, Docker's HEALTHCHECK the same", async () => {
  const { by } = await stackOf();
  const db = by("db");
  assert.deepEqual(db.healthcheck, {
    exec: ["/bin/sh", "-c", "pg_isready -U postgres"],
    interval: 2,
    timeout: 3,
    retries: 4,
    start_period: 10,
    timeout_total: 60,
  });
  assert.deepEqual(db.container.body.Healthcheck, {
    Test: ["CMD", "/bin/sh", "-c", "pg_isready -U postgres"],
    Interval: 2e9,
    Timeout: 3e9,
    Retries: 4,
    StartPeriod: 10e9,
  });
  // No healthcheck of its own: the image's HEALTHCHECK through Docker's health status.
  assert.deepEqual(by("migrate").healthcheck, IMAGE_HEALTHCHECK);
  assert.equal(by("migrate").container.body.Healthcheck, undefined);
  // disable: no probe, and the image's HEALTHCHECK turned off too.
  assert.equal(by("cache").healthcheck, undefined);
  assert.deepEqual(by("cache").container.body.Healthcheck, { Test: ["NONE"] });
});

test("probeOf: CMD as is, NONE is none, a long probe's total covers its retries", () => {
  assert.deepEqual(probeOf({ test: ["CMD", "true"] })?.exec, ["true"]);
  assert.equal(probeOf({ test: ["NONE"] }), undefined);
  assert.equal(probeOf({ disable: true, test: ["CMD", "true"] }), undefined);
  assert.deepEqual(probeOf(undefined), IMAGE_HEALTHCHECK);
  assert.deepEqual(
    probeOf({ interval: "5s" }),
    IMAGE_HEALTHCHECK,
    "timings only: the image's test",
  );
  const slow = probeOf({ test: ["CMD", "x"], interval: "30s", timeout: "10s", retries: 5 })!;
  assert.equal(slow.timeout_total, 240);
  assert.equal(durationSeconds("1m30s"), 90);
  assert.equal(durationSeconds("500ms"), 0.5);
  assert.equal(durationSeconds("1h2m3s"), 3723);
  assert.equal(durationSeconds("bad"), undefined);
});

test("depends_on conditions: started, healthy, completed", async () => {
  const { by } = await stackOf();
  assert.deepEqual(by("migrate").after, ["db"]);
  assert.deepEqual(by("migrate").conditions, { db: "healthy" });
  assert.deepEqual(by("web").after.sort(), ["db", "migrate"]);
  assert.deepEqual(by("web").conditions, { migrate: "completed", db: "started" });
  assert.deepEqual(by("db").after, []);
});

test("pull_policy and build: the policy per service, the build plan tagged <project>-<service>", async () => {
  const { by } = await stackOf();
  assert.equal(by("migrate").pullPolicy, "never");
  assert.equal(by("web").pullPolicy, "build");
  assert.equal(by("cache").pullPolicy, "missing", "daily without a record pulls what is missing");
  assert.equal(by("db").pullPolicy, undefined);
  assert.deepEqual(by("web").build, {
    context: "/p/web",
    dockerfile: "web.Dockerfile",
    target: "prod",
    args: { VERSION: "2" },
    tag: "shop-web",
  });
  assert.equal(by("db").build, undefined);
});

test("container settings: restart with retries, grace period, extra hosts as host:ip", async () => {
  const { by } = await stackOf();
  const web = by("web").container;
  assert.deepEqual(web.body.HostConfig.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 3 });
  assert.equal(web.body.StopTimeout, 90);
  assert.equal(web.stopGraceSeconds, 90);
  assert.deepEqual(web.body.HostConfig.ExtraHosts, ["host.docker.internal:host-gateway"]);
  assert.deepEqual(by("db").container.body.HostConfig.RestartPolicy, { Name: "no" });
});

test("the config hash follows the definition: same file, same hash; one change, one service", async () => {
  const a = await stackOf();
  const b = await stackOf();
  const hashes = (s: Stack) =>
    Object.fromEntries(s.services.map((x) => [x.name, x.container.configHash]));
  assert.deepEqual(hashes(a.stack), hashes(b.stack));
  const changed = await stackOf(FILE.replace('VERSION: "2"', 'VERSION: "3"'));
  const before = hashes(a.stack);
  const after = hashes(changed.stack);
  assert.notEqual(after.web, before.web, "a build arg is part of the definition");
  for (const s of ["db", "migrate", "cache"]) assert.equal(after[s], before[s], s);
});

test("external networks and volumes keep their names and are marked external", async () => {
  const { stack } = await stackOf(`
services:
  app:
    image: app
    networks: [shared]
    volumes: [store:/data]
networks:
  shared: { external: true, name: sentry }
volumes:
  store: { external: true }
`);
  assert.deepEqual(stack.networks.map((n) => [n.name, n.external]), [["sentry", true]]);
  assert.deepEqual(stack.volumes.map((v) => [v.name, v.external]), [["store", true]]);
});

test("projectServices (ps, logs, exec, with, serve): names, containers, published ports, probes", async () => {
  const p = await load(FILE);
  const services = projectServices(p);
  assert.deepEqual([...services.keys()].sort(), ["cache", "db", "migrate", "web"]);
  const web = services.get("web")!;
  assert.equal(web.containerName, "shop-web-1");
  assert.equal(web.spec.image, "shop-web");
  assert.deepEqual(web.spec.ports, {
    "80/tcp": ["127.0.0.1", "8080"],
    "9000/udp": ["0.0.0.0", "9000"],
    "9001/udp": ["0.0.0.0", "9001"],
  });
  assert.deepEqual(web.spec.depends_on?.sort(), ["db", "migrate"]);
  assert.equal(services.get("cache")!.containerName, "shop-cache");
  assert.equal(services.get("db")!.spec.healthcheck?.exec?.[0], "/bin/sh");
});
