// The config hash decides reuse versus recreate: it must not depend on the order in which a
// settings file lists ports, labels, extra hosts or environment keys.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResolvedService } from "../services/resolve.ts";
import type { ServiceSpec } from "../services/spec.ts";
import { planContainer } from "./container-config.ts";

const service = (spec: ServiceSpec): ResolvedService => ({
  name: "redis",
  containerName: "p_redis",
  enabled: true,
  spec,
});
const hash = (spec: ServiceSpec) =>
  planContainer(service(spec), { project: "p", foreground: true }).configHash;

test("ports listed in another order give the same hash (neither order is sorted)", () => {
  const a = hash({
    image: "redis:7",
    ports: { "9000/tcp": 9000, "6379/tcp": 6379, "8125/udp": 8125 },
  });
  const b = hash({
    image: "redis:7",
    ports: { "6379/tcp": 6379, "8125/udp": 8125, "9000/tcp": 9000 },
  });
  const c = hash({
    image: "redis:7",
    ports: { "8125/udp": 8125, "9000/tcp": 9000, "6379/tcp": 6379 },
  });
  assert.equal(a, b);
  assert.equal(a, c);
});

test("labels and extra hosts in another order give the same hash", () => {
  const a = hash({
    image: "redis:7",
    labels: { zeta: "1", alpha: "2" },
    extra_hosts: { "z.local": "10.0.0.2", "a.local": "10.0.0.1" },
  });
  const b = hash({
    image: "redis:7",
    labels: { alpha: "2", zeta: "1" },
    extra_hosts: { "a.local": "10.0.0.1", "z.local": "10.0.0.2" },
  });
  assert.equal(a, b);
});

test("a changed port changes the hash", () => {
  const a = hash({ image: "redis:7", ports: { "6379/tcp": 6379 } });
  const b = hash({ image: "redis:7", ports: { "6379/tcp": 6380 } });
  assert.notEqual(a, b);
  assert.match(a, /^[0-9a-f]{64}$/);
});

test("a changed service label is drift; a service without labels keeps its hash", () => {
  const a = hash({ image: "redis:7", labels: { team: "a" } });
  const b = hash({ image: "redis:7", labels: { team: "b" } });
  assert.notEqual(a, b);
  assert.notEqual(hash({ image: "redis:7" }), a);
  // Containers created before labels joined the hash are not recreated for nothing: the
  // hash of a service without labels is what it was (recorded from the previous version).
  assert.equal(
    hash({ image: "redis:7" }),
    "e63db0ebbbf38966b1ff434de4f910f1ab1b8a8721280cfa2c1eea6ded646d72",
  );
});
