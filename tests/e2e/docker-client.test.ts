// The Docker client against the real engine: idempotent lifecycle answers (304 on stop, 404 on
// remove), API errors mapped to categories, pulls from the local registry, demuxed logs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connectDocker } from "../../src/docker/connect.ts";
import type { Engine } from "../../src/docker/engine.ts";
import { SentryctlError } from "../../src/errors.ts";
import { cleanupProject, docker } from "../helpers/docker.ts";

const PROJECT = "sentryctl-client-test";
const LABELS = { "io.sentry.sentryctl.project": PROJECT };
const REGISTRY_IMAGE = "127.0.0.1:5000/sentryctl-test/busybox:latest";
let client: Engine;

function registryUp(): boolean {
  return docker(["pull", REGISTRY_IMAGE]).code === 0 || pushToRegistry();
}
function pushToRegistry(): boolean {
  return docker(["tag", "sentryctl-test/busybox:latest", REGISTRY_IMAGE]).code === 0 &&
    docker(["push", REGISTRY_IMAGE]).code === 0;
}

describe("DockerClient on the real engine", () => {
  before(async () => {
    cleanupProject(PROJECT);
    client = await connectDocker({ ...process.env, DOCKER_HOST: undefined }, "/nonexistent-home");
  });
  after(() => cleanupProject(PROJECT));

  test("ping and version", async () => {
    assert.equal(String(await client.ping()), "OK");
    const v = await client.version();
    assert.match(v.ApiVersion, /^1\.\d+$/);
  });

  test("start/stop/remove are idempotent: 304 and 404 count as done", async () => {
    const id = await client.createContainer(`${PROJECT}_idem`, {
      Image: "sentryctl-test/busybox:latest",
      Cmd: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"],
      Labels: LABELS,
      HostConfig: {},
    });
    await client.startContainer(id);
    await client.startContainer(id); // 304: already started
    await client.stopContainer(id, 5);
    await client.stopContainer(id, 5); // 304: already stopped
    await client.removeContainer(id);
    await client.removeContainer(id); // 404: already gone
    await client.stopContainer(id, 1); // 404 on stop: gone counts as stopped
    assert.equal(await client.inspectContainer(id), undefined);
  });

  test("a duplicate name is a docker_api error carrying 409", async () => {
    const body = { Image: "sentryctl-test/busybox:latest", Labels: LABELS, HostConfig: {} };
    await client.createContainer(`${PROJECT}_dup`, body);
    await assert.rejects(client.createContainer(`${PROJECT}_dup`, body), (e: unknown) => {
      assert.ok(e instanceof SentryctlError);
      assert.equal(e.category, "docker_api");
      assert.equal(e.exitCode, 5);
      assert.equal(e.statusCode, 409);
      assert.match(
        e.message,
        /Docker could not create container 'sentryctl-client-test_dup': .*already in use/,
      );
      return true;
    });
  });

  test("a missing image is a docker_api error carrying 404", async () => {
    await assert.rejects(
      client.createContainer(`${PROJECT}_noimg`, {
        Image: "sentryctl-test/does-not-exist:1",
        HostConfig: {},
      }),
      (e: unknown) =>
        e instanceof SentryctlError && e.statusCode === 404 && e.category === "docker_api",
    );
  });

  test("networks and volumes: exists/create, and a concurrent create is not an error", async () => {
    const net = `${PROJECT}_net`;
    assert.equal((await client.inspectNetwork(net)) !== undefined, false);
    await client.createNetwork(net, LABELS);
    await client.createNetwork(net, LABELS);
    assert.equal((await client.inspectNetwork(net)) !== undefined, true);
    const vol = `${PROJECT}_vol`;
    assert.equal((await client.inspectVolume(vol)) !== undefined, false);
    await client.createVolume(vol, LABELS);
    assert.equal((await client.inspectVolume(vol)) !== undefined, true);
  });

  test("pull from the local registry reports progress; a failed pull is docker_api", async (t) => {
    if (!registryUp()) {
      t.diagnostic("local registry at 127.0.0.1:5000 is not running");
      assert.fail("the local registry must run for this test (scripts/ci/registry-start.sh)");
    }
    docker(["rmi", "-f", REGISTRY_IMAGE]);
    assert.equal((await client.inspectImage(REGISTRY_IMAGE)) !== undefined, false);
    const statuses: string[] = [];
    await client.pullImage(REGISTRY_IMAGE, undefined, (p) => p.status && statuses.push(p.status));
    assert.equal((await client.inspectImage(REGISTRY_IMAGE)) !== undefined, true);
    assert.ok(
      statuses.some((s) => /Downloaded newer image|Pull complete|Image is up to date/.test(s)),
      statuses.join("|"),
    );
    await assert.rejects(
      client.pullImage("127.0.0.1:5000/sentryctl-test/nope:1", undefined, () => {}),
      (e: unknown) => e instanceof SentryctlError && e.category === "docker_api",
    );
  });
});
