// The one error type of sentryctl. Modules throw it with a category; only the CLI edge
// (src/cli/run.ts) turns the category into an exit code and prints the message.

export type ErrorCategory =
  | "failure" // 1: unknown service, API error, bug
  | "usage" // 2: bad command line
  | "configuration" // 3: config files, settings, options
  | "docker_unavailable" // 4: no Docker endpoint answered
  | "docker_api" // 5: Docker answered with an error (pull/create/start)
  | "unhealthy" // 6: probe failed or timed out
  | "aborted"; // 130: interrupted before completion

export const EXIT_CODES: Readonly<Record<ErrorCategory, number>> = {
  failure: 1,
  usage: 2,
  configuration: 3,
  docker_unavailable: 4,
  docker_api: 5,
  unhealthy: 6,
  aborted: 130,
};

/**
 * What kind of engine failure this was, from the HTTP status or the connection error code, so
 * callers can branch (retry, treat as absent, explain) without reading message text.
 */
export type EngineReason =
  | "not_found" // 404: no such container/image/manifest
  | "conflict" // 409: name in use, removal in progress
  | "bad_request" // 400
  | "denied" // 401/403
  | "server" // 5xx, or an error reported inside a streamed answer (pull)
  | "unavailable" // connection refused/reset, socket missing
  | "tls"; // certificate verification failed

export interface ErrorDetails {
  hint?: string;
  /** Extra lines shown after the message (e.g. a YAML snippet with a caret, a service list). */
  details?: string;
  cause?: unknown;
  /** HTTP status from the Docker Engine API, when there was one. */
  statusCode?: number;
  reason?: EngineReason;
}

export class SentryctlError extends Error {
  readonly category: ErrorCategory;
  readonly hint?: string;
  readonly details?: string;
  readonly statusCode?: number;
  readonly reason?: EngineReason;

  constructor(category: ErrorCategory, message: string, extra: ErrorDetails = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "SentryctlError";
    this.category = category;
    this.hint = extra.hint;
    this.details = extra.details;
    this.statusCode = extra.statusCode;
    this.reason = extra.reason;
  }

  get exitCode(): number {
    return EXIT_CODES[this.category];
  }
}

export function isSentryctlError(err: unknown): err is SentryctlError {
  return err instanceof SentryctlError;
}

/** Shorthands keep call sites readable: `throw configError(...)`. */
export const usageError = (message: string, extra?: ErrorDetails) =>
  new SentryctlError("usage", message, extra);
export const configError = (message: string, extra?: ErrorDetails) =>
  new SentryctlError("configuration", message, extra);
export const failure = (message: string, extra?: ErrorDetails) =>
  new SentryctlError("failure", message, extra);
