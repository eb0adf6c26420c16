// Default file for symbolicator's `/etc/symbolicator` (Sentry keeps it in
// `config/symbolicator/`): listen on 3021, verbose human logs, no on-disk cache.

export const SYMBOLICATOR_CONFIG_YML =
  `# symbolicator's configuration for sentryctl (delivered to /etc/symbolicator/config.yml).
# Edit freely: sentryctl never overwrites this file.
bind: "0.0.0.0:3021"
logging:
  level: "trace"
  format: "pretty"
  enable_backtraces: true
# No cache directory: a dev service should not grow a cache between runs.
cache_dir: null
`;
