import { test } from "node:test";
import assert from "node:assert/strict";
import { badRequestHint, createConflictHint, otherImageHint, pullFailureHint } from "./hints.ts";

test("a pull failure says what to do: network, login, or another image in the named file", () => {
  assert.equal(
    pullFailureHint("redis:7.4", otherImageHint("redis", "/home/u/.sentry/sentry.conf.yml")),
    "check network access to docker.io (and 'docker login' for a private registry), or point the service at another image: SENTRY_DEVSERVICES: {redis: {image: …}} in /home/u/.sentry/sentry.conf.yml",
  );
  // The registry, whole, however long the image name is (it was cut mid-word).
  const long =
    "ghcr.io/getsentry/image-mirror-altinity-clickhouse-server:23.8.11.29.altinitystable";
  assert.match(pullFailureHint(long, "x"), /^check network access to ghcr\.io \(/);
});

test("a 409 on create names what holds the name and how to clear it", () => {
  assert.equal(
    createConflictHint(
      "sentry_redis",
      'Conflict. The container name "/sentry_redis" is already in use by container "0123456789abcdef0123". You have to remove (or rename) that container to be able to reuse that name.',
    ),
    "the name 'sentry_redis' is already used by container 0123456789ab; remove it with 'docker rm -f sentry_redis', or use another --project",
  );
  assert.equal(
    createConflictHint("p_x", "Conflict."),
    "the name 'p_x' is already used by another container; remove it with 'docker rm -f p_x', or use another --project",
  );
});

test("a 400 on create quotes the engine and points at the service's settings", () => {
  assert.equal(
    badRequestHint("kafka", 'invalid port specification: "99999"'),
    "Docker rejected the container settings (invalid port specification: \"99999\"); check SENTRY_DEVSERVICES['kafka'] (image, command, ports, volumes, platform)",
  );
});
