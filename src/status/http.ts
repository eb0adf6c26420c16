// The status server's HTTP vocabulary shared by every route module: Sentry's `{"detail": …}`
// error body, the one table from an error category to an HTTP status, and the context each
// route and middleware module is built from (deps, limits, the inbox, the stats sampler).

import { type ErrorCategory, isSentryctlError } from "../errors.ts";
import type { IngestLimits, StatusDeps } from "./deps.ts";
import type { EventStore } from "./event-store.ts";
import type { Inbox } from "./inbox.ts";
import type { StatsSampler } from "./sampler.ts";

/** What every route/middleware module is built from. */
export interface StatusEnv {
  deps: StatusDeps;
  limits: IngestLimits;
  store: EventStore;
  /** Where ingest puts an envelope: the store, Spotlight's feed and the journal. */
  inbox: Inbox;
  sampler: StatsSampler;
}

/**
 * A SentryctlError that reaches a route's edge becomes this status. Unknown names are answered
 * 404 by the routes themselves; what arrives here is a refusal (409, e.g. a service without a
 * container), Docker gone (503) or Docker's own error (502).
 */
export const HTTP_STATUS: Readonly<Record<ErrorCategory, number>> = {
  failure: 409,
  usage: 400,
  configuration: 409,
  docker_unavailable: 503,
  docker_api: 502,
  unhealthy: 502,
  aborted: 409,
};

/** JSON as Hono's `c.json` answers it (the same Content-Type), without a Hono context. */
export function jsonResponse(
  value: unknown,
  status: number,
  headers?: Record<string, string>,
): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Sentry's `{"detail": …}` answer (no middleware sets headers on the context: none is needed). */
export function detailResponse(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Response {
  return jsonResponse({ detail: message }, status, headers);
}

/** What an error no route handled is answered with: its category's status, or a plain 500. */
export function errorAnswer(err: unknown): { status: number; message: string } {
  return isSentryctlError(err)
    ? { status: HTTP_STATUS[err.category], message: err.message }
    : { status: 500, message: "Internal Error" };
}
