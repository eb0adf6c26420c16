// The last step of `initialize_app`: a self-hosted install without CSRF_TRUSTED_ORIGINS trusts
// its own URL prefix, or localhost:9000 for first-time users who have not set one.

import { pyTruthy } from "../../lib/python.ts";
import type { Settings } from "../defaults.ts";

export const FIRST_TIME_ORIGINS = ["http://localhost:9000", "http://127.0.0.1:9000"];

/** The origins to set, or undefined when the setting is left alone. */
export function csrfTrustedOrigins(settings: Settings, urlPrefix: unknown): string[] | undefined {
  if (!pyTruthy(settings.SENTRY_SELF_HOSTED) || pyTruthy(settings.CSRF_TRUSTED_ORIGINS)) {
    return undefined;
  }
  return pyTruthy(urlPrefix) ? [String(urlPrefix)] : [...FIRST_TIME_ORIGINS];
}
