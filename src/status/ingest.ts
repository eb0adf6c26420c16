// The ingest endpoints' shared logic: who sent it (DSN key from X-Sentry-Auth or the
// sentry_key query parameter; any key, or none, is accepted and recorded), undoing the
// body's encoding within the limits, and turning /store/ bodies into one-item envelopes.

import { isUtf8 } from "node:buffer";
import { concatBytes } from "../lib/bytes.ts";
import { decodeBody, readLimited } from "./body.ts";
import { type Envelope, MalformedInput, parseEnvelope, TooLarge } from "./envelope.ts";
import type { IngestLimits } from "./deps.ts";
import { MAX_DEPTH, nestedDeeper } from "./values.ts";

export function sentryKey(request: Request): string | null {
  const header = request.headers.get("x-sentry-auth") ??
    (request.headers.get("authorization")?.startsWith("Sentry ")
      ? request.headers.get("authorization")
      : null);
  if (header) {
    const m = /sentry_key\s*=\s*([^,\s]+)/.exec(header);
    if (m) return m[1]!;
  }
  // The query string only when no header names the key (SDKs send the header): no URL parse
  // on ingest's usual path.
  return request.url.includes("?") ? new URL(request.url).searchParams.get("sentry_key") : null;
}

export interface Ingested {
  envelope: Envelope;
  /** Decompressed size in bytes. */
  size: number;
  /** The envelope's bytes, decompressed (a /store/ event wrapped as a one-item envelope). */
  body: Uint8Array;
}

/** POST /api/ID/envelope/ and /stream: an envelope of at most `envelopeBytes`. */
export async function readEnvelope(request: Request, limits: IngestLimits): Promise<Ingested> {
  const raw = await readLimited(request, limits.envelopeBytes);
  const body = await decodeBody(
    raw,
    request.headers.get("content-encoding"),
    limits.envelopeBytes,
  );
  return {
    envelope: parseEnvelope(body, limits, { scanEvents: true }),
    size: body.length,
    body,
  };
}

/** POST /api/ID/store/: one JSON event of at most `eventBytes` (old SDKs: base64 of zlib). */
export async function readStoreEvent(request: Request, limits: IngestLimits): Promise<Ingested> {
  const raw = await readLimited(request, limits.eventBytes);
  let body = await decodeBody(raw, request.headers.get("content-encoding"), limits.eventBytes);
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first !== undefined && first !== 0x7b && first !== 0x5b /* { or [ */) {
    body = await legacyEncoded(body, limits.eventBytes);
  }
  if (nestedDeeper(body)) {
    throw new MalformedInput(`event is nested deeper than ${MAX_DEPTH} levels`);
  }
  // Bytes that are not UTF-8 are read as U+FFFD (old SDKs' events are not refused for it) and
  // kept as that text: the event store parses the stored bytes again, strictly, when first read.
  const text = new TextDecoder().decode(body);
  if (!isUtf8(body)) body = new TextEncoder().encode(text);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new MalformedInput("event is not valid JSON");
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new MalformedInput("event is not a JSON object");
  }
  const type = (event as { type?: unknown }).type === "transaction" ? "transaction" : "event";
  const eventId = (event as { event_id?: unknown }).event_id;
  const head = new TextEncoder().encode(
    `${JSON.stringify(typeof eventId === "string" ? { event_id: eventId } : {})}\n` +
      `${JSON.stringify({ type, length: body.length })}\n`,
  );
  const envelopeBytes = concatBytes([head, body]);
  return {
    envelope: {
      header: { event_id: (event as { event_id?: unknown }).event_id },
      items: [{
        type,
        header: { type },
        json: event,
        bytes: envelopeBytes.subarray(head.length),
        size: body.length,
      }],
    },
    size: body.length,
    body: envelopeBytes,
  };
}

async function legacyEncoded(body: Uint8Array, limit: number): Promise<Uint8Array> {
  const text = new TextDecoder().decode(body).trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) throw new MalformedInput("event is not valid JSON");
  const bytes = Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  return await decodeBody(bytes, "deflate", limit);
}

export { MalformedInput, TooLarge };
