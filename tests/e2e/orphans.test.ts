// End-to-end: the orphan sweep (SPEC §4) on the real engine, beyond with.test.ts's SIGKILLed
// `with`: a killed `attach` leaves its container running, or created and never started — the
// next command that talks to Docker removes it, and only it (an attach container that exited by
// itself stays for `logs`); a `with` project whose process was SIGKILLed loses its container,
// but not the container of another live session in the same project, nor the network that one
// still uses. (Docker's `dead` state cannot be produced on demand: src/ci/orphans.test.ts.)

import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";
import { bootId, hostId, processStart } from "../../src/runtime/session.ts";

const PROJECT = `sctl-harden-orphans-${Math.random().toString(36).slice(2, 8)}`;
const IMAGE = "sentryctl-test/busybox:latest";
const conf = mkdtempSync(join(tmpdir(), "sentryctl-harden-orphans-"));
writeFileSync(
  join(conf, "sentry.conf.yml"),
  `
SENTRY_DEVSERVICES:
  idle:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo idle ready; sleep 1000 & wait"]
    stop_grace_period: 1
`,
);
const env = () => testEnv({ SENTRY_CONF: conf });
const withProjects = new Set<string>();

const exists = (name: string) => docker(["inspect", name]).code === 0;
const lines = (args: string[]) => docker(args).stdout.split("\n").filter(Boolean);

/** A session label of this host whose process is gone (a pid that has exited). */
function goneSession(): string {
  const pid = spawnSync("true").pid!;
  return `host=${hostId()};boot=${bootId()};pid=${pid};start=1`;
}

/** This test process's own session: alive. */
function liveSession(): string {
  return `host=${hostId()};boot=${bootId()};pid=${process.pid};start=${
    processStart(process.pid) ?? ""
  }`;
}

function labelled(name: string, project: string, owner: string, session: string): string[] {
  return [
    "--name",
    name,
    "--label",
    `io.sentry.sentryctl.project=${project}`,
    "--label",
    "io.sentry.sentryctl.service=idle",
    "--label",
    `io.sentry.sentryctl.owner=${owner}`,
    "--label",
    `io.sentry.sentryctl.session=${session}`,
  ];
}

describe("orphans on the real engine", { timeout: 300_000 }, () => {
  after(async () => {
    await RunningCli.killAll();
    cleanupProject(PROJECT);
    for (const p of withProjects) cleanupProject(p);
  });

  test("a SIGKILLed attach's running container, and one never started, are swept by the next command; an exited one stays", async () => {
    const attach = new RunningCli(["--project", PROJECT, "attach", "idle"], env());
    await attach.waitFor(/idle ready/, 60_000);
    attach.signal("SIGKILL");
    await attach.exited;
    const running = `${PROJECT}_idle`;
    assert.ok(exists(running), "the killed attach left its container");

    const never = `${PROJECT}_never`;
    const created = docker(["create", ...labelled(never, PROJECT, "attach", goneSession()), IMAGE]);
    assert.equal(created.code, 0, created.stderr);
    const exited = `${PROJECT}_exited`;
    const ran = docker([
      "run",
      ...labelled(exited, PROJECT, "attach", goneSession()),
      IMAGE,
      "true",
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    // Another session's container of a process still alive (this test): not an orphan.
    const live = `${PROJECT}_live`;
    const started = docker([
      "run",
      "-d",
      ...labelled(live, PROJECT, "attach", liveSession()),
      IMAGE,
      "sleep",
      "300",
    ]);
    assert.equal(started.code, 0, started.stderr);

    const ps = await runCli(["--project", PROJECT, "ps"], { env: env() });
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stderr, new RegExp(`Removed orphaned container '${running}'`));
    assert.match(ps.stderr, new RegExp(`Removed orphaned container '${never}'`));
    assert.doesNotMatch(ps.stderr, new RegExp(`'${exited}'|'${live}'`));
    assert.equal(exists(running), false);
    assert.equal(exists(never), false);
    assert.equal(exists(exited), true, "left stopped for `logs`");
    assert.equal(exists(live), true, "a live session's container stays");
    assert.doesNotMatch(ps.stdout, new RegExp(`${running}|${never}`), "ps lists what is left");

    const again = await runCli(["down", "--orphans"], { env: env() });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, new RegExp(PROJECT), "nothing of ours left to sweep");
  });

  test("a SIGKILLed with: its container goes; another live session's container in that project and its network stay", async () => {
    const run = new RunningCli(
      ["with", "idle", "--", "sh", "-c", "echo child=$$; exec sleep 120"],
      env(),
    );
    await run.waitFor(/child=\d+/, 90_000);
    const project = /Project '(sentry-with-[0-9a-f]{8})'/.exec(run.stderr)![1]!;
    withProjects.add(project);
    const label = `label=io.sentry.sentryctl.project=${project}`;
    const networks = lines(["network", "ls", "-q", "--filter", label]);
    assert.equal(networks.length, 1, "the with project has its network");
    const peer = `${project}_peer`;
    const r = docker([
      "run",
      "-d",
      "--network",
      networks[0]!,
      ...labelled(peer, project, "with", liveSession()),
      IMAGE,
      "sleep",
      "300",
    ]);
    assert.equal(r.code, 0, r.stderr);
    run.signal("SIGKILL");
    process.kill(Number(/child=(\d+)/.exec(run.stdout)![1]), "SIGKILL");
    await run.exited;

    const down = await runCli(["down", "--orphans"], { env: env() });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, new RegExp(`Removed orphaned container '${project}_idle'`));
    assert.doesNotMatch(down.stderr, new RegExp(`'${peer}'`));
    assert.equal(exists(`${project}_idle`), false);
    assert.equal(docker(["inspect", "-f", "{{.State.Running}}", peer]).stdout.trim(), "true");
    assert.deepEqual(lines(["network", "ls", "-q", "--filter", label]), networks);

    // Once the live session's container is gone too, the next sweep has nothing to judge.
    assert.equal(docker(["rm", "-f", peer]).code, 0);
    const again = await runCli(["down", "--orphans"], { env: env() });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, new RegExp(project));
  });
});
