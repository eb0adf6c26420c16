import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  candidateEndpoints,
  type EndpointFs,
  isLocalEndpoint,
  parseDockerHost,
  probeSockets,
} from "./endpoint.ts";

function fakeFs(files: Record<string, string>): EndpointFs {
  return { exists: (p) => p in files, readText: (p) => files[p] };
}

test("DOCKER_HOST is authoritative: the only candidate", () => {
  const c = candidateEndpoints(
    { DOCKER_HOST: "unix:///tmp/x.sock" },
    "/home/u",
    fakeFs({ "/var/run/docker.sock": "" }),
  );
  assert.deepEqual(c, [{
    source: "DOCKER_HOST",
    url: "unix:///tmp/x.sock",
    socketPath: "/tmp/x.sock",
  }]);
});

test("tcp endpoints: https with DOCKER_TLS_VERIFY or port 2376, certs from DOCKER_CERT_PATH", () => {
  const plain = parseDockerHost("tcp://10.0.0.1:2375", "DOCKER_HOST", {});
  assert.equal(plain.protocol, "http");
  assert.equal(plain.port, 2375);
  const tls = parseDockerHost("tcp://h:2376", "DOCKER_HOST", { DOCKER_CERT_PATH: "/certs" });
  assert.equal(tls.protocol, "https");
  assert.equal(tls.certPath, "/certs");
  const verify = parseDockerHost("tcp://h:4000", "DOCKER_HOST", { DOCKER_TLS_VERIFY: "1" });
  assert.equal(verify.protocol, "https");
  assert.equal(verify.tlsVerify, true);
  const ssh = parseDockerHost("ssh://me@box:2222", "DOCKER_HOST", {});
  assert.deepEqual([ssh.protocol, ssh.host, ssh.port, ssh.username], ["ssh", "box", 2222, "me"]);
});

test("the docker CLI's current context comes next", () => {
  const digest = createHash("sha256").update("colima").digest("hex");
  const fs = fakeFs({
    "/home/u/.docker/config.json": JSON.stringify({ currentContext: "colima" }),
    [`/home/u/.docker/contexts/meta/${digest}/meta.json`]: JSON.stringify({
      Name: "colima",
      Endpoints: { docker: { Host: "unix:///home/u/.colima/default/docker.sock" } },
    }),
    "/var/run/docker.sock": "",
  });
  const [c] = candidateEndpoints({}, "/home/u", fs);
  assert.equal(c?.source, "context");
  assert.equal(c?.context, "colima");
  assert.equal(c?.socketPath, "/home/u/.colima/default/docker.sock");
});

test("the default context and a missing context file fall through to probing", () => {
  const fs = fakeFs({
    "/home/u/.docker/config.json": JSON.stringify({ currentContext: "default" }),
    "/home/u/.orbstack/run/docker.sock": "",
  });
  const c = candidateEndpoints({}, "/home/u", fs);
  assert.deepEqual(c.map((e) => e.socketPath), ["/home/u/.orbstack/run/docker.sock"]);
  assert.equal(c[0]?.source, "probe");
});

test("probing order, and every path is reported when none exists", () => {
  const order = probeSockets({ XDG_RUNTIME_DIR: "/run/user/1000" }, "/home/u");
  assert.deepEqual(order, [
    "/var/run/docker.sock",
    "/run/user/1000/docker.sock",
    "/home/u/.docker/run/docker.sock",
    "/home/u/.colima/default/docker.sock",
    "/home/u/.orbstack/run/docker.sock",
    "/run/user/1000/podman/podman.sock",
    "/run/podman/podman.sock",
  ]);
  const c = candidateEndpoints({}, "/home/u", fakeFs({}));
  assert.equal(c.length, 5);
});

test("a unix socket or a named pipe is a local engine; tcp, https and ssh are not", () => {
  const at = (url: string) => parseDockerHost(url, "DOCKER_HOST", {});
  assert.equal(isLocalEndpoint(at("unix:///var/run/docker.sock")), true);
  assert.equal(isLocalEndpoint(at("unix://")), true);
  assert.equal(
    isLocalEndpoint({ source: "DOCKER_HOST", url: "npipe:////./pipe/docker_engine" }),
    true,
  );
  for (const url of ["tcp://127.0.0.1:2375", "tcp://h:2376", "ssh://u@h", "localhost:2375"]) {
    assert.equal(isLocalEndpoint(at(url)), false, url);
  }
  assert.equal(isLocalEndpoint(undefined), false);
});
