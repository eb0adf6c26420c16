// End-to-end: every real project file in ../shared/corpus resolves through the binary with
// `config stack --json` (exit 0) to the services, images and published ports that a reading of
// the file by hand gives (the tables below), and — where Debian's docker-compose 1.29 is
// installed — to what `docker-compose config` gives. Files 1.29 cannot read as shipped are
// compared on a copy with the one construct it lacks rewritten (docs/project-files.md).
// No Docker engine needed.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT, runCli, testEnv } from "../helpers/cli.ts";

// Beside the repository (`../shared/corpus`); a worktree elsewhere names it in SENTRYCTL_CORPUS.
const CORPUS = process.env.SENTRYCTL_CORPUS ?? resolve(REPO_ROOT, "../shared/corpus");
const work = mkdtempSync(join(tmpdir(), "sentryctl-corpus-"));

type Row = [service: string, image: string, ports: string[]];

/** `[host_ip:]published:target/protocol`, or `target/protocol` when nothing is published. */
function portText(
  p: { host_ip?: string; published?: string | number; target: number; protocol?: string },
) {
  const host = p.published === undefined || p.published === ""
    ? ""
    : `${p.host_ip ? `${p.host_ip}:` : ""}${p.published}:`;
  return `${host}${p.target}/${p.protocol ?? "tcp"}`;
}

function summary(
  model: { services: Record<string, { image?: string; ports?: unknown[] }> },
): Row[] {
  return Object.entries(model.services).map(([name, s]) => [
    name,
    s.image ?? "",
    (s.ports ?? []).map((p) => typeof p === "string" ? compose129Port(p) : portText(p as never)),
  ]).sort((a, b) => (a[0] as string).localeCompare(b[0] as string)) as Row[];
}

/** docker-compose 1.29 prints short ports as `[ip:]published:target/proto`. */
function compose129Port(text: string): string {
  const m = /^(?:(.+):)?(\d+(?:-\d+)?):(\d+)\/(\w+)$/.exec(text);
  if (!m) return text;
  return `${m[1] ? `${m[1]}:` : ""}${m[2]}:${m[3]}/${m[4]}`;
}

async function configStack(file: string, extraEnv: Record<string, string> = {}) {
  const r = await runCli(["-f", file, "config", "stack", "--json"], {
    cwd: work,
    env: testEnv(extraEnv),
  });
  assert.equal(r.code, 0, `exit code for ${file}\n${r.stderr}`);
  return { model: JSON.parse(r.stdout), stderr: r.stderr };
}

const HAS_COMPOSE = spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0;

function compose129(file: string, cwd: string): Row[] {
  const r = spawnSync("docker-compose", ["-f", file, "config"], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH },
  });
  assert.equal(r.status, 0, `docker-compose config ${file}\n${r.stderr}`);
  return summary(parse(r.stdout));
}

const sorted = (rows: Row[]) => [...rows].sort((a, b) => a[0].localeCompare(b[0]));
const local = (...ports: number[]) => ports.map((p) => `127.0.0.1:${p}:${p}/tcp`);
const SNUBA = "ghcr.io/getsentry/snuba:nightly";

const DEVSERVICES: Record<string, { name: string; rows: Row[]; compose129?: string }> = {
  "relay.config.yml": {
    name: "relay",
    rows: [["relay", "ghcr.io/getsentry/relay:nightly", local(7899)]],
  },
  "sentry-shared-kafka.config.yml": {
    name: "kafka",
    rows: [[
      "kafka",
      "ghcr.io/getsentry/image-mirror-confluentinc-cp-kafka:7.5.0",
      local(9092, 9093),
    ]],
    compose129: "1.29 refuses `CONFLUENT_SUPPORT_METRICS_ENABLE: false` (a boolean in environment)",
  },
  "sentry-shared-postgres.config.yml": {
    name: "postgres",
    rows: [["postgres", "ghcr.io/getsentry/image-mirror-library-postgres:17-alpine", local(5432)]],
  },
  "sentry-shared-redis.config.yml": {
    name: "redis",
    rows: [["redis", "ghcr.io/getsentry/image-mirror-library-redis:5.0-alpine", local(6379)]],
  },
  "sentry.config.yml": {
    name: "sentry",
    rows: [
      ["postgres", "ghcr.io/getsentry/image-mirror-library-postgres:14-alpine", local(5432)],
      [
        "bigtable",
        "ghcr.io/getsentry/cbtemulator:d28ad6b63e461e8c05084b8c83f1c06627068c04",
        local(8086),
      ],
      [
        "redis-cluster",
        "ghcr.io/getsentry/docker-redis-cluster:7.0.10",
        local(7000, 7001, 7002, 7003, 7004, 7005),
      ],
      [
        "rabbitmq",
        "ghcr.io/getsentry/image-mirror-library-rabbitmq:3-management",
        local(5672, 15672),
      ],
      ["memcached", "ghcr.io/getsentry/image-mirror-library-memcached:1.5-alpine", local(11211)],
      ["spotlight", "ghcr.io/getsentry/spotlight:latest", local(8969)],
    ],
  },
  "snuba.config.yml": {
    name: "snuba",
    rows: [
      [
        "clickhouse",
        "ghcr.io/getsentry/image-mirror-altinity-clickhouse-server:25.8.16.10001.altinitystable",
        local(9000, 9009, 8123),
      ],
      ["snuba", SNUBA, local(1218, 1219)],
      ["profiles-consumer", SNUBA, []],
      ["profile-chunks-consumer", SNUBA, []],
      ["functions-consumer", SNUBA, []],
      ["metrics-consumer", SNUBA, []],
      ["generic-metrics-counters-consumer", SNUBA, []],
    ],
    compose129: '1.29 has no `${VAR:+alt}` ("Invalid interpolation format")',
  },
  "taskbroker.config.yml": {
    name: "taskbroker",
    rows: [["taskbroker", "ghcr.io/getsentry/taskbroker:nightly", local(50051)]],
  },
};

