import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isSentryctlError } from "../errors.ts";
import { loadConfig, parseConfig } from "./config.ts";

type Raw = Record<string, unknown>;

function base(): Raw {
  return {
    "x-sentry-service-config": {
      version: 0.1,
      service_name: "example",
      dependencies: {
        redis: { description: "Redis" },
        worker: { description: "Worker" },
        kafka: {
          description: "Kafka",
          remote: { repo_name: "shared-kafka", branch: "main", repo_link: "file:///k" },
        },
      },
      modes: { default: ["redis", "kafka"], full: ["redis", "kafka", "worker"] },
    },
    "x-programs": { worker: { command: "python worker.py" } },
    services: { redis: { image: "redis" } },
  };
}

function cfg(raw: Raw): Raw {
  return raw["x-sentry-service-config"] as Raw;
}

function messageOf(raw: unknown): string {
  try {
    parseConfig(raw, "/repo", "/repo/devservices/config.yml");
  } catch (err) {
    assert.ok(isSentryctlError(err));
    return err.message;
  }
  assert.fail("expected a validation error");
}

test("a valid config: types, modes, programs, defaults", () => {
  const c = parseConfig(base(), "/repo", "/repo/devservices/config.yml");
  assert.equal(c.serviceName, "example");
  assert.equal(c.healthcheckTimeout, 180);
  assert.equal(c.dependencies.get("redis")!.type, "compose");
  assert.equal(c.dependencies.get("worker")!.type, "supervisor");
  assert.deepEqual(c.dependencies.get("kafka")!.remote, {
    repoName: "shared-kafka",
    branch: "main",
    repoLink: "file:///k",
    mode: "default",
  });
  assert.deepEqual(c.modes.get("full"), ["redis", "kafka", "worker"]);
  assert.equal(c.programs.get("worker")!.autorestart, true);
});

test("every devservices validation message, byte for byte", () => {
  const cases: [string, (r: Raw) => unknown, string][] = [
    [
      "no block",
      () => ({ services: {} }),
      "Config file does not contain 'x-sentry-service-config' key",
    ],
    ["no version", (r) => delete cfg(r).version, "Version is required in service config"],
    ["bad version", (r) => (cfg(r).version = 0.2), "Invalid version '0.2' in service config"],
    ["no name", (r) => delete cfg(r).service_name, "Service name is required in service config"],
    [
      "no default",
      (r) => (cfg(r).modes = { full: ["redis"] }),
      "Default mode is required in service config",
    ],
    [
      "mode not list",
      (r) => ((cfg(r).modes as Raw).full = "redis"),
      "Services in mode 'full' must be a list",
    ],
    [
      "undefined service in mode",
      (r) => ((cfg(r).modes as Raw).full = ["redis", "nope"]),
      "Service 'nope' in mode 'full' is not defined in dependencies",
    ],
    [
      "unexpected key",
      (r) => ((cfg(r).dependencies as Raw).redis = { description: "R", unknown: "key" }),
      "Unexpected key(s) in dependency 'redis': {'unknown'}",
    ],
    [
      "neither compose nor program",
      (r) => ((cfg(r).dependencies as Raw).ghost = { description: "?" }),
      "Dependency 'ghost' is not remote but is not defined in docker-compose services or x-programs",
    ],
    [
      "timeout",
      (r) => (cfg(r).healthcheck_timeout = -5),
      "healthcheck_timeout must be a positive integer",
    ],
    [
      "timeout not integer",
      (r) => (cfg(r).healthcheck_timeout = "soon"),
      "healthcheck_timeout must be a positive integer",
    ],
    [
      "remote without branch",
      (
        r,
      ) => ((cfg(r).dependencies as Raw).kafka = {
        description: "K",
        remote: { repo_name: "k", repo_link: "x" },
      }),
      "Error parsing service dependencies: RemoteConfig.__init__() missing 1 required positional argument: 'branch'",
    ],
  ];
  for (const [label, mutate, expected] of cases) {
    const raw = base();
    const replaced = mutate(raw);
    const input = label === "no block" ? replaced : raw;
    assert.equal(messageOf(input), expected, label);
  }
});

test("healthcheck_timeout is read; a file that is not there or not YAML says so", async () => {
  const raw = base();
  cfg(raw).healthcheck_timeout = 30;
  assert.equal(parseConfig(raw, "/r", "/r/x").healthcheckTimeout, 30);
  const dir = mkdtempSync(join(tmpdir(), "devsvc-config-"));
  try {
    await assert.rejects(loadConfig(dir), (err: Error) => {
      assert.equal(
        err.message,
        `No devservices configuration found in ${join(dir, "devservices", "config.yml")}`,
      );
      return true;
    });
    mkdirSync(join(dir, "devservices"));
    writeFileSync(join(dir, "devservices", "config.yml"), "a: [1, 2\n");
    await assert.rejects(
      loadConfig(dir),
      (err: Error) => err.message.startsWith("Error parsing config file: "),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
