// End-to-end: a TLS Docker endpoint (`DOCKER_HOST=tcp://…`, `DOCKER_TLS_VERIFY`,
// `DOCKER_CERT_PATH`), issue #8 must-show 7. Certificates are made with openssl here. The engine
// behind it is the shared one, reached through a TLS-terminating proxy in this test process
// that verifies client certificates as dockerd --tlsverify does (a second dockerd would
// disturb the shared machine).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, connect } from "node:net";
import { createServer, type Server } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testEnv } from "../helpers/cli.ts";
import { configDir } from "../helpers/config-dir.ts";
import { cleanupProject, inspect } from "../helpers/docker.ts";
import { projectCli, redisService } from "../helpers/stack.ts";
import { freePort } from "../../src/runtime/free-port.ts";

const PROJECT = `engine-tls-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "sentryctl-tls-"));

function openssl(...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate; plus an unrelated CA. */
function makeCertificates(): void {
  writeFileSync(
    join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const ca of ["ca", "other-ca"]) {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${ca}`,
      "-keyout",
      `${ca}-key.pem`,
      "-out",
      `${ca}.pem`,
    );
  }
  for (const who of ["server", "client"]) {
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${who}`,
      "-keyout",
      `${who}-key.pem`,
      "-out",
      `${who}.csr`,
    );
    openssl(
      "x509",
      "-req",
      "-in",
      `${who}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca-key.pem",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      `${who}.ext`,
      "-out",
      `${who}-cert.pem`,
    );
  }
  // DOCKER_CERT_PATH layouts as the docker CLI reads them: ca.pem, cert.pem, key.pem.
  const good = join(dir, "good");
  const wrongCa = join(dir, "wrong-ca");
  const noClient = join(dir, "no-client");
  for (const d of [good, wrongCa, noClient]) mkdirSync(d);
  copyFileSync(join(dir, "ca.pem"), join(good, "ca.pem"));
  copyFileSync(join(dir, "other-ca.pem"), join(wrongCa, "ca.pem"));
  copyFileSync(join(dir, "ca.pem"), join(noClient, "ca.pem"));
  for (const d of [good, wrongCa]) {
    copyFileSync(join(dir, "client-cert.pem"), join(d, "cert.pem"));
    copyFileSync(join(dir, "client-key.pem"), join(d, "key.pem"));
  }
}

let server: Server;
let port = 0;

// A port free right now (a fixed one in the ephemeral range may be held by another suite).
const REDIS_PORT = await freePort();
const conf = configDir(
  `SENTRY_DEVSERVICES:\n${redisService(REDIS_PORT, { healthcheck: true })}`,
  "sentryctl-tls-conf-",
);

const tlsEnv = (certDir: string) =>
  testEnv({
    DOCKER_HOST: `tcp://127.0.0.1:${port}`,
    DOCKER_TLS_VERIFY: "1",
    DOCKER_CERT_PATH: join(dir, certDir),
  });
const cli = (args: string[], certDir: string) =>
  projectCli(conf, PROJECT, { env: () => tlsEnv(certDir) })(args);

describe("a TLS Docker endpoint", { timeout: 300_000 }, () => {
  before(async () => {
    cleanupProject(PROJECT);
    makeCertificates();
    server = createServer({
      key: readFileSync(join(dir, "server-key.pem")),
      cert: readFileSync(join(dir, "server-cert.pem")),
      ca: readFileSync(join(dir, "ca.pem")),
      requestCert: true,
      rejectUnauthorized: true,
    }, (client) => {
      const engine = connect("/var/run/docker.sock");
      client.pipe(engine).pipe(client);
      const close = () => {
        client.destroy();
        engine.destroy();
      };
      client.on("error", close);
      engine.on("error", close);
      client.on("close", close);
      engine.on("close", close);
    });
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server?.close();
    cleanupProject(PROJECT);
  });

  test("up, ps --json and down work through DOCKER_HOST=tcp:// with DOCKER_TLS_VERIFY", async () => {
    const up = await cli(["up", "redis"], "good");
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /> redis: healthy/);
    assert.equal(inspect("container", `${PROJECT}_redis`)?.State.Running, true);
    const ps = await cli(["ps", "--json"], "good");
    assert.equal(ps.code, 0, ps.stderr);
    const [redis] = JSON.parse(ps.stdout);
    assert.equal(redis.container, `${PROJECT}_redis`);
    assert.equal(redis.state, "running");
    const doctor = await cli(["doctor"], "good");
    assert.match(
      doctor.stdout,
      new RegExp(`ok {6}tcp://127\\.0\\.0\\.1:${port} \\(from DOCKER_HOST\\): Docker `),
    );
    const down = await cli(["down"], "good");
    assert.equal(down.code, 0, down.stderr);
    assert.equal(inspect("container", `${PROJECT}_redis`), undefined);
  });

  test("a wrong CA: exit 4 naming the certificate problem", async () => {
    const r = await cli(["ps"], "wrong-ca");
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /error: Cannot connect to the Docker engine\. Tried:/);
    assert.match(
      r.stderr,
      new RegExp(
        `tcp://127\\.0\\.0\\.1:${port} \\(from DOCKER_HOST\\): \\S*(CERT|SELF_SIGNED|UNABLE_TO_VERIFY|certificate)`,
        "i",
      ),
    );
    assert.match(
      r.stderr,
      /hint: the TLS handshake failed: check the certificates in DOCKER_CERT_PATH/,
    );
  });

  test("no client certificate: the engine refuses the handshake, exit 4", async () => {
    const r = await cli(["ps"], "no-client");
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /Cannot connect to the Docker engine/);
  });
});