/** Rewrites a copy so that 1.29 reads it; everything compared is left as it was. */
const FOR_129: Record<string, (text: string) => string> = {
  "sentry-shared-kafka.config.yml": (t) => t.replace(/: false$/gm, ": 'false'"),
  "snuba.config.yml": (t) => t.replace("--${SNUBA_NO_WORKERS:+no-workers}", "--"),
};

describe("devservices corpus files", () => {
  for (const [file, expected] of Object.entries(DEVSERVICES)) {
    const path = join(CORPUS, "devservices", file);
    test(`${file}: services, images and published ports`, async () => {
      const { model, stderr } = await configStack(path);
      assert.equal(model.name, expected.name);
      assert.deepEqual(summary(model), sorted(expected.rows));
      assert.doesNotMatch(stderr, /error/);
      // devservices' own blocks come through for the next layer.
      assert.equal(model["x-sentry-service-config"].service_name, expected.name);
      assert.equal(model.networks.devservices.external, true);
      assert.equal(model.networks.devservices.name, "devservices");
    });
    test(
      `${file}: agrees with docker-compose 1.29${
        expected.compose129 ? " (on a copy: " + expected.compose129 + ")" : ""
      }`,
      { skip: !HAS_COMPOSE && "docker-compose is not installed" },
      async () => {
        let target = path;
        const rewrite = FOR_129[file];
        if (rewrite) {
          const dir = mkdtempSync(join(work, "copy-"));
          target = join(dir, file);
          writeFileSync(target, rewrite(readFileSync(path, "utf8")));
        }
        const { model } = await configStack(path);
        assert.deepEqual(summary(model), compose129(target, work));
      },
    );
  }

  test("snuba: an empty ${X:+y} leaves what surrounds it; set, it expands", async () => {
    const path = join(CORPUS, "devservices", "snuba.config.yml");
    assert.deepEqual((await configStack(path)).model.services.snuba.command, ["devserver", "--"]);
    const set = await configStack(path, { SNUBA_NO_WORKERS: "1" });
    assert.deepEqual(set.model.services.snuba.command, ["devserver", "--no-workers"]);
  });
});

const SENTRY = "sentry-self-hosted-local";
const SELF_HOSTED: Row[] = [
  ["smtp", "registry.gitlab.com/egos-tech/smtp", []],
  ["memcached", "memcached:1.6.45-alpine", []],
  ["redis", "valkey/valkey:8.1.9-alpine", []],
  ["postgres", "postgres:14.24-bookworm", []],
  ["pgbouncer", "edoburu/pgbouncer:v1.25.2-p0", []],
  ["kafka", "confluentinc/cp-kafka:7.6.13", []],
  ["clickhouse", "clickhouse-self-hosted-local", []],
  [
    "seaweedfs",
    "chrislusf/seaweedfs:4.40_large_disk@sha256:d07aa1dae03c687e0737b86130ded1b18474211a09e85d737fbe5508b8805139",
    [],
  ],
  ...[
    "api",
    "errors-consumer",
    "outcomes-consumer",
    "outcomes-accepted-consumer",
    "outcomes-billing-consumer",
    "group-attributes-consumer",
    "replacer",
    "subscription-consumer-events",
    "transactions-consumer",
    "replays-consumer",
    "issue-occurrence-consumer",
    "metrics-consumer",
    "subscription-consumer-transactions",
    "subscription-consumer-metrics",
    "subscription-consumer-generic-metrics-counters",
    "generic-metrics-counters-consumer",
    "profiling-profiles-consumer",
    "profiling-functions-consumer",
    "profiling-profile-chunks-consumer",
    "eap-items-consumer",
    "subscription-consumer-eap-items",
  ].map((s): Row => [`snuba-${s}`, SNUBA, []]),
  ["symbolicator", "ghcr.io/getsentry/symbolicator:nightly", []],
  ["symbolicator-cleanup", "ghcr.io/getsentry/symbolicator:nightly", []],
  ...[
    "web",
    "events-consumer",
    "attachments-consumer",
    "post-process-forwarder-errors",
    "transactions-consumer",
    "metrics-consumer",
    "generic-metrics-consumer",
    "ingest-occurrences",
    "ingest-monitors",
    "ingest-feedback-events",
    "process-spans",
    "process-segments",
    "monitors-clock-tick",
    "monitors-clock-tasks",
    "uptime-results",
    "post-process-forwarder-transactions",
    "post-process-forwarder-issue-platform",
    "taskscheduler",
    "taskworker",
  ].map((s): Row => [s, SENTRY, []]),
  ["sentry-cleanup", "sentry-cleanup-self-hosted-local", []],
  ["nginx", "nginx:1.31.3-alpine", ["9000:80/tcp"]],
  ["relay", "ghcr.io/getsentry/relay:nightly", []],
  ["taskbroker", "ghcr.io/getsentry/taskbroker:nightly", []],
  ["launchpad-taskworker", "ghcr.io/getsentry/launchpad:nightly", []],
  ["vroom", "ghcr.io/getsentry/vroom:nightly", []],
  ["uptime-checker", "ghcr.io/getsentry/uptime-checker:nightly", []],
];

