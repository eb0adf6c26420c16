// The built-in `SENTRY_DEVSERVICES` catalog: Sentry's final (2024/25) definitions — images,
// ports, environment, volumes, commands, `only_if` — plus the health probes devservices ran,
// and one service of sentryctl's own (spotlight, switched by SENTRYCTL_USE_SPOTLIGHT).
// Each entry is a function of settings and options, as in Sentry's `server.py`.

import type { CatalogEntry, HealthcheckSpec } from "./spec.ts";

type Settings = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const flag = (v: unknown) => (v ? "1" : "");
const probe = (
  check: Omit<HealthcheckSpec, "interval" | "retries">,
  retries = 3,
  interval = 5,
): HealthcheckSpec => ({
  ...check,
  interval,
  retries,
  timeout: 5,
  timeout_total: 180,
});

function usesKafka(s: Settings): boolean {
  return str(s.SENTRY_EVENTSTREAM).includes("kafka") || Boolean(s.SENTRY_USE_RELAY) ||
    Boolean(s.SENTRY_DEV_PROCESS_SUBSCRIPTIONS) || Boolean(s.SENTRY_USE_PROFILING);
}

/**
 * Sentry's `bool(os.environ.get("SENTRY_USE_RELAY", settings.SENTRY_USE_RELAY))`: any non-empty
 * value of the variable enables relay, `0` and `false` included (Python's truthiness of a str).
 */
function relayEnabled(s: Settings, env: Record<string, string | undefined>): boolean {
  const fromEnv = env.SENTRY_USE_RELAY;
  return fromEnv !== undefined ? fromEnv !== "" : Boolean(s.SENTRY_USE_RELAY);
}

