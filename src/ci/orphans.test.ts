import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import type { HostView } from "../lib/session.ts";
import { sweepOrphans } from "./orphans.ts";
import { SentryctlError } from "../errors.ts";

const HERE: HostView = {
  host: "hostaaaa",
  boot: "boot-1",
  // pid 100 is alive (started at 5000); everything else is gone.
  processStart: (pid) => (pid === 100 ? "5000" : undefined),
};

async function container(
  engine: FakeEngine,
  name: string,
  project: string,
  labels: Record<string, string>,
) {
  const id = await engine.createContainer(name, {
    Image: "img:1",
    Labels: { "io.sentry.sentryctl.project": project, ...labels },
    HostConfig: {},
  });
  await engine.startContainer(id);
}

test("only this host's sessions whose owner is gone are removed, with their with-project", async () => {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:i", RepoTags: ["img:1"] });
  const dead = "sentry-with-0000dead";
  await engine.createNetwork(dead, { "io.sentry.sentryctl.project": dead });
  await engine.createVolume(`${dead}_redis`, { "io.sentry.sentryctl.project": dead });
  const session = (host: string, boot: string, pid: number, start: string) =>
    `host=${host};boot=${boot};pid=${pid};start=${start}`;
  await container(engine, `${dead}_redis`, dead, {
    "io.sentry.sentryctl.owner": "with",
    "io.sentry.sentryctl.session": session("hostaaaa", "boot-1", 4242, "77"),
  });
  await container(engine, "sentry_kafka", "sentry", {
    "io.sentry.sentryctl.owner": "attach",
    "io.sentry.sentryctl.session": session("hostaaaa", "boot-0", 100, "5000"),
  });
  await container(engine, "sentry-with-0000a11e_redis", "sentry-with-0000a11e", {
    "io.sentry.sentryctl.owner": "with",
    "io.sentry.sentryctl.session": session("hostaaaa", "boot-1", 100, "5000"),
  });
  await container(engine, "sentry-with-00000the_redis", "sentry-with-00000the", {
    "io.sentry.sentryctl.owner": "with",
    "io.sentry.sentryctl.session": session("hostbbbb", "boot-9", 4242, "77"),
  });
  await container(engine, "sentry_redis", "sentry", { "io.sentry.sentryctl.owner": "up" });
  await container(engine, "sentry_weird", "sentry", { "io.sentry.sentryctl.session": "junk" });

  const swept = await sweepOrphans(engine, HERE);
  assert.deepEqual(swept, [
    { name: `${dead}_redis`, project: dead, reason: "no-process" },
    { name: "sentry_kafka", project: "sentry", reason: "rebooted" },
  ]);
  const left = (await engine.listContainers([], true)).map((c) => c.Names[0]).sort();
  assert.deepEqual(left, [
    "/sentry-with-00000the_redis",
    "/sentry-with-0000a11e_redis",
    "/sentry_redis",
    "/sentry_weird",
  ]);
  assert.equal(await engine.inspectNetwork(dead), undefined, "the with-project's network goes");
  assert.equal(await engine.inspectVolume(`${dead}_redis`), undefined, "and its volume");
  assert.deepEqual(await sweepOrphans(engine, HERE), [], "a second sweep finds nothing");
});

test("a dead attach's exited container is left for 'logs'; a running one and with's are swept", async () => {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:i", RepoTags: ["img:1"] });
  const gone = "host=hostaaaa;boot=boot-1;pid=4242;start=77";
  await container(engine, "sentry_exiter", "sentry", {
    "io.sentry.sentryctl.owner": "attach",
    "io.sentry.sentryctl.session": gone,
  });
  await engine.stopContainer("sentry_exiter");
  await container(engine, "sentry_runner", "sentry", {
    "io.sentry.sentryctl.owner": "attach",
    "io.sentry.sentryctl.session": gone,
  });
  await container(engine, "sentry-with-0000beef_redis", "sentry-with-0000beef", {
    "io.sentry.sentryctl.owner": "with",
    "io.sentry.sentryctl.session": gone,
  });
  await engine.stopContainer("sentry-with-0000beef_redis");

  const swept = await sweepOrphans(engine, HERE);
  assert.deepEqual(swept.map((s) => s.name), ["sentry-with-0000beef_redis", "sentry_runner"]);
  const left = (await engine.listContainers([], true)).map((c) => c.Names[0]);
  assert.deepEqual(left, ["/sentry_exiter"]);
});

