import { test } from "node:test";
import assert from "node:assert/strict";
import { publishedFor, rewriteProbeUrl } from "./probe-url.ts";

const PORTS = [
  { containerPort: "8123/tcp", hostIp: "127.0.0.1", hostPort: 40001 },
  { containerPort: "9000/tcp", hostIp: "127.0.0.1", hostPort: 40002 },
];

test("a probe URL on a default host port goes to the published port", () => {
  const defaults = { "8123/tcp": "8123", "9000/tcp": "9000" };
  assert.equal(
    rewriteProbeUrl("http://127.0.0.1:8123/ping", defaults, PORTS),
    "http://127.0.0.1:40001/ping",
  );
  assert.equal(
    rewriteProbeUrl("http://127.0.0.1:7777/x", defaults, PORTS),
    "http://127.0.0.1:7777/x",
  );
  assert.equal(
    rewriteProbeUrl("http://127.0.0.1/x", { "80/tcp": "80" }, PORTS),
    "http://127.0.0.1/x",
  );
});

test("publishedFor takes a bare port as tcp", () => {
  assert.equal(publishedFor(PORTS, 9000)?.hostPort, 40002);
  assert.equal(publishedFor(PORTS, "8123/tcp")?.hostPort, 40001);
  assert.equal(publishedFor(PORTS, "8123/udp"), undefined);
});
