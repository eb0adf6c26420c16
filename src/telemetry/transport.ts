// The SDK's transports on @sentry/core. `TargetTransport` is one DSN: @sentry/core's
// `createTransport` (its own 64-slot buffer, rate limits from `X-Sentry-Rate-Limits` /
// `Retry-After`, lost-event accounting) over an injected `fetch`, with Sentry's
// `patch_transport_for_instrumentation` counter and a client report of its own outcomes sent on
// flush. `MultiplexingTransport` is Sentry's broadcast: every envelope to upstream first, then
// to relay, statsd items filtered from the upstream copy; a failing or rate-limited target never
// blocks or breaks the other. @sentry/core is passed in (it is imported lazily by `sdk.ts`).

import type * as SentryCore from "@sentry/core";
import type { Envelope, Transport, TransportMakeRequestResponse } from "@sentry/core";
import type { MetricOptions } from "../metrics/pipeline.ts";

export type Core = typeof SentryCore;

/** The slice of `fetch` the transports use, so tests can inject one. */
export type TransportFetch = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string | Uint8Array;
    signal?: AbortSignal;
  },
) => Promise<{ status: number; headers: { get(name: string): string | null } }>;

export type Incr = (key: string, amount?: number, opts?: MetricOptions) => void;

export interface TargetOptions {
  name: "upstream" | "relay";
  dsn: string;
  fetch: TransportFetch;
  incr: Incr;
  /** Per request: a hanging DSN gives up after this long (its envelope counts as lost). */
  requestTimeoutMs?: number;
  /** `sentry_client` in X-Sentry-Auth, e.g. `sentryctl/0.1.0`. */
  client: string;
}

/** What happened to one event on one target, for `send-event`. */
export type SendOutcome = string;

/** Outcomes kept per target: a long-running command must not grow without bound. */
const RESULTS_KEPT = 1000;

export class TargetTransport {
  readonly name: "upstream" | "relay";
  readonly dsn: string;
  /** The DSN's host (and port), shown by `send-event`. */
  readonly host: string;
  readonly url: string;
  readonly #auth: string;
  readonly #transport: Transport;
  readonly #core: Core;
  readonly #outcomes = new Map<string, number>();
  /** Event id → what happened to it here (the latest RESULTS_KEPT events). */
  readonly results = new Map<string, SendOutcome>();
  #currentId: string | undefined;

  constructor(core: Core, private readonly opts: TargetOptions) {
    this.#core = core;
    this.name = opts.name;
    const dsn = core.makeDsn(opts.dsn);
    if (!dsn) throw new Error(`invalid DSN for ${opts.name}: ${opts.dsn}`);
    this.dsn = core.dsnToString(dsn);
    this.host = dsn.port ? `${dsn.host}:${dsn.port}` : dsn.host;
    const path = dsn.path ? `/${dsn.path}` : "";
    this.url = `${dsn.protocol}://${this.host}${path}/api/${dsn.projectId}/envelope/`;
    this.#auth = `Sentry sentry_version=7, sentry_key=${dsn.publicKey}` +
      (dsn.pass ? `, sentry_secret=${dsn.pass}` : "") + `, sentry_client=${opts.client}`;
    this.#transport = core.createTransport(
      {
        recordDroppedEvent: (reason, category, count) =>
          this.recordLostEvent(reason, category, count),
      },
      (request) => this.#request(request.body),
    );
  }

  /** Outcomes are aggregated `reason:category` → quantity, as @sentry/core's client does. */
  recordLostEvent(reason: string, category: string, count = 1): void {
    const key = `${reason}:${category}`;
    this.#outcomes.set(key, (this.#outcomes.get(key) ?? 0) + count);
  }

  #request(body: string | Uint8Array): PromiseLike<TransportMakeRequestResponse> {
    const id = this.#currentId;
    // patch_transport_for_instrumentation: one count per HTTP send.
    this.opts.incr(`internal.sent_requests.${this.name}.events`);
    if (id) this.results.set(id, "sending");
    const signal = AbortSignal.timeout(this.opts.requestTimeoutMs ?? 10_000);
    return this.opts.fetch(this.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-sentry-envelope",
        "X-Sentry-Auth": this.#auth,
      },
      body,
      signal,
    }).then((res) => {
      if (id) {
        this.results.set(
          id,
          res.status >= 200 && res.status < 300
            ? `sent (${res.status})`
            : `rejected (${res.status})`,
        );
      }
      return {
        statusCode: res.status,
        headers: {
          "x-sentry-rate-limits": res.headers.get("x-sentry-rate-limits"),
          "retry-after": res.headers.get("retry-after"),
        },
      };
    }, (err: unknown) => {
      if (id) this.results.set(id, `failed (${describeError(err)})`);
      throw err;
    });
  }

  /** Sends one envelope here; its header `dsn` names this target. Never throws, never rejects. */
  send(envelope: Envelope): Promise<TransportMakeRequestResponse> {
    const headers = envelope[0] as Record<string, unknown>;
    const id = typeof headers.event_id === "string" ? headers.event_id : undefined;
    const own = [{ ...headers, dsn: this.dsn }, envelope[1]] as unknown as Envelope;
    this.#currentId = id;
    // If the request is never made, the envelope was dropped before sending: rate limited.
    if (id) {
      this.results.set(id, "skipped (rate limited)");
      if (this.results.size > RESULTS_KEPT) {
        this.results.delete(this.results.keys().next().value!);
      }
    }
    try {
      return Promise.resolve(this.#transport.send(own)).catch(() => ({}));
    } catch {
      return Promise.resolve({});
    } finally {
      this.#currentId = undefined;
    }
  }

  /** Sends this target's client report (if anything was lost), then drains its buffer. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.#outcomes.size > 0) {
      const discarded = [...this.#outcomes].map(([key, quantity]) => {
        const [reason, category] = key.split(":") as [string, string];
        return { reason, category, quantity };
      });
      this.#outcomes.clear();
      const report = this.#core.createClientReportEnvelope(
        discarded as Parameters<Core["createClientReportEnvelope"]>[0],
        this.dsn,
      );
      void this.send(report as unknown as Envelope);
    }
    return Promise.resolve(this.#transport.flush(timeoutMs));
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (err.name === "TimeoutError" || err.name === "AbortError") return "timed out";
    return cause?.code ?? (err as { code?: string }).code ?? err.message;
  }
  return String(err);
}

export interface MultiplexOptions {
  incr: Incr;
  upstreamMetrics: boolean;
  s4sMetricsRate: number;
  relaySampleRate: unknown;
  forceDisableInternal: boolean;
  /** SENTRY_PROJECT: events raised while processing its events are not sent to relay. */
  internalProject?: unknown;
  random?: () => number;
}

