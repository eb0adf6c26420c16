// Which envelopes the inbox has already taken, so an SDK given both SENTRY_DSN and
// SENTRY_SPOTLIGHT for this server (what `with`, `run` and programs export) shows each event
// once: @sentry/node serialises the same envelope for its Spotlight integration and for its
// transport, so both copies arrive, byte for byte the same, within milliseconds.
//
// The rule (docs/status-server.md):
// - An envelope holding an event (an `event`, `transaction` or `feedback` item) is a duplicate
//   when one of the last `maxIds` stored envelopes had the same event id (the header's, else the
//   event item's) and the same item types, in order: Sentry keeps one event per id. Client
//   reports do not count among the types: some SDKs' transports (Python's, .NET's) append one to
//   what they send upstream, not to the Spotlight copy. An event without any id is never a copy:
//   Sentry gives each one an id of its own (no SDK sends one without).
// - Any other envelope (logs, span containers, sessions, client reports, and those whose header
//   id names something else: replay segments all carry their replay's id, an attachment-only
//   envelope its event's) is a duplicate when its decompressed bytes, header included, equal
//   those of one stored in the last `windowMs` by received time (trailing newlines, and a client
//   report appended last as above, aside). The SDK stamps each log with a sub-millisecond time
//   and a sequence number, each session update and replay segment differs, so two genuinely
//   distinct envelopes are never the same bytes; the window bounds the memory and how long a
//   hand-made repeat is taken for a copy.
// Only stored envelopes are remembered, in order, and a replay of the journal goes through the
// same check with the journal's times, so a restart decides as the running server did.

import { createHash } from "node:crypto";
import { type Envelope, payloadEventId, payloadIsObject } from "./envelope.ts";
import { normaliseId } from "./items.ts";

export type DuplicateReason = "event_id" | "content";

/** Item types that are an event Sentry keeps once per event id. */
const EVENT_TYPES = new Set(["event", "transaction", "feedback"]);

export interface DedupeOptions {
  /** How many event-id keys are remembered (the oldest forgotten first). */
  maxIds?: number;
  /** How long the bytes of an envelope without an event id are remembered. */
  windowMs?: number;
  /** At most this many content fingerprints are remembered, whatever the window. */
  maxFingerprints?: number;
}

/** What `check` found: the key to remember the envelope by, or the earlier copy's answer id. */
export type Verdict =
  | { duplicate: false; key: Key | null }
  | { duplicate: true; reason: DuplicateReason; id: string };

export interface Key {
  kind: DuplicateReason;
  value: string;
  received: number;
}

export class RecentEnvelopes {
  readonly maxIds: number;
  readonly windowMs: number;
  readonly maxFingerprints: number;
  /** Event-id keys → the id the first copy was answered with, oldest first. */
  #ids = new Map<string, string>();
  /** Content fingerprints → [received ms, answered id], oldest first. */
  #bytes = new Map<string, [number, string]>();

  constructor(opts: DedupeOptions = {}) {
    this.maxIds = opts.maxIds ?? 1000;
    this.windowMs = opts.windowMs ?? 5000;
    this.maxFingerprints = opts.maxFingerprints ?? 1000;
  }

  /** Whether `env` (whose decompressed bytes are `body`) repeats a stored envelope. */
  check(env: Envelope, body: Uint8Array, received: number): Verdict {
    if (env.items.some((it) => EVENT_TYPES.has(it.type))) {
      const eventId = eventIdOf(env);
      if (eventId === null) return { duplicate: false, key: null };
      let types = "";
      for (const it of env.items) if (it.type !== "client_report") types += `,${it.type}`;
      const value = `${eventId}${types}`;
      const id = this.#ids.get(value);
      if (id !== undefined) return { duplicate: true, reason: "event_id", id };
      return { duplicate: false, key: { kind: "event_id", value, received } };
    }
    const value = createHash("sha256").update(content(env, body)).digest("base64");
    this.#expire(received);
    const seen = this.#bytes.get(value);
    if (seen !== undefined && received - seen[0] <= this.windowMs) {
      return { duplicate: true, reason: "content", id: seen[1] };
    }
    return { duplicate: false, key: { kind: "content", value, received } };
  }

  /** Remembers a stored envelope by the key `check` gave, with the id its POST answered. */
  remember(key: Key | null, id: string): void {
    if (key === null) return;
    if (key.kind === "event_id") {
      this.#ids.set(key.value, id);
      if (this.#ids.size > this.maxIds) this.#ids.delete(this.#ids.keys().next().value!);
      return;
    }
    // A re-sent fingerprint moves to the end (its window starts again).
    this.#bytes.delete(key.value);
    this.#bytes.set(key.value, [key.received, id]);
    if (this.#bytes.size > this.maxFingerprints) {
      this.#bytes.delete(this.#bytes.keys().next().value!);
    }
  }

  /** Forgets everything (the inbox was cleared: what comes next is new). */
  clear(): void {
    this.#ids.clear();
    this.#bytes.clear();
  }

  /** Drops fingerprints older than the window (oldest first: insertion order is time order). */
  #expire(now: number): void {
    for (const [value, [at]] of this.#bytes) {
      if (now - at <= this.windowMs) break;
      this.#bytes.delete(value);
    }
  }
}

const NEWLINE = 0x0a;

/**
 * The bytes that make an envelope without an event id what it is: all of them, less trailing
 * newlines and less a client report a transport appended as the last item (its header line
 * starts the envelope's last two lines: SDKs write each payload as one line of JSON). If the
 * report is not laid out so, the whole body counts: then the copies are merely not matched.
 */
function content(env: Envelope, body: Uint8Array): Uint8Array {
  let end = trimEnd(body, body.length);
  if (env.items.length > 1 && env.items.at(-1)!.type === "client_report") {
    const payloadStart = body.lastIndexOf(NEWLINE, end - 1);
    const headerStart = payloadStart > 0 ? body.lastIndexOf(NEWLINE, payloadStart - 1) : -1;
    if (headerStart > 0) {
      const header = new TextDecoder().decode(body.subarray(headerStart + 1, payloadStart));
      if (/"type"\s*:\s*"client_report"/.test(header)) end = trimEnd(body, headerStart);
    }
  }
  return end === body.length ? body : body.subarray(0, end);
}

function trimEnd(body: Uint8Array, end: number): number {
  while (end > 0 && body[end - 1] === NEWLINE) end--;
  return end;
}

/** The envelope's event id: the header's, else that of its first event item. */
export function eventIdOf(env: Envelope): string | null {
  const fromHeader = normaliseId(env.header.event_id);
  if (fromHeader !== null) return fromHeader;
  for (const it of env.items) {
    if (!EVENT_TYPES.has(it.type)) continue;
    if (payloadIsObject(it)) return normaliseId(payloadEventId(it));
  }
  return null;
}
