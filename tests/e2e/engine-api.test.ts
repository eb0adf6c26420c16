// End-to-end: the docker-modem Engine's newer calls against the real engine — archive upload
// into a created container, exec with output and exit code, one-shot stats, label-filtered
// events, kill/restart, label-filtered networks and volumes. Own label, cleaned up after.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connectDocker } from "../../src/docker/connect.ts";
import type { Engine } from "../../src/docker/engine.ts";
import type { EngineEvent } from "../../src/docker/types.ts";
import { createTar } from "../../src/lib/tar.ts";
import { readMultiplexed } from "../../src/orchestrator/wait/probes.ts";
import { cleanupProject } from "../helpers/docker.ts";

const PROJECT = `engine-api-${process.pid}`;
const LABEL = { "io.sentry.sentryctl.project": PROJECT };
let engine: Engine;

async function execOutput(
  id: string,
  cmd: string[],
): Promise<{ code: number | null; out: string }> {
  const exec = await engine.createExec(id, { cmd, output: true });
  const out = await readMultiplexed((await engine.startExec(exec)) as AsyncIterable<Uint8Array>);
  for (let i = 0; i < 50; i++) {
    const info = await engine.inspectExec(exec);
    if (!info.Running) return { code: info.ExitCode, out };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { code: null, out };
}

describe("the docker-modem Engine on the real engine", { timeout: 120_000 }, () => {
  before(async () => {
    cleanupProject(PROJECT);
    engine = await connectDocker(process.env, process.env.HOME ?? "/root");
  });
  after(() => cleanupProject(PROJECT));

  test("files put into a created container are there when it starts; exec returns output and exit code", async () => {
    const id = await engine.createContainer(`${PROJECT}_files`, {
      Image: "sentryctl-test/busybox:latest",
      Cmd: ["sleep", "600"],
      Labels: LABEL,
      HostConfig: {},
    });
    await engine.putArchive(
      id,
      "/",
      createTar([{ path: "/etc/sentryctl/conf.yml", content: "key: värde\n", mode: 0o600 }]),
    );
    await engine.startContainer(id);
    const cat = await execOutput(id, ["cat", "/etc/sentryctl/conf.yml"]);
    assert.deepEqual(cat, { code: 0, out: "key: värde\n" });
    const mode = await execOutput(id, ["stat", "-c", "%a", "/etc/sentryctl/conf.yml"]);
    assert.equal(mode.out.trim(), "600");
    assert.deepEqual(await execOutput(id, ["sh", "-c", "echo oops >&2; exit 4"]), {
      code: 4,
      out: "oops\n",
    });
    const detached = await engine.createExec(id, { cmd: ["sh", "-c", "exit 3"] });
    await engine.startExecDetached(detached);
    let info = await engine.inspectExec(detached);
    for (let i = 0; i < 50 && info.Running; i++) {
      await new Promise((r) => setTimeout(r, 20));
      info = await engine.inspectExec(detached);
    }
    assert.equal(info.ExitCode, 3);
    const stats = await engine.stats(id);
    assert.equal(typeof stats.read, "string");
    assert.ok((stats.memory_stats?.usage ?? 0) > 0, JSON.stringify(stats.memory_stats));
  });

  test("events: start and die of labelled containers only, until aborted; kill and restart", async () => {
    const id = await engine.createContainer(`${PROJECT}_events`, {
      Image: "sentryctl-test/busybox:latest",
      Cmd: ["sleep", "600"],
      Labels: LABEL,
      HostConfig: {},
    });
    const stop = new AbortController();
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (
        const e of engine.events({
          labels: [`io.sentry.sentryctl.project=${PROJECT}`],
          signal: stop.signal,
        })
      ) {
        seen.push(e);
        if (seen.filter((x) => x.Action === "start").length >= 2) break;
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await engine.startContainer(id);
    await engine.killContainer(id);
    await engine.killContainer(id); // not running any more: still fine
    await engine.restartContainer(id, 1);
    await Promise.race([reading, new Promise((r) => setTimeout(r, 15_000))]);
    stop.abort();
    await reading;
    assert.ok(seen.every((e) => e.Actor.Attributes["io.sentry.sentryctl.project"] === PROJECT));
    const actions = seen.filter((e) => e.Actor.ID === id).map((e) => e.Action);
    assert.ok(
      actions.includes("start") && actions.includes("die") && actions.includes("kill"),
      actions.join(","),
    );
    assert.equal((await engine.inspectContainer(id))?.State.Running, true);
  });

  test("networks and volumes listed by label, removed by name or id; removing twice is fine", async () => {
    const netId = await engine.createNetwork(PROJECT, LABEL);
    assert.match(netId ?? "", /^[0-9a-f]{64}$/);
    assert.equal(await engine.createNetwork(PROJECT, LABEL), undefined, "exists: no new id");
    await engine.createVolume(`${PROJECT}_v`, LABEL);
    const nets = await engine.listNetworks([`io.sentry.sentryctl.project=${PROJECT}`]);
    assert.deepEqual(nets.map((n) => n.Name), [PROJECT]);
    const vols = await engine.listVolumes([`io.sentry.sentryctl.project=${PROJECT}`]);
    assert.deepEqual(vols.map((v) => v.Name), [`${PROJECT}_v`]);
    await engine.removeNetwork(netId!);
    await engine.removeNetwork(PROJECT);
    await engine.removeVolume(`${PROJECT}_v`);
    await engine.removeVolume(`${PROJECT}_v`);
    assert.equal(await engine.inspectNetwork(PROJECT), undefined);
    assert.equal(await engine.inspectVolume(`${PROJECT}_v`), undefined);
  });
});
