// `sentryctl tail`: follows `GET /stream` of a status server and writes one line per item.
// What is buffered comes first (as Spotlight's tail shows it), then items as they arrive. A
// dropped connection is resumed with `Last-Event-ID`, so nothing is printed twice or skipped;
// the first connection failing is an error, later ones are retried until the user stops.

import { SentryctlError } from "../errors.ts";
import type { Clock } from "../runtime/clock.ts";
import { readSse } from "./sse-reader.ts";
import { envelopeRows, formatRow, type TailFormat, type TailKind } from "./tail-format.ts";

export interface TailOptions {
  origin: string;
  kinds: ReadonlySet<TailKind>;
  format: TailFormat;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  write(line: string): void;
  warn(message: string): void;
  signal: AbortSignal;
  /** "Now" for the rows' ages, and the pause before reconnecting. */
  clock: Clock;
  /** Pause before reconnecting (tests shorten it). */
  retryMs?: number;
}

const RECONNECT_PAUSE_MS = 1000;

export async function followStream(opts: TailOptions): Promise<void> {
  let lastId: string | undefined;
  let connected = false;
  let warned = false;
  while (!opts.signal.aborted) {
    try {
      const res = await opts.fetch(`${opts.origin}/stream`, {
        headers: {
          accept: "text/event-stream",
          ...(lastId ? { "last-event-id": lastId } : {}),
        },
        signal: opts.signal,
      });
      if (!res.ok || !res.body) {
        throw new SentryctlError(
          "failure",
          `${opts.origin}/stream answered ${res.status}`,
          { hint: "is this a sentryctl status server (or Spotlight)?" },
        );
      }
      connected = true;
      if (warned) opts.warn(`reconnected to ${opts.origin}`);
      warned = false;
      for await (const ev of readSse(res.body, opts.signal)) {
        if (ev.id) lastId = ev.id;
        if (!ev.event.startsWith("application/x-sentry-envelope")) continue;
        let envelope: unknown;
        try {
          envelope = JSON.parse(ev.data);
        } catch {
          continue;
        }
        for (const row of envelopeRows(envelope, opts.kinds, opts.clock.now())) {
          opts.write(`${formatRow(row, opts.format)}\n`);
        }
      }
    } catch (err) {
      if (opts.signal.aborted) return;
      if (!connected) {
        if (err instanceof SentryctlError) throw err;
        throw new SentryctlError("failure", `no status server answers at ${opts.origin}`, {
          hint: "start one with `sentryctl serve` (or pass --url)",
          cause: err,
        });
      }
    }
    if (opts.signal.aborted) return;
    if (!warned) opts.warn(`connection to ${opts.origin} lost; reconnecting`);
    warned = true;
    // Interrupted during the pause: the loop ends (the rejection is the signal's own).
    await opts.clock.sleep(opts.retryMs ?? RECONNECT_PAUSE_MS, opts.signal).catch(() => {});
  }
}
