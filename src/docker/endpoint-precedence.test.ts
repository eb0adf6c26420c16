// Regression tests for endpoint choice: DOCKER_HOST beats a context, TLS flags read like the
// docker CLI reads them, and a context with TLS material is upgraded to https.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { candidateEndpoints, type EndpointFs, parseDockerHost } from "./endpoint.ts";

function fakeFs(files: Record<string, string>): EndpointFs {
  return { exists: (p) => p in files, readText: (p) => files[p] };
}

const digest = (name: string) => createHash("sha256").update(name).digest("hex");

function contextFs(name: string, host: string, tls: boolean): Record<string, string> {
  const files: Record<string, string> = {
    "/home/u/.docker/config.json": JSON.stringify({ currentContext: name }),
    [`/home/u/.docker/contexts/meta/${digest(name)}/meta.json`]: JSON.stringify({
      Name: name,
      Endpoints: { docker: { Host: host } },
    }),
  };
  if (tls) {
    const dir = `/home/u/.docker/contexts/tls/${digest(name)}/docker`;
    files[`${dir}/ca.pem`] = "ca";
    files[`${dir}/cert.pem`] = "cert";
  }
  return files;
}

test("DOCKER_HOST wins over a selected docker context", () => {
  const fs = fakeFs(contextFs("remote", "tcp://10.1.1.1:2376", true));
  const c = candidateEndpoints({ DOCKER_HOST: "unix:///tmp/mine.sock" }, "/home/u", fs);
  assert.deepEqual(c, [{
    source: "DOCKER_HOST",
    url: "unix:///tmp/mine.sock",
    socketPath: "/tmp/mine.sock",
  }]);
});

test("DOCKER_CONTEXT selects a context and is used when DOCKER_HOST is unset", () => {
  const fs = fakeFs(contextFs("remote", "tcp://10.1.1.1:2375", false));
  const [c] = candidateEndpoints({ DOCKER_CONTEXT: "remote" }, "/home/u", fs);
  assert.equal(c?.source, "context");
  assert.equal(c?.url, "tcp://10.1.1.1:2375");
  assert.equal(c?.protocol, "http");
});

test("DOCKER_TLS_VERIFY=0 and empty mean off; 1 and other values mean on", () => {
  const off0 = parseDockerHost("tcp://h:4000", "DOCKER_HOST", { DOCKER_TLS_VERIFY: "0" });
  assert.equal(off0.tlsVerify, false);
  assert.equal(off0.protocol, "http");
  const offEmpty = parseDockerHost("tcp://h:4000", "DOCKER_HOST", { DOCKER_TLS_VERIFY: "" });
  assert.equal(offEmpty.tlsVerify, false);
  assert.equal(offEmpty.protocol, "http");
  const unset = parseDockerHost("tcp://h:4000", "DOCKER_HOST", {});
  assert.equal(unset.tlsVerify, false);
  const on = parseDockerHost("tcp://h:4000", "DOCKER_HOST", { DOCKER_TLS_VERIFY: "1" });
  assert.equal(on.tlsVerify, true);
  assert.equal(on.protocol, "https");
});

test("a context with TLS material is upgraded to https with its TLS directory", () => {
  const fs = fakeFs(contextFs("secure", "tcp://10.2.2.2:2375", true));
  const [c] = candidateEndpoints({}, "/home/u", fs);
  assert.equal(c?.source, "context");
  assert.equal(c?.protocol, "https");
  assert.equal(c?.tlsVerify, true);
  assert.equal(c?.certPath, `/home/u/.docker/contexts/tls/${digest("secure")}/docker`);
});

test("a context without TLS material stays plain http", () => {
  const fs = fakeFs(contextFs("plain", "tcp://10.2.2.2:2375", false));
  const [c] = candidateEndpoints({}, "/home/u", fs);
  assert.equal(c?.protocol, "http");
  assert.equal(c?.certPath, undefined);
});
