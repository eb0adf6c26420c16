// End-to-end: on this local engine (unix socket, the project network's bridge on this host) a
// tcp probe connects to the container's own address, not through Docker's port proxy, and stays
// honest: a service that listens only 2 s after its start is not reported healthy before it
// answers on its published port, and one that never listens fails naming the container's
// address and the refusal. The project is named per run; cleanup is by its label only.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { docker } from "../helpers/docker.ts";

const P = `upperf-tcp-${process.pid}-${Math.random().toString(16).slice(2, 6)}`;
const dir = mkdtempSync(join(tmpdir(), "sentryctl-tcpdirect-"));
const env = testEnv();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function removeProject(): void {
  const label = `label=io.sentry.sentryctl.project=${P}`;
  const ids = (args: string[]) => docker(args).stdout.split("\n").filter(Boolean);
  const containers = ids(["ps", "-aq", "--filter", label]);
  if (containers.length > 0) docker(["rm", "-f", "-v", ...containers]);
  const networks = ids(["network", "ls", "-q", "--filter", label]);
  if (networks.length > 0) docker(["network", "rm", ...networks]);
}

let latePort = 0;
before(async () => {
  latePort = await freePort();
  const neverPort = await freePort();
  const late = [
    "sh",
    "-c",
    "sleep 2; mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www",
  ];
  writeFileSync(
    join(dir, "sentry.conf.yml"),
    `SENTRY_DEVSERVICES:
  late:
    image: sentryctl-test/busybox:latest
    command: ${JSON.stringify(late)}
    ports: { "8080/tcp": ${latePort} }
    healthcheck: { tcp: "8080/tcp", timeout_total: 60 }
    stop_grace_period: 1
  never:
    image: sentryctl-test/busybox:latest
    command: ["sleep", "3600"]
    ports: { "7000/tcp": ${neverPort} }
    healthcheck: { tcp: "7000/tcp", timeout_total: 2 }
    stop_grace_period: 1
`,
  );
});
after(removeProject);

const cli = (...args: string[]) =>
  runCli(["--config", dir, "--project", P, ...args], { env, cwd: dir, timeoutMs: 90_000 });

function containerIp(service: string): string {
  const r = docker([
    "ps",
    "-q",
    "--filter",
    `label=io.sentry.sentryctl.project=${P}`,
    "--filter",
    `label=io.sentry.sentryctl.service=${service}`,
  ]);
  const id = r.stdout.trim().split("\n")[0] ?? "";
  const ip = docker([
    "inspect",
    "-f",
    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
    id,
  ]).stdout.trim();
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/, `the ${service} container has an address (${id})`);
  return ip;
}

describe("tcp probes by the container's own address", { timeout: 150_000 }, () => {
  test("a service listening 2 s late is healthy only once it answers on its published port", async () => {
    const t0 = Date.now();
    const r = await cli("up", "late");
    const took = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    // At once, no retry: a probe that passed before the server listened fails here.
    const res = await fetch(`http://127.0.0.1:${latePort}/`);
    assert.equal((await res.text()).trim(), "ok");
    assert.ok(took >= 2000, `up waited for the late listener (${took} ms)`);

    const check = await cli("healthcheck", "late");
    assert.equal(check.code, 0, check.stderr);
    const ip = containerIp("late");
    assert.match(
      check.stdout,
      new RegExp(
        `connected to ${ip.replaceAll(".", "\\.")}:8080 \\(the container's own address\\)`,
      ),
      "the direct route is taken on this engine",
    );
  });

  test("a service that never listens fails with the refusal at the container's address", async () => {
    const r = await cli("up", "never");
    assert.equal(r.code, 6, r.stderr);
    const ip = containerIp("never");
    assert.match(r.stderr, /never did not become healthy/);
    assert.match(
      r.stderr,
      new RegExp(
        `${ip.replaceAll(".", "\\.")}:7000 \\(the container's own address\\): ECONNREFUSED`,
      ),
    );
  });
});
