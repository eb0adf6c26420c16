// Sentry's `_get_sdk_options()` and `configure_sdk()`'s transport choice, as pure functions of
// the settings, the options and the environment (no SDK import: this decides whether the SDK is
// loaded at all). SENTRY_SDK_CONFIG is copied, never mutated; `dsn` and `relay_dsn` are taken
// out of it; Python-only keys are left behind and known ones become @sentry/core's camelCase.

import { configError } from "../errors.ts";
import { getOption } from "../options/index.ts";
import { VERSION } from "../version.ts";

/** Where each DSN came from, for `send-event` and `--verbose`. */
export type RelaySource = "relay_dsn" | "internal-project";

export interface SdkPlan {
  /** @sentry/core client options (camelCase), without dsn/transport/hooks. */
  options: Record<string, unknown>;
  /** "sentry4sentry": SENTRY_SDK_CONFIG.dsn or SENTRY_DEV_DSN. */
  upstream?: string;
  /** "sentry_saas": relay_dsn, else the internal project's DSN (unless IS_DEV without relay). */
  relay?: string;
  relaySource?: RelaySource;
  upstreamMetrics: boolean;
  /** Option `store.allow-s4s-ddm-sample-rate`: statsd items kept in the upstream copy anyway. */
  s4sMetricsRate: number;
  /** Option `store.use-relay-dsn-sample-rate`: only exactly 1 sends to relay. */
  relaySampleRate: unknown;
  /** Option `transaction-events.force-disable-internal-project`. */
  forceDisableInternal: boolean;
}

/** SENTRY_SDK_CONFIG keys @sentry/core understands, Python name → JS name. */
const KNOWN_KEYS: Readonly<Record<string, string>> = {
  release: "release",
  environment: "environment",
  dist: "dist",
  server_name: "serverName",
  sample_rate: "sampleRate",
  traces_sample_rate: "tracesSampleRate",
  max_breadcrumbs: "maxBreadcrumbs",
  attach_stacktrace: "attachStacktrace",
  send_default_pii: "sendDefaultPii",
  max_value_length: "maxValueLength",
  normalize_depth: "normalizeDepth",
};

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * A DSN must be `http(s)://PUBLIC_KEY[:SECRET]@HOST[:PORT][/PATH]/PROJECT_ID`; anything else is a
 * configuration error naming where it came from (the SDK would only log and drop it).
 */
export function checkDsn(dsn: string, where: string): string {
  let url: URL | undefined;
  try {
    url = new URL(dsn);
  } catch { /* reported below */ }
  const project = url?.pathname.split("/").filter(Boolean).pop();
  if (
    !url || !/^https?:$/.test(url.protocol) || !url.username || !url.hostname ||
    !project || !/^\d+$/.test(project)
  ) {
    throw configError(`${where}: invalid DSN '${dsn}'`, {
      hint: "a DSN looks like https://PUBLIC_KEY@HOST/PROJECT_ID",
    });
  }
  return dsn;
}

export function planSdk(
  settings: Record<string, unknown>,
  options: Record<string, unknown>,
  env: Record<string, string | undefined>,
): SdkPlan {
  const config = { ...(settings.SENTRY_SDK_CONFIG as Record<string, unknown> | undefined ?? {}) };
  const fromEnv = str(env.SENTRY_DEV_DSN);
  if (fromEnv) config.dsn = fromEnv;
  const upstream = str(config.dsn) &&
    checkDsn(config.dsn as string, fromEnv ? "SENTRY_DEV_DSN" : "SENTRY_SDK_CONFIG.dsn");
  const relayDsn = str(config.relay_dsn) &&
    checkDsn(config.relay_dsn as string, "SENTRY_SDK_CONFIG.relay_dsn");
  delete config.dsn;
  delete config.relay_dsn;

  const sdkOptions: Record<string, unknown> = {
    environment: "development",
    sendClientReports: true,
  };
  for (const [key, value] of Object.entries(config)) {
    const name = KNOWN_KEYS[key];
    if (name && value !== null && value !== undefined) sdkOptions[name] = value;
  }
  // Sentry: `backend@<release>` when the key exists. sentryctl's built-in SENTRY_SDK_CONFIG
  // carries its own version as the release (Sentry's carries Sentry's).
  const release = "release" in config ? config.release : VERSION;
  sdkOptions.release = release === null || release === undefined ? undefined : `backend@${release}`;
  sdkOptions.sendClientReports = true;

  // Transport choice, first match wins (Sentry's configure_sdk).
  let relay: string | undefined;
  let relaySource: RelaySource | undefined;
  if (relayDsn) {
    relay = relayDsn;
    relaySource = "relay_dsn";
  } else if (settings.IS_DEV && !settings.SENTRY_USE_RELAY) {
    relay = undefined;
  } else if (settings.SENTRY_PROJECT !== undefined && settings.SENTRY_PROJECT !== null) {
    // The internal project: the local status server's ingest (SPEC §5).
    const bind = String(getOption(options, "status.bind", env) ?? "127.0.0.1:8990");
    relay = `http://sentryctl@${bind}/${settings.SENTRY_PROJECT}`;
    relaySource = "internal-project";
  }

  const rate = Number(getOption(options, "store.allow-s4s-ddm-sample-rate", env) ?? 0);
  return {
    options: sdkOptions,
    upstream,
    relay,
    relaySource,
    upstreamMetrics: Boolean(settings.SENTRY_SDK_UPSTREAM_METRICS_ENABLED),
    s4sMetricsRate: Number.isFinite(rate) ? rate : 0,
    relaySampleRate: getOption(options, "store.use-relay-dsn-sample-rate", env) ?? 1,
    forceDisableInternal: Boolean(
      getOption(options, "transaction-events.force-disable-internal-project", env),
    ),
  };
}
