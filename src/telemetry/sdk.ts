// `configure_sdk`: builds the @sentry/core client for this process from an `SdkPlan`. This is
// the only module that imports @sentry/core at run time, and it is itself imported only when a
// DSN is configured, so a command without one never loads the SDK. The client is a minimal
// server client (no auto-instrumentation, no OTel): events from exceptions and messages with
// V8 stack traces, linked `cause` errors, Sentry's hooks and samplers, and the
// MultiplexingTransport. Lost events the client records go to relay's client report.

import type { ClientOptions, Envelope, Event, EventHint, SeverityLevel } from "@sentry/core";
import { VERSION } from "../version.ts";
import { beforeSendTransaction, makeBeforeSend, makeTracesSampler } from "./hooks.ts";
import type { SdkPlan } from "./options.ts";
import {
  type Incr,
  MultiplexingTransport,
  type SendOutcome,
  TargetTransport,
  type TransportFetch,
} from "./transport.ts";

export interface SdkDeps {
  fetch: TransportFetch;
  incr: Incr;
  settings: Record<string, unknown>;
  random?: () => number;
  requestTimeoutMs?: number;
}

export interface TargetReport {
  name: string;
  host: string;
  outcome: SendOutcome;
}

export interface Sdk {
  readonly transport: MultiplexingTransport;
  captureException(err: unknown, extra?: { statsd?: string }): string;
  captureMessage(message: string, level: SeverityLevel, extra?: { statsd?: string }): string;
  /** Waits for the client's processing and both targets, at most `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean>;
  /** One line per target: what happened to the event `id`. */
  report(id: string): TargetReport[];
}

export async function configureSdk(plan: SdkPlan, deps: SdkDeps): Promise<Sdk> {
  const core = await import("@sentry/core");
  const { nodeStackLineParser } = await import("@sentry/core/server");
  const client = `sentryctl/${VERSION}`;
  const target = (name: "upstream" | "relay", dsn: string | undefined) =>
    dsn
      ? new TargetTransport(core, {
        name,
        dsn,
        fetch: deps.fetch,
        incr: deps.incr,
        client,
        requestTimeoutMs: deps.requestTimeoutMs,
      })
      : undefined;
  const transport = new MultiplexingTransport(
    target("upstream", plan.upstream),
    target("relay", plan.relay),
    {
      incr: deps.incr,
      upstreamMetrics: plan.upstreamMetrics,
      s4sMetricsRate: plan.s4sMetricsRate,
      relaySampleRate: plan.relaySampleRate,
      forceDisableInternal: plan.forceDisableInternal,
      internalProject: deps.settings.SENTRY_PROJECT,
      random: deps.random,
    },
  );
  const stackParser = core.createStackParser(nodeStackLineParser());

  class SentryctlClient extends core.Client<ClientOptions> {
    constructor(options: ClientOptions) {
      super(options);
    }
    eventFromException(exception: unknown, hint?: EventHint): PromiseLike<Event> {
      const event = core.eventFromUnknownInput(this, stackParser, exception, hint);
      event.level = "error";
      return Promise.resolve(event);
    }
    eventFromMessage(message: string, level: SeverityLevel = "info", hint?: EventHint) {
      return Promise.resolve(
        core.eventFromMessage(
          stackParser,
          message,
          level,
          hint,
          this.getOptions().attachStacktrace,
        ),
      );
    }
    // Sentry's MultiplexingTransport.record_lost_event: the client's losses go to relay.
    override recordDroppedEvent(reason: string, category: string, count = 1): void {
      transport.recordLostEvent(reason, category, count);
    }
  }

  const sdkClient = new SentryctlClient({
    ...plan.options,
    // The client needs a DSN to be enabled; Sentry passes the upstream one (or none).
    dsn: plan.upstream ?? plan.relay,
    integrations: [core.linkedErrorsIntegration()],
    // Transactions as whole events, so before_send_transaction applies (Sentry's model).
    traceLifecycle: "static",
    _metadata: { sdk: { name: "sentry.javascript.sentryctl", version: VERSION } },
    stackParser,
    transport: () => transport,
    tracesSampler: makeTracesSampler(deps.settings),
    beforeSend: makeBeforeSend(deps.settings) as unknown as ClientOptions["beforeSend"],
    beforeSendTransaction: beforeSendTransaction as unknown as ClientOptions[
      "beforeSendTransaction"
    ],
  } as ClientOptions);
  core.setCurrentClient(sdkClient);
  sdkClient.init();

  // `send-event --statsd LINE`: one statsd item rides along with the next envelope.
  let statsdLine: string | undefined;
  sdkClient.on("beforeEnvelope", (envelope: Envelope) => {
    if (statsdLine === undefined) return;
    (envelope[1] as unknown[]).push([{ type: "statsd" }, statsdLine]);
    statsdLine = undefined;
  });

  return {
    transport,
    captureException(err, extra) {
      statsdLine = extra?.statsd;
      return sdkClient.captureException(
        err,
        { mechanism: { type: "generic", handled: false } },
        core.getCurrentScope(),
      );
    },
    captureMessage(message, level, extra) {
      statsdLine = extra?.statsd;
      return sdkClient.captureMessage(message, level, undefined, core.getCurrentScope());
    },
    flush: (timeoutMs) => Promise.resolve(sdkClient.flush(timeoutMs)),
    report: (id) =>
      transport.targets.map((t) => ({
        name: t.name,
        host: t.host,
        outcome: t.results.get(id) ?? "not sent",
      })),
  };
}
