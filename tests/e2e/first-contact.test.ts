// First contact (issue 22) against the real engine: one answer for an unknown service in every
// command that takes service names, a plain statement for a known service without a container,
// and no files written by a command that failed or starts nothing.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, sentryctlCommand, tempHome, testEnv } from "../helpers/cli.ts";
import { spawnSync } from "node:child_process";
import { cleanupProject, docker, dockerAvailable } from "../helpers/docker.ts";

const PROJECT = `sctl-e2e-first-${process.pid}`;

describe("first contact", { skip: !dockerAvailable() && "no Docker engine" }, () => {
  test("an unknown service gets Sentry's answer from every command, exit 1", async () => {
    const cases = [
      ["ps", "nosuch"],
      ["logs", "nosuch"],
      ["healthcheck", "nosuch"],
      ["exec", "nosuch", "--", "true"],
      ["down", "nosuch"],
      ["up", "nosuch", "--no-wait"],
      ["rm", "-y", "nosuch"],
    ];
    for (const args of cases) {
      const r = await runCli(["--project", PROJECT, ...args], { env: testEnv() });
      assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^error: Service `nosuch` is not known or not enabled\.$/m, args[0]);
      assert.match(r.stderr, /^ {2}redis$/m, `${args[0]} lists the available services`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  test("a known service without a container is a plain statement", async () => {
    const ps = await runCli(["--project", PROJECT, "ps", "redis"], { env: testEnv() });
    assert.equal(ps.code, 0, ps.stderr);
    assert.equal(
      ps.stderr,
      `Stack source: built-in catalog (no -f, no ./devservices/config.yml); project '${PROJECT}'\n` +
        `No container for redis in project '${PROJECT}'.\n`,
    );
    const logs = await runCli(["--project", PROJECT, "logs", "redis"], { env: testEnv() });
    assert.equal(logs.code, 1);
    assert.match(logs.stderr, /No container for redis in project/);
    assert.doesNotMatch(logs.stderr, /not known/);
  });

  test("commands that start nothing write no service config files", async () => {
    const home = tempHome();
    for (const args of [["down", "nosuch"], ["down"], ["ps"], ["doctor"], ["healthcheck"]]) {
      await runCli(["--project", PROJECT, ...args], { env: testEnv({ HOME: home }) });
    }
    const dir = join(home, ".sentry", "devservices");
    assert.ok(
      !existsSync(dir) || readdirSync(dir).length === 0,
      `nothing under ${dir}: ${existsSync(dir) ? readdirSync(dir).join(", ") : ""}`,
    );
  });

  test("doctor: missing images whose registries do not answer are problems (exit 1)", async () => {
    // One image only the local registry has (pushed, then the local tag removed), one the local
    // registry does not have, one behind a port where nothing listens.
    const pushed = `127.0.0.1:5000/sctl-e2e-doctor-${process.pid}:1`;
    assert.equal(docker(["tag", "sentryctl-test/busybox:latest", pushed]).code, 0);
    const push = docker(["push", pushed]);
    docker(["rmi", pushed]);
    assert.equal(push.code, 0, push.stderr);
    const home = tempHome();
    const conf = join(home, ".sentry");
    mkdirSync(conf, { recursive: true });
    const images: Record<string, string> = {
      redis: pushed,
      postgres: pushed,
      kafka: pushed,
      clickhouse: "127.0.0.1:5000/sctl-e2e-doctor-absent:1",
      snuba: "127.0.0.1:1/sctl-e2e-doctor/nothing-listens:1",
    };
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      "SENTRY_DEVSERVICES:\n" +
        Object.entries(images).map(([s, i]) => `  ${s}: {image: "${i}"}\n`).join(""),
    );
    const r = await runCli(["--project", PROJECT, "--config", conf, "doctor"], {
      env: testEnv({ HOME: home }),
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^ {2}missing 127\.0\.0\.1:5000\/sctl-e2e-doctor-absent:1$/m);
    assert.match(
      r.stdout,
      /^ {2}fail {4}127\.0\.0\.1:5000 \(1 of 2 image\(s\)\): .*manifest unknown/m,
    );
    assert.match(
      r.stdout,
      /^ {2}fail {4}127\.0\.0\.1:1 \(1 of 1 image\(s\)\): .*connection refused/m,
    );
    assert.match(r.stdout, /^2 problem\(s\) found\.$/m);
    assert.doesNotMatch(r.stdout, /No problems found/);
  });

  test("rm: the plan first, then the error and its hint; the prompt names what exists", async () => {
    const project = `${PROJECT}-rm`;
    const home = tempHome();
    const conf = join(home, "conf");
    mkdirSync(conf, { recursive: true });
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      "SENTRY_DEVSERVICES:\n  redis:\n    image: sentryctl-test/redis:7\n    ports: {}\n" +
        "    healthcheck: { exec: [redis-cli, ping], timeout_total: 30 }\n",
    );
    const env = testEnv({ HOME: home });
    const args = ["--project", project, "--config", conf];
    try {
      const up = await runCli([...args, "up", "redis"], { env, timeoutMs: 60_000 });
      assert.equal(up.code, 0, up.stderr);
      const refused = await runCli([...args, "rm"], { env });
      assert.equal(refused.code, 1);
      const lines = refused.stderr.trimEnd().split("\n");
      const error = lines.findIndex((l) => l.startsWith("error: rm deletes data"));
      assert.ok(error > 0, "the plan comes before the error");
      assert.match(lines.slice(0, error).join("\n"), new RegExp(`${project}_redis`));
      assert.equal(lines[error + 1], "hint: pass -y to remove without asking");
      assert.equal(lines.length, error + 2, "nothing after the hint");

      // On a terminal (script(1) gives one) the question names the container and the volume.
      const [bin, ...pre] = sentryctlCommand();
      const cmd = [bin, ...pre, ...args, "rm"].map((a) => `'${a}'`).join(" ");
      const pty = spawnSync("script", ["-qec", cmd, "/dev/null"], {
        input: "n\n",
        env: { ...env, CI: "", TERM: "dumb" },
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.match(
        pty.stdout,
        new RegExp(`Remove 1 container \\(${project}_redis\\) and 1 volume \\(${project}_redis\\)`),
      );
      assert.match(pty.stdout, /Nothing removed\./);
      assert.ok(docker(["inspect", `${project}_redis`]).code === 0, "kept after 'n'");
    } finally {
      cleanupProject(project);
    }
  });

  test("pull failures: one line per image, silent retries, the settings file by its path", async () => {
    const project = `${PROJECT}-pull`;
    const home = tempHome();
    const conf = join(home, "conf");
    mkdirSync(conf, { recursive: true });
    const long = "127.0.0.1:1/sctl-e2e/" + "a-very-long-image-name-".repeat(4) + "x:1";
    writeFileSync(
      join(conf, "sentry.conf.yml"),
      `SENTRY_DEVSERVICES:\n  redis: {image: "${long}"}\n  memcached: {image: "${long}-2"}\n`,
    );
    try {
      const r = await runCli(
        ["--project", project, "--config", conf, "up", "redis", "memcached", "--no-wait"],
        { env: testEnv({ HOME: home }), timeoutMs: 90_000 },
      );
      assert.equal(r.code, 5, r.stderr);
      assert.doesNotMatch(r.stderr, /retrying|more characters/);
      assert.equal(r.stderr.match(/^> redis: failed /gm)?.length, 1, r.stderr);
      assert.equal(r.stderr.match(/^> memcached: failed /gm)?.length, 1, r.stderr);
      assert.match(
        r.stderr,
        /^error: 2 images could not be pulled \((redis, memcached|memcached, redis)\): /m,
      );
      assert.match(r.stderr, /connection refused/);
      assert.match(r.stderr, /^hint: check network access to 127\.0\.0\.1:1 /m);
      assert.ok(r.stderr.includes(`in ${join(conf, "sentry.conf.yml")}\n`), r.stderr);
      assert.equal(r.stderr.split("\n").filter((l) => l.includes(long)).length, 4, r.stderr);
    } finally {
      cleanupProject(project);
    }
  });
});
