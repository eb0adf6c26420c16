// `apply_legacy_settings()`: legacy settings → options (each with a deprecation warning),
// SENTRY_REDIS_OPTIONS, the TIME_ZONE big error, ALLOWED_HOSTS, SENTRY_ALLOW_REGISTRATION,
// DEFAULT_FROM_EMAIL, and the one fatal check: `system.secret-key` must be set.

import { configError } from "../errors.ts";
import { pyTruthy } from "../lib/python.ts";
import { isMapping } from "../lib/values.ts";
import { getOption } from "../options/index.ts";
import type { Settings } from "./defaults.ts";
import type { DeprecatedSetting } from "./warnings.ts";

/** Old setting → option key (newest Sentry's list). */
export const LEGACY_OPTIONS: readonly [string, string][] = [
  ["SENTRY_ADMIN_EMAIL", "system.admin-email"],
  ["SENTRY_ENABLE_EMAIL_REPLIES", "mail.enable-replies"],
  ["SENTRY_SMTP_HOSTNAME", "mail.reply-hostname"],
  ["MAILGUN_API_KEY", "mail.mailgun-api-key"],
  ["SENTRY_FILESTORE", "filestore.backend"],
  ["SENTRY_FILESTORE_OPTIONS", "filestore.options"],
  ["SENTRY_RELOCATION_BACKEND", "filestore.relocation-backend"],
  ["SENTRY_RELOCATION_OPTIONS", "filestore.relocation-options"],
  ["SENTRY_PROFILES_BACKEND", "filestore.profiles-backend"],
  ["SENTRY_PROFILES_OPTIONS", "filestore.profiles-options"],
  ["GOOGLE_CLIENT_ID", "auth-google.client-id"],
  ["GOOGLE_CLIENT_SECRET", "auth-google.client-secret"],
];

/** Sentry's text, with the command renamed as SPEC §2 renames `sentry init`. */
export const SECRET_KEY_MESSAGE =
  "`system.secret-key` MUST be set. Use 'sentryctl config generate-secret-key' to get one.";
export const REDIS_BOTH_MESSAGE =
  "Cannot specify both SENTRY_OPTIONS['redis.clusters'] option and SENTRY_REDIS_OPTIONS setting.";
export const TIME_ZONE_MESSAGE = "TIME_ZONE should be set to UTC";

export interface LegacyHooks {
  deprecated(w: DeprecatedSetting): void;
  bigError(message: string): void;
  /** Where to tell the user to put the secret key. */
  secretKeyHint: string;
}

export interface LegacyResult {
  /** Option key → the legacy setting it was copied from. */
  copied: Map<string, string>;
  /** Settings this step set: name → what from. */
  derived: Map<string, string>;
}

export function applyLegacySettings(
  settings: Settings,
  env: Record<string, string | undefined>,
  hooks: LegacyHooks,
): LegacyResult {
  const options = settings.SENTRY_OPTIONS as Record<string, unknown>;
  const copied = new Map<string, string>();
  const derived = new Map<string, string>();
  for (const [old, key] of LEGACY_OPTIONS) {
    if (!Object.hasOwn(options, key) && Object.hasOwn(settings, old)) {
      hooks.deprecated({ setting: old, replacement: `SENTRY_OPTIONS['${key}']` });
      options[key] = settings[old];
      copied.set(key, old);
    }
  }

  if (Object.hasOwn(settings, "SENTRY_REDIS_OPTIONS")) {
    if (Object.hasOwn(options, "redis.clusters")) throw configError(REDIS_BOTH_MESSAGE);
    hooks.deprecated({
      setting: "SENTRY_REDIS_OPTIONS",
      replacement: 'SENTRY_OPTIONS["redis.clusters"]',
      removedInVersion: "8.5",
    });
    options["redis.clusters"] = { default: settings.SENTRY_REDIS_OPTIONS };
    copied.set("redis.clusters", "SENTRY_REDIS_OPTIONS");
  } else {
    // Back-compat for plugins: the default cluster. A wrong type is left to validate_options.
    const clusters = getOption(options, "redis.clusters", env);
    if (isMapping(clusters)) {
      if (!Object.hasOwn(clusters, "default")) {
        throw configError("redis.clusters has no 'default' cluster", {
          hint: "add `default:` under redis.clusters",
        });
      }
      settings.SENTRY_REDIS_OPTIONS = clusters.default;
      derived.set("SENTRY_REDIS_OPTIONS", "option redis.clusters");
    }
  }

  if (settings.TIME_ZONE !== "UTC") hooks.bigError(TIME_ZONE_MESSAGE);

  if (!pyTruthy(settings.ALLOWED_HOSTS)) {
    settings.ALLOWED_HOSTS = ["*"];
    derived.set("ALLOWED_HOSTS", "an empty ALLOWED_HOSTS");
  }

  if (Object.hasOwn(settings, "SENTRY_ALLOW_REGISTRATION")) {
    hooks.deprecated({
      setting: "SENTRY_ALLOW_REGISTRATION",
      replacement: 'SENTRY_FEATURES["auth:register"]',
    });
    const features = { ...(settings.SENTRY_FEATURES as Record<string, unknown> | undefined) };
    features["auth:register"] = settings.SENTRY_ALLOW_REGISTRATION;
    settings.SENTRY_FEATURES = features;
    derived.set("SENTRY_FEATURES", "SENTRY_ALLOW_REGISTRATION");
  }

  const defaults = (settings.SENTRY_DEFAULT_OPTIONS ?? {}) as Record<string, unknown>;
  settings.DEFAULT_FROM_EMAIL = Object.hasOwn(options, "mail.from")
    ? options["mail.from"]
    : defaults["mail.from"];
  derived.set("DEFAULT_FROM_EMAIL", "option mail.from");

  // Only SENTRY_OPTIONS counts, not the registered default: this is the one fatal option.
  if (!pyTruthy(options["system.secret-key"])) {
    throw configError(SECRET_KEY_MESSAGE, { hint: hooks.secretKeyHint });
  }
  return { copied, derived };
}
