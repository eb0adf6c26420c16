// Sentry envelope parsing (the wire format every SDK and Spotlight client sends): a JSON header
// line, then items, each a JSON item header line and a payload that is either `length` bytes
// or, without a length, the rest of the line. Works on bytes because `length` counts bytes.
// JSON nested deeper than MAX_DEPTH is refused here, before it is parsed or stored.

import { isUtf8 } from "node:buffer";
import { type JsonScan, scanJson } from "./json-scan.ts";
import { isRecord, MAX_DEPTH, nestedDeeper } from "./values.ts";

export class MalformedInput extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "MalformedInput";
  }
}

export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  /** Parsed JSON for JSON item types, undefined for binary ones (attachments, recordings). */
  json?: unknown;
  /**
   * The payload of binary item types, and the JSON text's bytes of JSON ones (a view into the
   * envelope's bytes either way): the store keeps these and parses again on demand.
   */
  bytes?: Uint8Array;
  /** Text for line-based item types (statsd). */
  text?: string;
  size: number;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** Item types whose payload is binary or opaque; everything else is JSON (or text, below). */
const BINARY_TYPES = new Set(["attachment", "replay_recording", "replay_video"]);
const TEXT_TYPES = new Set(["statsd"]);

const NEWLINE = 0x0a;
const decoder = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new MalformedInput(`${what} is not valid UTF-8`);
  }
}

function parseObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  const text = decode(bytes, what).trim();
  if (text === "") return {};
  if (nestedDeeper(bytes)) {
    throw new MalformedInput(`${what} is nested deeper than ${MAX_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedInput(`${what} is not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedInput(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Whether a line is blank as `decode(line).trim() === ""` says, without decoding an ASCII line
 * (every item header is one; it is decoded once more when parsed).
 */
function blank(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b >= 0x80) return decode(line, "item header").trim() === "";
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0b && b !== 0x0c) {
      return false;
    }
  }
  return true;
}

function lineEnd(body: Uint8Array, from: number): number {
  const at = body.indexOf(NEWLINE, from);
  return at === -1 ? body.length : at;
}

export interface ParseLimits {
  /** Largest single event/transaction item. */
  eventBytes: number;
}

export interface ParseOptions {
  /**
   * Ingest's reading: an event's or a transaction's payload is scanned, not parsed, when the
   * scan can tell it is valid (json-scan.ts); its `json` is parsed when first asked for.
   */
  scanEvents?: boolean;
}

/** Parses an envelope; throws MalformedInput with a reason a client can act on. */
export function parseEnvelope(
  body: Uint8Array,
  limits?: ParseLimits,
  opts: ParseOptions = {},
): Envelope {
  if (body.length === 0) throw new MalformedInput("empty envelope");
  let pos = lineEnd(body, 0);
  const header = parseObject(body.subarray(0, pos), "envelope header");
  pos++;
  const items: EnvelopeItem[] = [];
  let index = 0;
  while (pos < body.length) {
    const headerEnd = lineEnd(body, pos);
    const headerBytes = body.subarray(pos, headerEnd);
    pos = headerEnd + 1;
    // Trailing blank lines after the last item are tolerated, as Relay does.
    if (blank(headerBytes)) continue;
    index++;
    const itemHeader = parseObject(headerBytes, `item ${index} header`);
    const type = itemHeader.type;
    if (typeof type !== "string" || type === "") {
      throw new MalformedInput(`item ${index} header has no type`);
    }
    let payload: Uint8Array;
    const length = itemHeader.length;
    if (length !== undefined && length !== null) {
      if (typeof length !== "number" || !Number.isInteger(length) || length < 0) {
        throw new MalformedInput(`item ${index} length is not a non-negative integer`);
      }
      if (pos + length > body.length) {
        throw new MalformedInput(
          `item ${index} length ${length} exceeds the ${
            body.length - Math.min(pos, body.length)
          } bytes left`,
        );
      }
      payload = body.subarray(pos, pos + length);
      pos += length;
      // The payload may be followed by a newline (or be last).
      if (pos < body.length && body[pos] === NEWLINE) pos++;
    } else {
      const end = lineEnd(body, pos);
      payload = body.subarray(pos, end);
      pos = end + 1;
    }
    if (
      limits && (type === "event" || type === "transaction") && payload.length > limits.eventBytes
    ) {
      throw new TooLarge(`item ${index} (${type}) is larger than ${limits.eventBytes} bytes`);
    }
    items.push(
      opts.scanEvents && (type === "event" || type === "transaction")
        ? scannedItem(type, itemHeader, payload) ?? parseItem(type, itemHeader, payload, index)
        : parseItem(type, itemHeader, payload, index),
    );
  }
  return { header, items };
}

export class TooLarge extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TooLarge";
  }
}

function parseItem(
  type: string,
  header: Record<string, unknown>,
  payload: Uint8Array,
  index: number,
): EnvelopeItem {
  if (BINARY_TYPES.has(type)) return { type, header, bytes: payload, size: payload.length };
  const text = decode(payload, `item ${index} (${type}) payload`);
  if (TEXT_TYPES.has(type)) return { type, header, text, size: payload.length };
  if (text.trim() === "") return { type, header, json: null, size: payload.length };
  if (nestedDeeper(payload)) {
    throw new MalformedInput(
      `item ${index} (${type}) payload is nested deeper than ${MAX_DEPTH} levels`,
    );
  }
  try {
    return { type, header, json: JSON.parse(text), bytes: payload, size: payload.length };
  } catch {
    throw new MalformedInput(`item ${index} (${type}) payload is not valid JSON`);
  }
}

/**
 * An event or transaction item whose payload a scan found valid: its JSON is parsed when first
 * read (by then the store usually parses the stored bytes itself), its top-level `event_id`
 * came from the scan.
 */
class ScannedItem implements EnvelopeItem {
  readonly type: string;
  readonly header: Record<string, unknown>;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly object: boolean;
  #eventId: string | undefined | null;
  #json: unknown;
  #parsed = false;

  constructor(
    type: string,
    header: Record<string, unknown>,
    bytes: Uint8Array,
    scan: JsonScan,
  ) {
    this.type = type;
    this.header = header;
    this.bytes = bytes;
    this.size = bytes.length;
    this.object = scan.object;
    this.#eventId = scan.eventId;
  }

  get json(): unknown {
    if (!this.#parsed) {
      this.#json = JSON.parse(decoder.decode(this.bytes));
      this.#parsed = true;
    }
    return this.#json;
  }

  /** The payload's top-level `event_id`, from the scan when it could tell. */
  get eventId(): unknown {
    if (!this.object) return undefined;
    if (this.#eventId !== null) return this.#eventId;
    const json = this.json;
    return isRecord(json) ? json.event_id : undefined;
  }
}

function scannedItem(
  type: string,
  header: Record<string, unknown>,
  payload: Uint8Array,
): ScannedItem | undefined {
  if (!isUtf8(payload)) return undefined;
  const scan = scanJson(payload, MAX_DEPTH);
  return scan ? new ScannedItem(type, header, payload, scan) : undefined;
}

/** Whether an item's payload is a JSON object (without parsing a scanned one). */
export function payloadIsObject(item: EnvelopeItem): boolean {
  return item instanceof ScannedItem ? item.object : isRecord(item.json);
}

/** An item's payload's top-level `event_id` (undefined when its payload is not an object). */
export function payloadEventId(item: EnvelopeItem): unknown {
  if (item instanceof ScannedItem) return item.eventId;
  return isRecord(item.json) ? item.json.event_id : undefined;
}
