// Names the stand-in `sentry.conf.server` offers on top of sentryctl's own defaults: settings
// that real `sentry.conf.py` files modify in place (`KAFKA_CLUSTERS["default"] = …`,
// `INSTALLED_APPS += (…)`, `LOGGING["loggers"][…]`), with the shape Sentry's server.py gives
// them in a dev setup. A file that star-imports the stand-in brings them into the settings (as
// Sentry's server.py would), so `config get KAFKA_CLUSTERS` answers.
// Settings Sentry tells apart by presence (SECRET_KEY, EMAIL_*, GITHUB_*) are left out on purpose.

import type { Settings } from "../defaults.ts";

export function standInExtras(): Settings {
  return {
    KAFKA_CLUSTERS: {
      default: {
        common: { "bootstrap.servers": "127.0.0.1:9092" },
        producers: { "compression.type": "lz4", "message.max.bytes": 50000000 },
        consumers: {},
      },
    },
    INSTALLED_APPS: [],
    MIDDLEWARE: [],
    AUTHENTICATION_BACKENDS: [],
    LOGGING: {
      default_level: "INFO",
      version: 1,
      disable_existing_loggers: true,
      handlers: {},
      filters: {},
      formatters: {},
      root: { level: "NOTSET", handlers: ["console"] },
      overridable: ["celery", "sentry"],
      loggers: {},
    },
    SENTRY_WEB_HOST: "127.0.0.1",
    SENTRY_WEB_PORT: 9000,
    SENTRY_WEB_OPTIONS: {},
    STATIC_URL: "/_static/{version}/",
  };
}