export class MultiplexingTransport implements Transport {
  readonly #random: () => number;

  constructor(
    readonly upstream: TargetTransport | undefined,
    readonly relay: TargetTransport | undefined,
    private readonly opts: MultiplexOptions,
  ) {
    this.#random = opts.random ?? Math.random;
  }

  get targets(): TargetTransport[] {
    return [this.upstream, this.relay].filter((t): t is TargetTransport => t !== undefined);
  }

  send(envelope: Envelope): PromiseLike<TransportMakeRequestResponse> {
    const { incr } = this.opts;
    incr("internal.captured.events.envelopes");
    const items = envelope[1] as unknown as [{ type?: string }, unknown][];
    if (items.some(([h]) => h.type === "transaction")) {
      incr("internal.captured.events.transactions");
    }
    if (this.opts.forceDisableInternal) return Promise.resolve({});
    let first: Promise<TransportMakeRequestResponse> | undefined;
    // Upstream (sentry4sentry) first: it is the most isolated one.
    if (this.upstream) {
      incr("internal.captured.events.upstream");
      first = this.upstream.send(this.#withoutStatsd(envelope));
    }
    // Then relay, only when the option is exactly 1; a shallow copy of envelope and items.
    if (this.relay && this.opts.relaySampleRate === 1) {
      if (!this.#isSafe(items)) {
        // An event raised while processing an event for the internal project would loop.
        incr("internal.uncaptured.events.relay", 1, { tags: { reason: "unsafe" } });
        return first ?? Promise.resolve({});
      }
      incr("internal.captured.events.relay");
      const copy = [{ ...envelope[0] }, [...envelope[1]]] as unknown as Envelope;
      const second = this.relay.send(copy);
      first ??= second;
    }
    return first ?? Promise.resolve({});
  }

  /**
   * Sentry's `is_current_event_safe`: not when the event carries the `_unsafe` tag, or was
   * raised while processing an event of the internal project (tag
   * `processing_event_for_project` equal to SENTRY_PROJECT).
   */
  #isSafe(items: [{ type?: string }, unknown][]): boolean {
    for (const [header, payload] of items) {
      if (header.type !== "event" && header.type !== "transaction") continue;
      const tags = (payload as { tags?: Record<string, unknown> } | null)?.tags;
      if (!tags) continue;
      if (tags._unsafe !== undefined && tags._unsafe !== null && tags._unsafe !== false) {
        return false;
      }
      const project = this.opts.internalProject;
      if (
        project !== undefined && project !== null &&
        String(tags.processing_event_for_project) === String(project)
      ) return false;
    }
    return true;
  }

  /** Statsd items leave the upstream copy unless SENTRY_SDK_UPSTREAM_METRICS_ENABLED. */
  #withoutStatsd(envelope: Envelope): Envelope {
    if (this.opts.upstreamMetrics) return envelope;
    const items = envelope[1] as unknown as [{ type?: string }, unknown][];
    const kept = items.filter(([h]) =>
      h.type !== "statsd" || this.#random() < this.opts.s4sMetricsRate
    );
    if (kept.length === items.length) return envelope;
    return [envelope[0], kept] as unknown as Envelope;
  }

  /** Lost events are recorded on relay only (Sentry: "not entirely accurate … but does the job"). */
  recordLostEvent(reason: string, category: string, count = 1): void {
    this.relay?.recordLostEvent(reason, category, count);
  }

  /** Drains both targets at once, each bounded by `timeoutMs`. */
  flush(timeoutMs?: number): PromiseLike<boolean> {
    return Promise.all(this.targets.map((t) => t.flush(timeoutMs ?? 2000))).then((all) =>
      all.every(Boolean)
    );
  }
}
