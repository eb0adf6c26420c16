// End-to-end (issue 19, items 3 and 5): a command that does not read its input, and a service
// that is killed or restarted while `up` waits for it to become healthy.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { sentryctlCommand, testEnv } from "../helpers/cli.ts";
import { cleanupProject, docker, runLabelled } from "../helpers/docker.ts";
import { RunningCli } from "../helpers/process.ts";

const PROJECT = `sctl-e2e-engfault-${Math.random().toString(36).slice(2, 8)}`;
const IMAGE = "sentryctl-test/busybox:latest";

const SETTINGS = `
SENTRY_DEVSERVICES:
  slow:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo slow booting; sleep 4 & wait; touch /tmp/ready; echo slow ready; while true; do sleep 1 & wait; done"]
    healthcheck:
      exec: ["test", "-f", "/tmp/ready"]
      interval: 1
      timeout_total: 60
`;
const conf = mkdtempSync(join(tmpdir(), "sentryctl-engfault-"));
writeFileSync(join(conf, "sentry.conf.yml"), SETTINGS);
const cli = (...args: string[]) => ["--config", conf, "--project", PROJECT, ...args];

describe("exec and up against a real engine", { timeout: 300_000 }, () => {
  before(() => cleanupProject(PROJECT));
  after(async () => {
    await RunningCli.killAll();
    cleanupProject(PROJECT);
  });

  test("exec with 1 MiB of input the command never reads: its output and exit code", () => {
    runLabelled(PROJECT, "box", { image: IMAGE, command: ["sleep", "300"] });
    // From a file, as `< file` gives it: the command's stdin is the file.
    const inputFile = join(conf, "input.bin");
    writeFileSync(inputFile, randomBytes(1024 * 1024)); // 1 MiB: enough for the reset
    const cases: [string[], number, RegExp][] = [
      [["true"], 0, /^$/],
      [["sh", "-c", "head -c 10 >/dev/null; echo done; exit 3"], 3, /^done\n$/],
      [["no-such-command"], 126, /executable file not found/],
    ];
    for (const [cmd, code, out] of cases) {
      for (let i = 0; i < 1; i++) {
        const fd = openSync(inputFile, "r");
        const [bin, ...pre] = sentryctlCommand();
        const x = spawnSync(bin!, [...pre, ...cli("exec", "box", "--", ...cmd)], {
          stdio: [fd, "pipe", "pipe"],
          env: testEnv(),
          encoding: "utf8",
          timeout: 120_000,
        });
        closeSync(fd);
        assert.equal(x.status, code, `${cmd.join(" ")}: ${x.stderr}`);
        assert.doesNotMatch(x.stderr, /ECONNRESET|unexpected|bug/);
        assert.match(x.stdout, out);
      }
    }
  });

  test("a service killed while up waits on it: exit 6, 'exited while waiting', its last lines", async () => {
    const up = new RunningCli(cli("up", "slow"));
    await up.waitFor(/Starting container/, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(docker(["kill", `${PROJECT}_slow`]).code, 0);
    const exit = await up.exited;
    assert.equal(exit.code, 6, exit.stderr);
    assert.match(exit.stderr, /slow exited with code 137 while waiting to become healthy/);
    assert.match(exit.stderr, /slow booting/, "its last log lines");
    assert.doesNotMatch(exit.stderr, /409|could not create exec/);
    docker(["rm", "-f", `${PROJECT}_slow`]);
  });

  test("a docker restart while up waits on it is no death: up succeeds once it is healthy", async () => {
    docker(["rm", "-f", `${PROJECT}_slow`]);
    const up = new RunningCli(cli("up", "slow"));
    await up.waitFor(/Starting container/, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(docker(["restart", "-t", "1", `${PROJECT}_slow`]).code, 0);
    const exit = await up.exited;
    assert.equal(exit.code, 0, exit.stderr);
    const state = docker(["inspect", "-f", "{{.State.Running}}", `${PROJECT}_slow`]);
    assert.equal(state.stdout.trim(), "true");
  });
});
