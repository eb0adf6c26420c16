import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResolvedService } from "../services/resolve.ts";
import { dryRunDocument, dryRunText } from "./dry-run.ts";

const redis: ResolvedService = {
  name: "redis",
  containerName: "p_redis",
  enabled: true,
  spec: { image: "redis:7", ports: { "6379/tcp": 6379 } },
};
const memcached: ResolvedService = {
  name: "memcached",
  containerName: "p_memcached",
  enabled: true,
  spec: { image: "memcached:1.6", ports: { "11211": ["0.0.0.0", 11211] }, depends_on: ["redis"] },
};

test("isolated: ephemeral ports are null, host-only variables are known", () => {
  const doc = dryRunDocument({
    project: "sentry-with-0000abcd",
    isolated: true,
    keep: false,
    timeoutSeconds: 180,
    chosen: [redis],
    command: ["pytest"],
  });
  assert.deepEqual(doc, {
    project: "sentry-with-0000abcd",
    isolated: true,
    keep: false,
    timeout: 180,
    services: [{
      name: "redis",
      image: "redis:7",
      after: [],
      ports: [{ container: "6379/tcp", host: "127.0.0.1", hostPort: null }],
    }],
    env: {
      SENTRY_REDIS_HOST: "127.0.0.1",
      SENTRY_REDIS_PORT: null,
      SENTRY_REDIS_PORT_6379: null,
      SENTRY_REDIS_URL: null,
    },
    command: ["pytest"],
  });
  assert.match(dryRunText(doc), /export SENTRY_REDIS_PORT=<assigned at start>\n/);
});

test("--reuse: the fixed ports and full values", () => {
  const doc = dryRunDocument({
    project: "sentry",
    isolated: false,
    keep: false,
    timeoutSeconds: 30,
    chosen: [redis, memcached],
    command: [],
  });
  assert.deepEqual(doc.env, {
    SENTRY_MEMCACHED_HOST: "127.0.0.1",
    SENTRY_MEMCACHED_PORT: "11211",
    SENTRY_MEMCACHED_PORT_11211: "11211",
    SENTRY_REDIS_HOST: "127.0.0.1",
    SENTRY_REDIS_PORT: "6379",
    SENTRY_REDIS_PORT_6379: "6379",
    SENTRY_REDIS_URL: "redis://127.0.0.1:6379/0",
  });
  assert.deepEqual(doc.services[1]!.ports, [{
    container: "11211/tcp",
    host: "0.0.0.0",
    hostPort: 11211,
  }]);
  assert.deepEqual(doc.services[1]!.after, ["redis"]);
  assert.match(
    dryRunText(doc),
    /\nstart: memcached \(after redis\) memcached:1\.6 0\.0\.0\.0:11211->11211\/tcp\n/,
  );
  assert.match(dryRunText(doc), /^project: sentry \(reused\)\n/);
});
