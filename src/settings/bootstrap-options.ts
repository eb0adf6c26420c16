// `bootstrap_options()`: options from `config.yml` and legacy settings go into SENTRY_OPTIONS
// (`config.yml` wins, a legacy setting is copied with a deprecation warning), then the few
// options Django needs are promoted into settings (`mail.backend` through its aliases).

import type { Settings } from "./defaults.ts";

/** Option key → setting, as Sentry's `options_mapper`. */
export const OPTIONS_MAPPER: Readonly<Record<string, string>> = {
  "system.secret-key": "SECRET_KEY",
  "mail.backend": "EMAIL_BACKEND",
  "mail.host": "EMAIL_HOST",
  "mail.port": "EMAIL_PORT",
  "mail.username": "EMAIL_HOST_USER",
  "mail.password": "EMAIL_HOST_PASSWORD",
  "mail.use-tls": "EMAIL_USE_TLS",
  "mail.use-ssl": "EMAIL_USE_SSL",
  "mail.from": "SERVER_EMAIL",
  "mail.subject-prefix": "EMAIL_SUBJECT_PREFIX",
  "github-login.client-id": "GITHUB_APP_ID",
  "github-login.client-secret": "GITHUB_API_SECRET",
  "github-login.require-verified-email": "GITHUB_REQUIRE_VERIFIED_EMAIL",
  "github-login.base-domain": "GITHUB_BASE_DOMAIN",
  "github-login.api-domain": "GITHUB_API_DOMAIN",
  "github-login.extended-permissions": "GITHUB_EXTENDED_PERMISSIONS",
  "github-login.organization": "GITHUB_ORGANIZATION",
};

/** Single organization: the GitHub integration app doubles as the login app. */
export const SINGLE_ORG_MAPPER: Readonly<Record<string, string>> = {
  "github-app.client-id": "GITHUB_APP_ID",
  "github-app.client-secret": "GITHUB_API_SECRET",
};

export interface BootstrapResult {
  /** Options copied from a legacy setting: option key → setting name. */
  fromLegacy: Map<string, string>;
  /** Settings promoted from options: setting name → option key. */
  promoted: Map<string, string>;
}

/**
 * Mutates `settings`: SENTRY_OPTIONS gets the file options (and legacy settings), then mapped
 * options are promoted from the defaults and SENTRY_OPTIONS, in that order (later wins).
 */
export function bootstrapOptions(
  settings: Settings,
  fileOptions: Record<string, unknown>,
  mapper: Readonly<Record<string, string>>,
  defaultOptions: Record<string, unknown>,
  deprecated: (setting: string, key: string) => void,
): BootstrapResult {
  const options: Record<string, unknown> = { ...fileOptions };
  const fromLegacy = new Map<string, string>();
  for (const [key, setting] of Object.entries(mapper)) {
    if (Object.hasOwn(settings, setting) && !Object.hasOwn(options, key)) {
      deprecated(setting, key);
      options[key] = settings[setting];
      fromLegacy.set(key, setting);
    }
  }
  const sentryOptions = { ...(settings.SENTRY_OPTIONS as Record<string, unknown> | undefined) };
  Object.assign(sentryOptions, options);
  settings.SENTRY_OPTIONS = sentryOptions;
  settings.SENTRY_DEFAULT_OPTIONS = defaultOptions;

  const aliases = (settings.SENTRY_EMAIL_BACKEND_ALIASES ?? {}) as Record<string, unknown>;
  const promoted = new Map<string, string>();
  for (const source of [defaultOptions, sentryOptions]) {
    for (const [key, raw] of Object.entries(source)) {
      const setting = mapper[key];
      if (!setting) continue;
      let value = raw;
      if (key === "mail.backend" && typeof raw === "string" && Object.hasOwn(aliases, raw)) {
        value = aliases[raw];
      }
      settings[setting] = value;
      promoted.set(setting, key);
    }
  }
  return { fromLegacy, promoted };
}
