// Built-in settings: a modern Sentry dev setup (SPEC §2), the values `sentry.conf.server`
// would provide. A settings file overrides them key by key.
//
// Names the chain derives or promotes (SECRET_KEY, EMAIL_*, GITHUB_*, SUDO_COOKIE_*,
// CSRF_COOKIE_*) are deliberately absent: Sentry tells "set by the user" from "not set" by
// presence (its `DEAD` sentinel / `hasattr`), and so does the chain here.

export type Settings = Record<string, unknown>;

/** Settings whose default is read from an environment variable (reported as their origin). */
export const ENV_DEFAULTS: Readonly<Record<string, string>> = {
  SENTRY_DEV_USE_REDIS_CLUSTER: "SENTRY_DEV_USE_REDIS_CLUSTER",
  SENTRY_DEV_USE_RABBITMQ: "SENTRY_DEV_USE_RABBITMQ",
  PG_VERSION: "PG_VERSION",
  SILO_MODE: "SENTRY_SILO_MODE",
  SENTRY_REGION: "SENTRY_REGION",
};

/** Environment variables that override a setting whatever the settings file says. */
export const ENV_OVERRIDES: Readonly<Record<string, (value: string) => unknown>> = {
  // Python's truthiness of the variable, as Sentry's relay `only_if`: `0` is non-empty, so true.
  SENTRY_USE_RELAY: (v) => v !== "",
};

export function defaultSettings(env: Record<string, string | undefined>): Settings {
  return {
    DEBUG: true,
    IS_DEV: true,
    TIME_ZONE: "UTC",
    ALLOWED_HOSTS: [],
    SENTRY_MODE: "self_hosted",
    SENTRY_SELF_HOSTED: false,
    SENTRY_SINGLE_ORGANIZATION: false,
    SENTRY_USE_RELAY: false,
    SENTRY_RELAY_PORT: 7899,
    SENTRY_EVENTSTREAM: "sentry.eventstream.kafka.KafkaEventStream",
    SENTRY_SEARCH: "sentry.search.snuba.EventsDatasetSnubaSearchBackend",
    SENTRY_TAGSTORE: "sentry.tagstore.snuba.SnubaTagStorage",
    SENTRY_TSDB: "sentry.tsdb.redissnuba.RedisSnubaTSDB",
    SENTRY_SNUBA: "http://127.0.0.1:1218",
    SENTRY_DEV_PROCESS_SUBSCRIPTIONS: false,
    SENTRY_USE_PROFILING: false,
    SENTRY_USE_METRICS_DEV: false,
    SENTRY_USE_SPANS: false,
    SENTRY_USE_ISSUE_OCCURRENCE: false,
    SENTRY_USE_GROUP_ATTRIBUTES: true,
    SENTRY_USE_TASKBROKER: false,
    SENTRY_DISTRIBUTED_CLICKHOUSE_TABLES: false,
    SENTRY_NODESTORE: "sentry.nodestore.django.DjangoNodeStorage",
    SENTRY_DEV_USE_REDIS_CLUSTER: Boolean(env.SENTRY_DEV_USE_REDIS_CLUSTER),
    SENTRY_DEV_USE_RABBITMQ: Boolean(env.SENTRY_DEV_USE_RABBITMQ),
    PG_VERSION: env.PG_VERSION ?? "14",
    CACHES: { default: { BACKEND: "django.core.cache.backends.locmem.LocMemCache" } },
    DATABASES: {
      default: {
        ENGINE: "sentry.db.postgres",
        NAME: "sentry",
        USER: "postgres",
        PASSWORD: "",
        HOST: "127.0.0.1",
        PORT: "",
      },
    },
    SENTRY_SDK_CONFIG: {},
    SENTRY_SDK_UPSTREAM_METRICS_ENABLED: false,
    SENTRY_OPTIONS: {},
    SENTRY_DEVSERVICES: {},
    // Config files of relay, symbolicator, clickhouse and chartcuterie (state-dir.ts): empty
    // means `<state dir>/devservices[/<service>]`, filled in when settings load.
    DEVSERVICES_CONFIG_DIR: "",
    RELAY_CONFIG_DIR: "",
    SYMBOLICATOR_CONFIG_DIR: "",
    CHARTCUTERIE_CONFIG_DIR: "",
    SENTRYCTL_STATE_DIR: "",
    SENTRYCTL_USE_SPOTLIGHT: false,
    CSRF_TRUSTED_ORIGINS: [],
    // Cookies: the SUDO_/CSRF_ twins are derived from these when unset.
    SESSION_COOKIE_SECURE: false,
    SESSION_COOKIE_DOMAIN: null,
    SESSION_COOKIE_PATH: "/",
    SENTRY_FEATURES: { "auth:register": true, "organizations:create": true },
    TASKWORKER_ALWAYS_EAGER: false,
    // Regions (hybrid cloud): empty config means the single monolith region.
    SENTRY_REGION_CONFIG: [],
    SENTRY_MONOLITH_REGION: "--monolith--",
    SENTRY_REGION: env.SENTRY_REGION ?? null,
    SILO_MODE: env.SENTRY_SILO_MODE ?? null,
    SENTRY_EMAIL_BACKEND_ALIASES: {
      smtp: "django.core.mail.backends.smtp.EmailBackend",
      dummy: "django.core.mail.backends.dummy.EmailBackend",
      console: "django.core.mail.backends.console.EmailBackend",
      preview: "sentry.utils.email.PreviewBackend",
    },
    // Metrics (SPEC §5): backend by dotted path, as Sentry's SENTRY_METRICS_BACKEND.
    SENTRY_METRICS_BACKEND: "sentry.metrics.dummy.DummyMetricsBackend",
    SENTRY_METRICS_OPTIONS: {},
    SENTRY_METRICS_SAMPLE_RATE: 1.0,
    SENTRY_METRICS_PREFIX: "sentry.",
    SENTRY_METRICS_SKIP_INTERNAL_PREFIXES: [],
    SENTRY_METRICS_SKIP_ALL_INTERNAL: false,
    SENTRY_METRICS_DISALLOW_BAD_TAGS: true,
    // Users and permissions (SPEC §6): sentryctl's store (SQLite, or Postgres when asked).
    SENTRY_PERMISSIONS_BACKEND: "sentryctl.permissions.StorePermissionStore",
    SENTRY_PERMISSIONS_OPTIONS: {},
    SENTRY_USER_PERMISSIONS: ["broadcasts.admin", "users.admin", "options.admin"],
  };
}
