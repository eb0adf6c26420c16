// Derived defaults of `initialize_app` (steps 5–8): the in-process tasks warning, single-org
// feature flag, SUDO_/CSRF_ cookie settings from the SESSION_ ones, and cache versions.

import { pyTruthy } from "../lib/python.ts";
import type { Settings } from "./defaults.ts";

export const EAGER_TASKS_WARNING =
  "Sentry is configured to run asynchronous tasks in-process. This is not recommended within production environments. See https://develop.sentry.dev/backend/application/domains/tasks/ for more information.";

const COOKIE_DEFAULTS: readonly [string, string, unknown][] = [
  ["SUDO_COOKIE_SECURE", "SESSION_COOKIE_SECURE", false],
  ["SUDO_COOKIE_DOMAIN", "SESSION_COOKIE_DOMAIN", null],
  ["SUDO_COOKIE_PATH", "SESSION_COOKIE_PATH", "/"],
  ["CSRF_COOKIE_SECURE", "SESSION_COOKIE_SECURE", false],
  ["CSRF_COOKIE_DOMAIN", "SESSION_COOKIE_DOMAIN", null],
  ["CSRF_COOKIE_PATH", "SESSION_COOKIE_PATH", "/"],
];

export interface Derivation {
  /** Setting name → what it was derived from. */
  derived: Map<string, string>;
  warnings: string[];
}

/** Mutates `settings`; returns what it derived and the warnings to show. */
export function applyDerivedDefaults(settings: Settings): Derivation {
  const derived = new Map<string, string>();
  const warnings: string[] = [];
  if (pyTruthy(settings.TASKWORKER_ALWAYS_EAGER) && !pyTruthy(settings.DEBUG)) {
    warnings.push(EAGER_TASKS_WARNING);
  }
  if (pyTruthy(settings.SENTRY_SINGLE_ORGANIZATION)) {
    const features = { ...(settings.SENTRY_FEATURES as Record<string, unknown> | undefined) };
    features["organizations:create"] = false;
    settings.SENTRY_FEATURES = features;
    derived.set("SENTRY_FEATURES", "SENTRY_SINGLE_ORGANIZATION");
  }
  for (const [target, source, fallback] of COOKIE_DEFAULTS) {
    if (Object.hasOwn(settings, target)) continue;
    settings[target] = Object.hasOwn(settings, source) ? settings[source] : fallback;
    derived.set(target, source);
  }
  // Sentry tests `hasattr(dict, "VERSION")`, which is always false: VERSION is always 2.
  const caches = settings.CACHES;
  if (caches && typeof caches === "object" && !Array.isArray(caches)) {
    const copy: Record<string, unknown> = {};
    for (const [name, cache] of Object.entries(caches)) {
      copy[name] = cache && typeof cache === "object" && !Array.isArray(cache)
        ? { ...cache, VERSION: 2 }
        : cache;
    }
    settings.CACHES = copy;
    derived.set("CACHES", "CACHES (VERSION is always 2)");
  }
  return { derived, warnings };
}
