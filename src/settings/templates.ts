// The files `sentryctl init` writes: Sentry's `config.yml.default` (same comments and keys, the
// command renamed) and `sentry.conf.py.default` rewritten as a TypeScript settings module.
// `--dev` switches mail to the console backend and DEBUG on.

export interface TemplateContext {
  secretKey: string;
  dev: boolean;
}

export function configYml({ secretKey, dev }: TemplateContext): string {
  return `# While a lot of configuration in Sentry can be changed via the UI, for all
# new-style config (as of 8.0) you can also declare values here in this file
# to enforce defaults or to ensure they cannot be changed via the UI. For more
# information see the Sentry documentation.

###############
# Mail Server #
###############

mail.backend: '${dev ? "console" : "smtp"}'  # Use dummy if you want to disable email entirely
# mail.host: 'localhost'
# mail.port: 25
# mail.username: ''
# mail.password: ''
# mail.use-tls: false
# The email address to send on behalf of
# mail.from: 'root@localhost'

# If you'd like to configure email replies, enable this.
# mail.enable-replies: false

# When email-replies are enabled, this value is used in the Reply-To header
# mail.reply-hostname: ''

# If you're using mailgun for inbound mail, set your API key and configure a
# route to forward to /api/hooks/mailgun/inbound/
# mail.mailgun-api-key: ''

###################
# System Settings #
###################

# If this file ever becomes compromised, it's important to regenerate your a new key
# Changing this value will result in all current sessions being invalidated.
# A new key can be generated with \`$ sentryctl config generate-secret-key\`
system.secret-key: '${secretKey}'

# The \`\`redis.clusters\`\` setting is used, unsurprisingly, to configure Redis
# clusters. These clusters can be then referred to by name when configuring
# backends such as the cache, digests, or TSDB backend.
redis.clusters:
  default:
    hosts:
      0:
        host: 127.0.0.1
        port: 6379

################
# File storage #
################

# Uploaded media uses these \`filestore\` settings. The available
# backends are either \`filesystem\` or \`s3\`.

filestore.backend: 'filesystem'
filestore.options:
  location: '/tmp/sentry-files'

# filestore.backend: 's3'
# filestore.options:
#   access_key: 'AKIXXXXXX'
#   secret_key: 'XXXXXXX'
#   bucket_name: 's3-bucket-name'

#############
# sentryctl #
#############

# The status server (\`sentryctl serve\`, \`attach --status\`).
# status.bind: '127.0.0.1:8990'
# status.allowed-hosts: ['localhost', '127.0.0.1', '[::1]']
`;
}

export function sentryConfTs({ dev }: TemplateContext): string {
  return `// This file is just TypeScript, with the UPPERCASE settings of Sentry's sentry.conf.py.
// The default export is an object of overrides, or a function that receives the built-in
// defaults and returns overrides, e.g. \`export default (d) => ({ ALLOWED_HOSTS: [...] })\`.
// Options (system.*, mail.*, redis.clusters, filestore.*) live in config.yml next to it.

export default {
  // Sentry's database. sentryctl reads it only for \`createuser\` and \`permissions\`: set, they
  // write Sentry's own auth_user / sentry_userpermission tables in this Postgres (which must be
  // running: \`sentryctl up postgres\`); unset, they use the local SQLite store in this directory.
  // DATABASES: {
  //   default: {
  //     ENGINE: "sentry.db.postgres",
  //     NAME: "sentry",
  //     USER: "postgres",
  //     PASSWORD: "",
  //     HOST: "127.0.0.1",
  //     PORT: "",
  //     AUTOCOMMIT: true,
  //     ATOMIC_REQUESTS: false,
  //   },
  // },

  // You should not change this setting after your database has been created
  // unless you have altered all schemas first
  SENTRY_USE_BIG_INTS: true,

  // If you're expecting any kind of real traffic on Sentry, we highly recommend
  // configuring the CACHES and Redis settings

  // Instruct Sentry that this install intends to be run by a single organization
  // and thus various UI optimizations should be enabled.
  SENTRY_SINGLE_ORGANIZATION: true,

  DEBUG: ${dev ? "true" : "false"},

  // A primary cache is required for things such as processing events
  SENTRY_CACHE: "sentry.cache.redis.RedisCache",

  // Sentry uses Redis as its task queue broker.
  BROKER_URL: "redis://localhost:6379",

  // Ratelimits, the update buffer, quotas and time-series storage (TSDB) use Redis.
  SENTRY_RATELIMITER: "sentry.ratelimits.redis.RedisRateLimiter",
  SENTRY_BUFFER: "sentry.buffer.redis.RedisBuffer",
  SENTRY_QUOTAS: "sentry.quotas.redis.RedisQuota",
  SENTRY_TSDB: "sentry.tsdb.redissnuba.RedisSnubaTSDB",

  // Digests group notifications into periodic emails.
  SENTRY_DIGESTS: "sentry.digests.backends.redis.RedisBackend",

  // The web server.
  SENTRY_WEB_HOST: "0.0.0.0",
  SENTRY_WEB_PORT: 9000,
  SENTRY_WEB_OPTIONS: {
    // workers: 3, // the number of web workers
    // protocol: "uwsgi", // Enable uwsgi protocol instead of http
  },

  // Behind an SSL proxy, uncomment these (and set system.url-prefix to https://…):
  // SECURE_PROXY_SSL_HEADER: ["HTTP_X_FORWARDED_PROTO", "https"],
  // SESSION_COOKIE_SECURE: true,
  // CSRF_COOKIE_SECURE: true,
};
`;
}
