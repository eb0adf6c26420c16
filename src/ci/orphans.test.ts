import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../../tests/helpers/fake-engine.ts";
import type { HostView } from "../lib/session.ts";
import { sweepOrphans } from "./orphans.ts";

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