export const BUILTIN_CATALOG: Record<string, CatalogEntry> = {
  redis: {
    build: () => ({
      image: "ghcr.io/getsentry/image-mirror-library-redis:5.0-alpine",
      ports: { "6379/tcp": 6379 },
      command: [
        "redis-server",
        "--appendonly",
        "yes",
        "--save",
        "60",
        "20",
        "--auto-aof-rewrite-percentage",
        "100",
        "--auto-aof-rewrite-min-size",
        "64mb",
      ],
      volumes: { redis: { bind: "/data" } },
      healthcheck: probe({ exec: ["redis-cli", "ping"] }),
      only_if: true,
    }),
  },
  "redis-cluster": {
    enabledBy: "SENTRY_DEV_USE_REDIS_CLUSTER (environment)",
    build: (s) => ({
      image: "ghcr.io/getsentry/docker-redis-cluster:7.0.10",
      ports: Object.fromEntries(
        ["7000", "7001", "7002", "7003", "7004", "7005"].map((p) => [`${p}/tcp`, p]),
      ),
      environment: { IP: "0.0.0.0" },
      volumes: { "redis-cluster": { bind: "/redis-data" } },
      only_if: Boolean(s.SENTRY_DEV_USE_REDIS_CLUSTER),
    }),
  },
  rabbitmq: {
    enabledBy: "SENTRY_DEV_USE_RABBITMQ (environment)",
    build: (s) => ({
      image: "ghcr.io/getsentry/image-mirror-library-rabbitmq:3-management",
      ports: { "5672/tcp": 5672, "15672/tcp": 15672 },
      environment: { IP: "0.0.0.0" },
      healthcheck: probe({ exec: ["rabbitmq-diagnostics", "-q", "ping"] }),
      only_if: Boolean(s.SENTRY_DEV_USE_RABBITMQ),
    }),
  },
  postgres: {
    build: (s) => ({
      image: `ghcr.io/getsentry/image-mirror-library-postgres:${str(s.PG_VERSION) || "14"}-alpine`,
      ports: { "5432/tcp": 5432 },
      environment: { POSTGRES_DB: "sentry", POSTGRES_HOST_AUTH_METHOD: "trust" },
      volumes: { postgres: { bind: "/var/lib/postgresql/data" }, wal2json: { bind: "/wal2json" } },
      command: [
        "postgres",
        "-c",
        "wal_level=logical",
        "-c",
        "max_replication_slots=1",
        "-c",
        "max_wal_senders=1",
      ],
      healthcheck: probe({ exec: ["pg_isready", "-U", "postgres"] }),
      only_if: true,
    }),
  },
  kafka: {
    enabledBy:
      'SENTRY_EVENTSTREAM = "sentry.eventstream.kafka.KafkaEventStream", SENTRY_USE_RELAY, SENTRY_DEV_PROCESS_SUBSCRIPTIONS or SENTRY_USE_PROFILING',
    build: (s) => ({
      image: "ghcr.io/getsentry/image-mirror-confluentinc-cp-kafka:7.5.0",
      ports: { "9092/tcp": 9092 },
      environment: {
        KAFKA_PROCESS_ROLES: "broker,controller",
        KAFKA_CONTROLLER_QUORUM_VOTERS: "1@127.0.0.1:29093",
        KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
        KAFKA_NODE_ID: "1",
        CLUSTER_ID: "MkU3OEVBNTcwNTJENDM2Qk",
        KAFKA_LISTENERS:
          "PLAINTEXT://0.0.0.0:29092,INTERNAL://0.0.0.0:9093,EXTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:29093",
        KAFKA_ADVERTISED_LISTENERS:
          "PLAINTEXT://127.0.0.1:29092,INTERNAL://{containers[kafka][name]}:9093,EXTERNAL://127.0.0.1:9092",
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
          "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
        KAFKA_INTER_BROKER_LISTENER_NAME: "PLAINTEXT",
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: "1",
        KAFKA_LOG_RETENTION_HOURS: "24",
        KAFKA_MESSAGE_MAX_BYTES: "50000000",
        KAFKA_MAX_REQUEST_SIZE: "50000000",
      },
      volumes: { kafka: { bind: "/var/lib/kafka/data" } },
      healthcheck: probe({
        exec: ["kafka-topics", "--bootstrap-server", "127.0.0.1:9092", "--list"],
      }),
      stop_grace_period: 20,
      only_if: usesKafka(s),
    }),
  },
  clickhouse: {
    build: (s) => {
      const dist = Boolean(s.SENTRY_DISTRIBUTED_CLICKHOUSE_TABLES);
      // config.d/sentry.xml is delivered as a file (config-files.ts), not bind-mounted.
      return {
        image:
          "ghcr.io/getsentry/image-mirror-altinity-clickhouse-server:23.8.11.29.altinitystable",
        ports: { "9000/tcp": 9000, "9009/tcp": 9009, "8123/tcp": 8123 },
        ulimits: [{ name: "nofile", soft: 262144, hard: 262144 }],
        volumes: { [dist ? "clickhouse_dist" : "clickhouse"]: { bind: "/var/lib/clickhouse" } },
        healthcheck: probe({ exec: ["wget", "-q", "-O", "-", "http://127.0.0.1:8123/ping"] }),
        only_if: true,
      };
    },
  },
  snuba: {
    enabledBy: "SENTRY_EVENTSTREAM containing snuba or kafka",
    build: (s) => {
      const eventstream = str(s.SENTRY_EVENTSTREAM);
      const snubaStream = eventstream.includes("snuba");
      return {
        image: "ghcr.io/getsentry/snuba:latest",
        ports: { "1218/tcp": 1218, "1219/tcp": 1219 },
        command: snubaStream ? ["devserver", "--no-workers"] : ["devserver"],
        platform: "linux/amd64",
        environment: {
          PYTHONUNBUFFERED: "1",
          SNUBA_SETTINGS: "docker",
          DEBUG: "1",
          CLICKHOUSE_HOST: "{containers[clickhouse][name]}",
          CLICKHOUSE_PORT: "9000",
          CLICKHOUSE_HTTP_PORT: "8123",
          DEFAULT_BROKERS: snubaStream ? "" : "{containers[kafka][name]}:9093",
          REDIS_HOST: "{containers[redis][name]}",
          REDIS_PORT: "6379",
          REDIS_DB: "1",
          ENABLE_SENTRY_METRICS_DEV: flag(s.SENTRY_USE_METRICS_DEV),
          ENABLE_PROFILES_CONSUMER: flag(s.SENTRY_USE_PROFILING),
          ENABLE_SPANS_CONSUMER: flag(s.SENTRY_USE_SPANS),
          ENABLE_ISSUE_OCCURRENCE_CONSUMER: flag(s.SENTRY_USE_ISSUE_OCCURRENCE),
          ENABLE_GROUP_ATTRIBUTES_CONSUMER: flag(s.SENTRY_USE_GROUP_ATTRIBUTES),
          ENABLE_AUTORUN_MIGRATION_SEARCH_ISSUES: "1",
        },
        depends_on: snubaStream ? ["clickhouse", "redis"] : ["clickhouse", "redis", "kafka"],
        healthcheck: probe({ http: "http://127.0.0.1:1218/health_envoy" }, 12, 10),
        only_if: snubaStream || eventstream.includes("kafka"),
      };
    },
  },
  taskbroker: {
    enabledBy: "SENTRY_USE_TASKBROKER",
    build: (s) => ({
      image: "ghcr.io/getsentry/taskbroker:latest",
      ports: { "50051/tcp": 50051 },
      // Sentry passes the container name alone (`sentry_kafka`); taskbroker adds the port.
      environment: { TASKBROKER_KAFKA_CLUSTER: "{containers[kafka][name]}" },
      platform: "linux/amd64",
      depends_on: ["kafka"],
      only_if: Boolean(s.SENTRY_USE_TASKBROKER),
    }),
  },
  bigtable: {
    enabledBy: "SENTRY_NODESTORE containing bigtable, or NEED_BIGTABLE (environment)",
    build: (s, _o, env) => ({
      image: "ghcr.io/getsentry/cbtemulator:d28ad6b63e461e8c05084b8c83f1c06627068c04",
      ports: { "8086/tcp": 8086 },
      only_if: Boolean(env.NEED_BIGTABLE) || str(s.SENTRY_NODESTORE).includes("bigtable"),
    }),
  },
  memcached: {
    enabledBy: 'CACHES["default"]["BACKEND"] containing memcached',
    build: (s) => {
      const caches = (s.CACHES ?? {}) as Record<string, { BACKEND?: string }>;
      return {
        image: "ghcr.io/getsentry/image-mirror-library-memcached:1.5-alpine",
        ports: { "11211/tcp": 11211 },
        healthcheck: probe({ tcp: "11211/tcp" }),
        only_if: str(caches.default?.BACKEND).includes("memcached"),
      };
    },
  },
  symbolicator: {
    enabledBy: "the option symbolicator.enabled",
    // /etc/symbolicator is delivered as files (config-files.ts), not bind-mounted.
    build: (_s, o) => ({
      image: "us-central1-docker.pkg.dev/sentryio/symbolicator/image:nightly",
      ports: { "3021/tcp": 3021 },
      command: ["run", "--config", "/etc/symbolicator/config.yml"],
      healthcheck: probe({ http: "http://127.0.0.1:3021/healthcheck" }),
      only_if: Boolean(o["symbolicator.enabled"]),
    }),
  },
  relay: {
    enabledBy: "SENTRY_USE_RELAY (setting or environment)",
    // /etc/relay is delivered as files (config-files.ts), not bind-mounted.
    build: (s, _o, env) => ({
      image: "us-central1-docker.pkg.dev/sentryio/relay/relay:nightly",
      ports: { "7899/tcp": Number(s.SENTRY_RELAY_PORT ?? 7899) },
      command: ["run", "--config", "/etc/relay"],
      with_devserver: true,
      depends_on: ["kafka", "redis"],
      only_if: relayEnabled(s, env),
    }),
  },
  chartcuterie: {
    enabledBy: "the option chart-rendering.enabled, or NEED_CHARTCUTERIE (environment)",
    // /etc/chartcuterie is delivered as files (config-files.ts), not bind-mounted.
    build: (_s, o, env) => ({
      image: "us-central1-docker.pkg.dev/sentryio/chartcuterie/image:latest",
      ports: { "9090/tcp": 7901 },
      environment: {
        CHARTCUTERIE_CONFIG: "/etc/chartcuterie/config.js",
        CHARTCUTERIE_CONFIG_POLLING: "true",
      },
      healthcheck: probe({ http: "http://127.0.0.1:7901/api/chartcuterie/healthcheck/live" }),
      only_if: Boolean(env.NEED_CHARTCUTERIE) || Boolean(o["chart-rendering.enabled"]),
    }),
  },
  vroom: {
    enabledBy: "SENTRY_USE_PROFILING",
    build: (s) => ({
      image: "us-central1-docker.pkg.dev/sentryio/vroom/vroom:latest",
      ports: { "8085/tcp": 8085 },
      volumes: { profiles: { bind: "/var/lib/sentry-profiles" } },
      environment: {
        SENTRY_KAFKA_BROKERS_PROFILING: "{containers[kafka][name]}:9093",
        SENTRY_KAFKA_BROKERS_OCCURRENCES: "{containers[kafka][name]}:9093",
        SENTRY_SNUBA_HOST: "http://{containers[snuba][name]}:1218",
      },
      depends_on: ["kafka", "snuba"],
      healthcheck: probe({ http: "http://127.0.0.1:8085/health" }),
      only_if: Boolean(s.SENTRY_USE_PROFILING),
    }),
  },
  // Not part of Sentry's SENTRY_DEVSERVICES (only the newer getsentry/devservices tool has
  // it): sentryctl's own addition, so its switch is a sentryctl setting, not a Sentry one.
  spotlight: {
    enabledBy:
      "SENTRYCTL_USE_SPOTLIGHT (a sentryctl setting; spotlight is not in Sentry's catalog)",
    build: (s) => ({
      image: "ghcr.io/getsentry/spotlight:latest",
      ports: { "8969/tcp": 8969 },
      healthcheck: probe({ http: "http://127.0.0.1:8969/health" }),
      only_if: Boolean(s.SENTRYCTL_USE_SPOTLIGHT),
    }),
  },
};
