// Sentry's SDK hooks (`utils/sdk.py`): `traces_sampler` with its first-match rule order,
// `before_send` (silo/region tags) and `before_send_transaction` (drop generic 301 redirects,
// tag `spans_over_limit`, record the span count). Pure functions over plain event objects.

/** Routes sampled at a fixed rate whatever else applies (Sentry's SAMPLED_ROUTES). */
export const SAMPLED_ROUTES: Readonly<Record<string, number>> = {
  "/_warmup/": 0.0,
  "/api/0/auth/validate/": 0.0,
};

/** The part of @sentry/core's sampling context the rules read. */
export interface SamplingInput {
  name?: string;
  attributes?: Record<string, unknown>;
  parentSampled?: boolean;
  normalizedRequest?: { url?: string };
}

function pathOf(input: SamplingInput): string | undefined {
  const url = input.normalizedRequest?.url ?? input.attributes?.["url.path"] ??
    input.attributes?.["http.target"];
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url, "http://x").pathname;
  } catch {
    return undefined;
  }
}

/**
 * 1. a sampled route → its rate; 2. an explicit `sample_rate` attribute; 3. the parent's
 * decision; 4. a sampled task (`taskworker.task` attribute) → its rate; 5. the backend default
 * SENTRY_BACKEND_APM_SAMPLING (0 when unset).
 */
export function makeTracesSampler(
  settings: Record<string, unknown>,
  tasks: Readonly<Record<string, number>> = {},
): (input: SamplingInput) => number | boolean {
  const fallback = Number(settings.SENTRY_BACKEND_APM_SAMPLING ?? 0) || 0;
  return (input) => {
    const path = pathOf(input);
    if (path !== undefined && Object.hasOwn(SAMPLED_ROUTES, path)) return SAMPLED_ROUTES[path]!;
    const explicit = input.attributes?.sample_rate;
    if (explicit !== undefined && explicit !== null) return Number(explicit);
    if (input.parentSampled !== undefined) return input.parentSampled;
    const task = input.attributes?.["taskworker.task"];
    if (typeof task === "string" && Object.hasOwn(tasks, task)) return tasks[task]!;
    return fallback;
  };
}

export interface EventLike {
  tags?: Record<string, unknown>;
  spans?: unknown[];
  transaction_info?: { source?: string };
  contexts?: Record<string, Record<string, unknown> | undefined>;
  [key: string]: unknown;
}

/** Drops generic 301 redirects; tags `spans_over_limit` ("True"/"False", ≥ 1000 spans). */
export function beforeSendTransaction(event: EventLike): EventLike | null {
  const tags = event.tags ?? {};
  if (tags["http.status_code"] === "301" && event.transaction_info?.source === "url") return null;
  const spans = Array.isArray(event.spans) ? event.spans.length : 0;
  event.tags = { ...tags, spans_over_limit: spans >= 1000 ? "True" : "False" };
  const contexts = event.contexts ??= {};
  const trace = contexts.trace ??= {};
  const data = (trace.data ??= {}) as Record<string, unknown>;
  data.num_of_spans = spans;
  return event;
}

/** Adds `silo_mode` and `sentry_region` tags when the event already has tags (Sentry's rule). */
export function makeBeforeSend(
  settings: Record<string, unknown>,
): (event: EventLike) => EventLike {
  return (event) => {
    if (event.tags && Object.keys(event.tags).length > 0) {
      if (settings.SILO_MODE) event.tags.silo_mode = String(settings.SILO_MODE);
      if (settings.SENTRY_REGION) event.tags.sentry_region = String(settings.SENTRY_REGION);
    }
    return event;
  };
}
