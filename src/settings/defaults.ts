// Built-in settings: a modern Sentry dev setup (SPEC §2), the values `sentry.conf.server`
// would provide. A settings file overrides them key by key.

export type Settings = Record<string, unknown>;

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
    SENTRY_OPTIONS: {},
    SENTRY_DEVSERVICES: {},
    DEVSERVICES_CONFIG_DIR: "",
    CSRF_TRUSTED_ORIGINS: [],
  };
}
