import { test } from "node:test";
import assert from "node:assert/strict";
import { load, loadError } from "../../tests/helpers/compose-project.ts";
import type { ServiceConfig } from "./types.ts";

async function service(
  body: string,
  extra: Parameters<typeof load>[1] = {},
): Promise<ServiceConfig> {
  const indented = body.split("\n").map((l) => `    ${l}`).join("\n");
  const p = await load(
    `services:\n  s:\n${indented}\nvolumes: {data: {}}\nsecrets: {tok: {file: ./tok.txt}}\n`,
    extra,
  );
  return p.model.services.s!;
}

test("ports: short, IP, empty host, IPv6, ranges, udp, long form", async () => {
  const s = await service([
    "ports:",
    "  - 80",
    "  - 8080:80",
    "  - 127.0.0.1:9000:9000",
    "  - 127.0.0.1::5000",
    "  - '[::1]:6000:6000/udp'",
    "  - 3000-3001",
    "  - 8000-8001:90-91",
    "  - 7000-7010:7000",
    "  - target: 443",
    "    published: '8443'",
    "    host_ip: 0.0.0.0",
    "    protocol: UDP",
    "    mode: host",
  ].join("\n"));
  assert.deepEqual(s.ports, [
    { mode: "ingress", target: 80, protocol: "tcp" },
    { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
    { mode: "ingress", host_ip: "127.0.0.1", target: 9000, published: "9000", protocol: "tcp" },
    { mode: "ingress", host_ip: "127.0.0.1", target: 5000, protocol: "tcp" },
    { mode: "ingress", host_ip: "::1", target: 6000, published: "6000", protocol: "udp" },
    { mode: "ingress", target: 3000, protocol: "tcp" },
    { mode: "ingress", target: 3001, protocol: "tcp" },
    { mode: "ingress", target: 90, published: "8000", protocol: "tcp" },
    { mode: "ingress", target: 91, published: "8001", protocol: "tcp" },
    { mode: "ingress", target: 7000, published: "7000-7010", protocol: "tcp" },
    { mode: "host", host_ip: "0.0.0.0", target: 443, published: "8443", protocol: "udp" },
  ]);
});

test("a bad port names file:line:col with a caret", async () => {
  for (
    const bad of [
      "'99999:80'",
      "abc",
      "'80:70000'",
      "1:2:3:4",
      "'8000-8002:80-81'",
      "80/icmp",
      "{published: 80}",
    ]
  ) {
    const msg = await loadError(`services:\n  s:\n    ports:\n      - ${bad}\n`);
    assert.match(msg, /^\/p\/compose\.yml:4:\d+: /, bad);
    assert.match(msg, /4 \| {7}- /, bad);
  }
});

test("volumes: named, bind relative/absolute/home with modes, anonymous, long form, tmpfs", async () => {
  const s = await service([
    "volumes:",
    "  - data:/data:ro",
    "  - ./conf:/etc/conf:ro,z",
    "  - /abs:/abs:Z",
    "  - ~/cache:/cache",
    "  - /anon",
    "  - type: bind",
    "    source: ./redis.conf",
    "    target: /etc/redis.conf",
    "    read_only: true",
    "  - {type: volume, source: data, target: /d2, volume: {nocopy: true}}",
    "  - {type: tmpfs, target: /tmp, tmpfs: {size: 1000}}",
  ].join("\n"));
  assert.deepEqual(s.volumes, [
    { type: "volume", source: "data", target: "/data", volume: {}, read_only: true },
    {
      type: "bind",
      source: "/p/conf",
      target: "/etc/conf",
      bind: { create_host_path: true, selinux: "z" },
      read_only: true,
    },
    {
      type: "bind",
      source: "/abs",
      target: "/abs",
      bind: { create_host_path: true, selinux: "Z" },
    },
    { type: "bind", source: "/home/u/cache", target: "/cache", bind: { create_host_path: true } },
    { type: "volume", target: "/anon", volume: {} },
    { type: "bind", source: "/p/redis.conf", target: "/etc/redis.conf", read_only: true },
    { type: "volume", source: "data", target: "/d2", volume: { nocopy: true } },
    { type: "tmpfs", target: "/tmp", tmpfs: { size: 1000 } },
  ]);
  assert.match(
    await loadError("services:\n  s:\n    volumes: [nope:/x]\n"),
    /compose\.yml:3:15: service 's' refers to undefined volume 'nope'/,
  );
  assert.match(
    await loadError("services:\n  s:\n    volumes: ['./a:/x:bogus']\n"),
    /unknown mode 'bogus'/,
  );
  assert.match(
    await loadError("services:\n  s:\n    volumes: [{source: ./a, target: /x}]\n"),
    /'type' must be one of/,
  );
});

test("environment: map (numbers, booleans, null) and list (K=V, bare K) with pass-through", async () => {
  const env = { HOST_ONLY: "from-host" };
  const map = await service(
    "environment:\n  A: 1\n  B: true\n  C: 'x=y'\n  HOST_ONLY:\n  UNSET_X:",
    { env },
  );
  assert.deepEqual(map.environment, {
    A: "1",
    B: "true",
    C: "x=y",
    HOST_ONLY: "from-host",
    UNSET_X: null,
  });
  const list = await service("environment:\n  - A=1\n  - C=x=y\n  - HOST_ONLY\n  - EMPTY=", {
    env,
  });
  assert.deepEqual(list.environment, { A: "1", C: "x=y", HOST_ONLY: "from-host", EMPTY: "" });
});

test("env_file: string, list, long form with required; its values under environment", async () => {
  const others = { "/p/a.env": "A=from-a\nB=from-a\nPASS\n", "/p/b.env": "B=from-b\n" };
  const s = await service(
    "env_file: [a.env, {path: ./b.env}, {path: missing.env, required: false}]\nenvironment: {A: own}",
    {
      others,
      env: { PASS: "host" },
    },
  );
  assert.deepEqual(s.environment, { A: "own", B: "from-b", PASS: "host" });
  assert.deepEqual(s.env_file, [
    { path: "/p/a.env", required: true },
    { path: "/p/b.env", required: true },
    { path: "/p/missing.env", required: false },
  ]);
  const one = await service("env_file: a.env", { others });
  assert.equal(one.environment?.B, "from-a");
  assert.match(
    await loadError("services:\n  s:\n    env_file: gone.env\n"),
    /compose\.yml:3:15: env_file '\/p\/gone\.env' of service 's' does not exist/,
  );
});

test("command and entrypoint: a string is split as a shell would, a list is kept", async () => {
  const s = await service(
    `command: run "a b" 'c d' e\\ f\nentrypoint: [/bin/sh, -c, "echo $$HOME"]`,
  );
  assert.deepEqual(s.command, ["run", "a b", "c d", "e f"]);
  assert.deepEqual(s.entrypoint, ["/bin/sh", "-c", "echo $HOME"]);
  assert.match(
    await loadError('services:\n  s:\n    command: "echo \'open"\n'),
    /unterminated single quote/,
  );
});

test("depends_on: list, and map with condition, required, restart; unknown service; cycles", async () => {
  const text = (deps: string) => `services:\n  a:\n    depends_on: ${deps}\n  b: {}\n  c: {}\n`;
  assert.deepEqual((await load(text("[b, c]"))).model.services.a!.depends_on, {
    b: { condition: "service_started", required: true },
    c: { condition: "service_started", required: true },
  });
  const map = await load(
    text(
      "{b: {condition: service_healthy, restart: true}, c: {condition: service_completed_successfully, required: false}}",
    ),
  );
  assert.deepEqual(map.model.services.a!.depends_on, {
    b: { condition: "service_healthy", required: true, restart: true },
    c: { condition: "service_completed_successfully", required: false },
  });
  assert.match(
    await loadError(text("[b, nope]")),
    /compose\.yml:3:\d+: service 'a' depends on undefined service 'nope'\n3 \|/,
  );
  assert.match(
    await loadError(text("{b: {condition: service_ready}}")),
    /unknown condition 'service_ready'/,
  );
  const listed = await loadError(
    "services:\n  a:\n    depends_on:\n      - b\n      - ghost\n  b: {}\n",
  );
  assert.match(
    listed,
    /^\/p\/compose\.yml:5:9: service 'a' depends on undefined service 'ghost'\n5 \| {7}- ghost\n {12}\^/,
  );
  const cycle = await loadError(
    "services:\n  a: {depends_on: [b]}\n  b:\n    depends_on: [c]\n  c:\n    depends_on:\n      - a\n",
  );
  assert.match(cycle, /dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/);
  assert.match(cycle, /compose\.yml:7:9: /, "at the list item that closes the cycle");
});

test("healthcheck: string, CMD, CMD-SHELL, NONE, disable, durations", async () => {
  const hc = async (body: string) =>
    (await service(`healthcheck:\n  ${body.replaceAll("\n", "\n  ")}`)).healthcheck;
  assert.deepEqual(
    await hc(
      "test: redis-cli ping\ninterval: 1m30s\ntimeout: 500ms\nretries: 3\nstart_period: 10s\nstart_interval: 1s",
    ),
    {
      test: ["CMD-SHELL", "redis-cli ping"],
      interval: "1m30s",
      timeout: "500ms",
      retries: 3,
      start_period: "10s",
      start_interval: "1s",
    },
  );
  assert.deepEqual(await hc("test: [CMD, pg_isready]"), { test: ["CMD", "pg_isready"] });
  assert.deepEqual(await hc("test: [CMD-SHELL, 'a | b']"), { test: ["CMD-SHELL", "a | b"] });
  assert.deepEqual(await hc("test: [NONE]"), { test: ["NONE"] });
  assert.deepEqual(await hc("disable: true"), { disable: true });
  assert.match(
    await loadError("services:\n  s:\n    healthcheck: {interval: soon}\n"),
    /'soon' is not a duration/,
  );
  assert.match(
    await loadError("services:\n  s:\n    healthcheck: {test: [RUN, x]}\n"),
    /must start with CMD, CMD-SHELL or NONE/,
  );
});

test("extra_hosts, networks with aliases, ulimits, labels, secrets, build, pull_policy and the rest", async () => {
  const p = await load(
    [
      "services:",
      "  s:",
      "    extra_hosts: ['a:1.2.3.4', 'b=host-gateway']",
      "    networks: {front: {aliases: [web]}, back: null}",
      "    ulimits: {nproc: 65535, nofile: {soft: 1, hard: 2}}",
      "    labels: [a=b, c]",
      "    secrets: [tok, {source: tok, target: /t, mode: '0400'}]",
      "    build: {context: ./app, dockerfile: D, target: dev, args: [V=1, PASS]}",
      "    pull_policy: if_not_present",
      "    shm_size: 256m",
      "    stop_grace_period: 1m",
      "    tmpfs: /run",
      "    init: true",
      "    user: 1000",
      "  t:",
      "    extra_hosts: {host.docker.internal: host-gateway, multi: [1.1.1.1, 2.2.2.2]}",
      "    networks: [front]",
      "    build: .",
      "    network_mode: host",
      "  u: {image: x}",
      "networks: {front: {}, back: {name: custom}, ext: {external: true}}",
      "secrets: {tok: {file: ./tok.txt}}",
    ].join("\n"),
    { env: { PASS: "p" } },
  );
  const { s, t, u } = p.model.services as Record<string, ServiceConfig>;
  assert.deepEqual(s!.extra_hosts, ["a=1.2.3.4", "b=host-gateway"]);
  assert.deepEqual(s!.networks, { front: { aliases: ["web"] }, back: null });
  assert.deepEqual(s!.ulimits, {
    nproc: { soft: 65535, hard: 65535 },
    nofile: { soft: 1, hard: 2 },
  });
  assert.deepEqual(s!.labels, { a: "b", c: "" });
  assert.deepEqual(s!.secrets, [{ source: "tok" }, { source: "tok", target: "/t", mode: 0o400 }]);
  assert.deepEqual(s!.build, {
    context: "/p/app",
    dockerfile: "D",
    target: "dev",
    args: { V: "1", PASS: "p" },
  });
  assert.equal(s!.pull_policy, "missing");
  assert.equal(s!.shm_size, String(256 * 1024 * 1024));
  assert.equal(s!.stop_grace_period, "1m");
  assert.deepEqual(s!.tmpfs, ["/run"]);
  assert.equal(s!.init, true);
  assert.equal(s!.user, "1000");
  assert.deepEqual(t!.extra_hosts, [
    "host.docker.internal=host-gateway",
    "multi=1.1.1.1",
    "multi=2.2.2.2",
  ]);
  assert.deepEqual(t!.build, { context: "/p", dockerfile: "Dockerfile" });
  assert.equal(t!.network_mode, "host");
  assert.deepEqual(u!.networks, { default: null }, "no networks: the default one");
  assert.deepEqual(p.model.networks, {
    front: { name: "p_front" },
    back: { name: "custom" },
    ext: { name: "ext", external: true },
    default: { name: "p_default" },
  });
  assert.deepEqual(p.model.secrets, { tok: { name: "p_tok", file: "/p/tok.txt" } });
  assert.match(await loadError("services:\n  s: {networks: [nope]}\n"), /undefined network 'nope'/);
  assert.match(await loadError("services:\n  s: {secrets: [nope]}\n"), /undefined secret 'nope'/);
  assert.match(
    await loadError("services:\n  s: {pull_policy: sometimes}\n"),
    /unknown pull policy/,
  );
  assert.match(await loadError("services:\n  s: {restart: maybe}\n"), /unknown restart policy/);
});

test("unknown keys warn with file:line and are left out; x- keys are kept", async () => {
  const p = await load(
    "version: '3'\nservices:\n  s:\n    image: x\n    mem_limit: 1g\n    x-note: kept\n    ports:\n      - {target: 80, colour: red}\nconfigs: {}\n",
  );
  assert.deepEqual(p.warnings, [
    "/p/compose.yml:1: the top-level 'version' is obsolete and ignored, as compose does",
    "/p/compose.yml:9: top-level key 'configs' is not supported by sentryctl; ignored",
    "/p/compose.yml:5: service 's': key 'mem_limit' is not supported by sentryctl; ignored",
    "/p/compose.yml:8: unknown key 'colour' in services.s.ports.0; ignored",
  ]);
  assert.equal((p.model.services.s as Record<string, unknown>)["x-note"], "kept");
  assert.equal((p.model.services.s as Record<string, unknown>).mem_limit, undefined);
});