describe("self-hosted docker-compose.yml with its .env", () => {
  const path = join(CORPUS, "self-hosted", "docker-compose.yml");

  test("project name, profile and every service from .env, anchors and merge keys", async () => {
    const { model } = await configStack(path);
    assert.equal(model.name, "sentry-self-hosted", "COMPOSE_PROJECT_NAME from .env");
    assert.equal(SELF_HOSTED.length, 57);
    assert.deepEqual(summary(model), sorted(SELF_HOSTED));
    const web = model.services.web;
    assert.deepEqual(web.depends_on.redis, { condition: "service_healthy", required: true });
    assert.deepEqual(web.depends_on.memcached, { condition: "service_started", required: true });
    assert.equal(web.restart, "unless-stopped");
    assert.equal(web.pull_policy, "never");
    assert.equal(
      web.environment.SENTRY_EVENT_RETENTION_DAYS,
      "90",
      "a bare name takes .env's value",
    );
    assert.equal(web.environment.REQUESTS_CA_BUNDLE, "/etc/ssl/certs/ca-certificates.crt");
    assert.deepEqual(web.build.args, { SENTRY_IMAGE: "ghcr.io/getsentry/sentry:nightly" });
    assert.equal(web.build.context, join(CORPUS, "self-hosted", "sentry"));
    assert.equal(model.services.redis.healthcheck.timeout, "1m30s");
    assert.equal(model.services.redis.healthcheck.retries, 10);
    assert.deepEqual(model.services.nginx.depends_on.web, {
      condition: "service_healthy",
      required: true,
      restart: true,
    });
    assert.deepEqual(model.volumes["sentry-data"], { name: "sentry-data", external: true });
    assert.deepEqual(model.volumes["sentry-vroom"], { name: "sentry-self-hosted_sentry-vroom" });
  });

  test("COMPOSE_PROFILES from the environment outranks .env", async () => {
    const { model } = await configStack(path, { COMPOSE_PROFILES: "errors-only" });
    // Read independently: the yaml library's own merge-key handling, no compose code.
    const raw = parse(readFileSync(path, "utf8"), { merge: true, maxAliasCount: -1 }) as {
      services: Record<string, { profiles?: string[] }>;
    };
    const featureOnly = Object.entries(raw.services)
      .filter(([, s]) => s.profiles?.length === 1 && s.profiles[0] === "feature-complete")
      .map(([name]) => name);
    assert.ok(featureOnly.length > 10, `services only in feature-complete: ${featureOnly.length}`);
    for (const s of featureOnly) assert.equal(model.services[s], undefined, s);
    assert.equal(Object.keys(model.services).length, 57 - featureOnly.length);
  });

  test(
    "agrees with docker-compose 1.29 (on a copy without depends_on's `restart: true`, which 1.29 refuses)",
    { skip: !HAS_COMPOSE && "docker-compose is not installed" },
    async () => {
      const dir = mkdtempSync(join(work, "self-hosted-"));
      cpSync(join(CORPUS, "self-hosted", ".env"), join(dir, ".env"));
      const text = readFileSync(path, "utf8");
      writeFileSync(join(dir, "docker-compose.yml"), text.replace(/^\s*restart: true\n/gm, ""));
      // 1.29 checks that build contexts exist.
      for (const m of text.matchAll(/context: (\S+)/g)) {
        mkdirSync(join(dir, m[1]!), {
          recursive: true,
        });
      }
      const { model } = await configStack(path);
      assert.deepEqual(summary(model), compose129(join(dir, "docker-compose.yml"), dir));
    },
  );
});