test("a dead attach's container in Docker's dead state, or never started, is swept; exited stays", async () => {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:i", RepoTags: ["img:1"] });
  const gone = "host=hostaaaa;boot=boot-1;pid=4242;start=77";
  const attachLabels = {
    "io.sentry.sentryctl.owner": "attach",
    "io.sentry.sentryctl.session": gone,
  };
  await container(engine, "sentry_left", "sentry", attachLabels);
  await engine.stopContainer("sentry_left");
  await container(engine, "sentry_halfremoved", "sentry", attachLabels);
  await engine.stopContainer("sentry_halfremoved");
  // Docker's `dead`: a removal that failed half-way (the fake has no such path: set it).
  const dead = [...engine.containers.values()].find((c) =>
    c.inspect.Name === "/sentry_halfremoved"
  )!;
  dead.inspect.State.Status = "dead";
  // Killed between create and start: `created`.
  await engine.createContainer("sentry_neverstarted", {
    Image: "img:1",
    Labels: { "io.sentry.sentryctl.project": "sentry", ...attachLabels },
    HostConfig: {},
  });

  const swept = await sweepOrphans(engine, HERE);
  assert.deepEqual(swept.map((s) => [s.name, s.failed]), [
    ["sentry_halfremoved", undefined],
    ["sentry_neverstarted", undefined],
  ]);
  const left = (await engine.listContainers([], true)).map((c) => c.Names[0]);
  assert.deepEqual(left, ["/sentry_left"], "the exited one is left for `logs`");
});

test("a container the engine refuses to remove is reported; the others are still swept", async () => {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:i", RepoTags: ["img:1"] });
  const gone = "host=hostaaaa;boot=boot-1;pid=4242;start=77";
  for (const name of ["sentry-with-0000000a_redis", "sentry-with-0000000b_redis"]) {
    await container(engine, name, name.slice(0, -6), {
      "io.sentry.sentryctl.owner": "with",
      "io.sentry.sentryctl.session": gone,
    });
  }
  engine.failNext(
    "removeContainer",
    new SentryctlError("docker_api", "driver failed to remove root filesystem: device busy"),
  );
  const swept = await sweepOrphans(engine, HERE);
  assert.equal(swept.length, 2);
  const failed = swept.filter((s) => s.failed);
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.failed!, /device busy/);
  const left = (await engine.listContainers([], true)).map((c) => c.Names[0]);
  assert.deepEqual(left, [`/${failed[0]!.name}`], "only the refused one remains");
});

test("a with project is removed only once none of its containers remain", async () => {
  const engine = new FakeEngine();
  engine.images.set("img:1", { Id: "sha256:i", RepoTags: ["img:1"] });
  const project = "sentry-with-0000cafe";
  await engine.createNetwork(project, { "io.sentry.sentryctl.project": project });
  await engine.createVolume(`${project}_data`, { "io.sentry.sentryctl.project": project });
  await container(engine, `${project}_redis`, project, {
    "io.sentry.sentryctl.owner": "with",
    "io.sentry.sentryctl.session": "host=hostaaaa;boot=boot-1;pid=4242;start=77",
  });
  // Another session, still alive, has a container in the same project.
  await container(engine, `${project}_kafka`, project, {
    "io.sentry.sentryctl.owner": "with",
    "io.sentry.sentryctl.session": "host=hostaaaa;boot=boot-1;pid=100;start=5000",
  });
  const swept = await sweepOrphans(engine, HERE);
  assert.deepEqual(swept.map((s) => s.name), [`${project}_redis`]);
  const left = (await engine.listContainers([], true)).map((c) => c.Names[0]);
  assert.deepEqual(left, [`/${project}_kafka`], "the live session's container stays");
  assert.ok(await engine.inspectNetwork(project), "its network stays");
  assert.ok(await engine.inspectVolume(`${project}_data`), "its volume stays");
});
