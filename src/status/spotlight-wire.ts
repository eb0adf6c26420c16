// Spotlight's wire format for one envelope on `GET /stream`: `[header, [[item header,
// payload], …]]` as one line of JSON. Like Spotlight, the header gains
// `__spotlight_envelope_id` (and the sender's user agent), a JSON payload gains its item's
// `type`, and raw items (attachments, replay videos and recordings, statsd) become
// `{"data": text or base64}`. The input is an envelope ingest already accepted (every JSON
// payload parsed), so JSON payloads are spliced as text instead of parsed and re-serialised;
// inside valid JSON a CR or LF can only be whitespace, so they become spaces and the result is
// always a single SSE data line.

import { Buffer, isUtf8 } from "node:buffer";
import { concatBytes } from "../lib/bytes.ts";
import { frameHead } from "./sse.ts";

const RAW_TYPES = new Set(["attachment", "replay_video", "replay_recording", "statsd"]);
const TEXT_CONTENT_TYPES = new Set([
  "text/plain",
  "text/css",
  "text/csv",
  "text/html",
  "text/javascript",
  "text/json",
  "text/x-json",
  "application/json",
  "application/ld+json",
]);
const NEWLINE = 0x0a;
const decoder = new TextDecoder();

function lineEnd(body: Uint8Array, from: number): number {
  const at = body.indexOf(NEWLINE, from);
  return at === -1 ? body.length : at;
}

function oneLine(text: string): string {
  return /[\r\n]/.test(text) ? text.replace(/[\r\n]/g, " ") : text;
}

function parseObject(bytes: Uint8Array): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(decoder.decode(bytes));
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? v as Record<string, unknown>
      : {};
  } catch {
    return {};
  }
}

/** `{…}` with `"key":value` appended (the last duplicate key wins when parsed, as in Spotlight). */
function withKey(objectText: string, key: string, valueJson: string): string {
  const close = objectText.lastIndexOf("}");
  const open = objectText.indexOf("{");
  if (open !== 0 || close !== objectText.length - 1) return objectText;
  const empty = objectText.slice(1, close).trim() === "";
  return `${objectText.slice(0, close)}${empty ? "" : ","}"${key}":${valueJson}}`;
}

function payloadJson(type: string, header: Record<string, unknown>, bytes: Uint8Array): string {
  if (RAW_TYPES.has(type)) {
    if (type === "statsd" && !header.content_type) header.content_type = "text/plain";
    const text = typeof header.content_type === "string" &&
      TEXT_CONTENT_TYPES.has(header.content_type.split(";")[0]!.trim().toLowerCase());
    const data = text ? decoder.decode(bytes) : Buffer.from(bytes).toString("base64");
    return `{"data":${JSON.stringify(data)}}`;
  }
  const text = oneLine(decoder.decode(bytes)).trim();
  if (text === "") return "null";
  return text.startsWith("{") ? withKey(text, "type", JSON.stringify(type)) : text;
}

interface WireItem {
  header: Record<string, unknown>;
  type: string;
  payload: Uint8Array;
}

/** The envelope's header (as Spotlight extends it) and its items, in order. */
function walk(body: Uint8Array, id: string, userAgent: string | null) {
  let pos = lineEnd(body, 0);
  const header = parseObject(body.subarray(0, pos));
  header.__spotlight_envelope_id = id;
  if (userAgent) header.__spotlight_sender_user_agent = userAgent;
  pos++;
  const items: WireItem[] = [];
  while (pos < body.length) {
    const headerEnd = lineEnd(body, pos);
    const headerBytes = body.subarray(pos, headerEnd);
    pos = headerEnd + 1;
    if (decoder.decode(headerBytes).trim() === "") continue;
    const itemHeader = parseObject(headerBytes);
    const type = typeof itemHeader.type === "string" ? itemHeader.type : "";
    const length = itemHeader.length;
    let payload: Uint8Array;
    if (typeof length === "number" && Number.isInteger(length) && length >= 0) {
      payload = body.subarray(pos, Math.min(body.length, pos + length));
      pos += length;
      if (pos < body.length && body[pos] === NEWLINE) pos++;
    } else {
      const end = lineEnd(body, pos);
      payload = body.subarray(pos, end);
      pos = end + 1;
    }
    items.push({ header: itemHeader, type, payload });
  }
  return { header, items };
}

export function spotlightJson(body: Uint8Array, id: string, userAgent: string | null): string {
  const { header, items } = walk(body, id, userAgent);
  const parts = items.map((it) =>
    `[${JSON.stringify(it.header)},${payloadJson(it.type, it.header, it.payload)}]`
  );
  return `[${JSON.stringify(header)},[${parts.join(",")}]]`;
}

const encoder = new TextEncoder();
const CR = 0x0d;
const SPACE = 0x20;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

// What String.prototype.trim removes, among single bytes (tab, LF, VT, FF, CR, space).
function blank(b: number): boolean {
  return b === SPACE || (b >= 0x09 && b <= 0x0d);
}

/**
 * A JSON payload as `payloadJson` gives it, as bytes spliced from the envelope's own (no decode,
 * no string, no encode: those were most of the cost of framing an envelope for `/stream`), or
 * undefined where only the text path says exactly what it gives (raw types, invalid UTF-8, a
 * byte order mark or a non-ASCII byte at either end).
 */
function payloadSpliced(type: string, bytes: Uint8Array): Uint8Array[] | undefined {
  if (RAW_TYPES.has(type)) return undefined;
  let start = 0;
  let end = bytes.length;
  // TextDecoder drops a leading byte order mark.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  while (start < end && blank(bytes[start]!)) start++;
  while (end > start && blank(bytes[end - 1]!)) end--;
  if (start === end) return [encoder.encode("null")];
  if (bytes[start]! >= 0x80 || bytes[end - 1]! >= 0x80) return undefined;
  let text = bytes.subarray(start, end);
  // The text path decodes bad UTF-8 to U+FFFD (a /store/ body may carry some): only valid
  // UTF-8 is the same bytes both ways.
  if (!isUtf8(text)) return undefined;
  if (text.indexOf(NEWLINE) >= 0 || text.indexOf(CR) >= 0) {
    text = text.slice();
    for (let i = 0; i < text.length; i++) {
      if (text[i] === NEWLINE || text[i] === CR) text[i] = SPACE;
    }
  }
  if (text[0] !== OPEN || text[text.length - 1] !== CLOSE) return [text];
  let empty = true;
  for (let i = 1; i < text.length - 1 && empty; i++) empty = blank(text[i]!);
  const typed = `${empty ? "" : ","}"type":${JSON.stringify(type)}}`;
  return [text.subarray(0, text.length - 1), encoder.encode(typed)];
}

/**
 * The envelope as one server-sent event named `event` with id `id`, as bytes: exactly
 * `encode(frame(event, spotlightJson(body, id, userAgent), id))` (the data is one line), built
 * from the envelope's bytes. Framed once per envelope and shared by every reader.
 */
export function spotlightFrame(
  body: Uint8Array,
  id: string,
  userAgent: string | null,
  event: string,
): Uint8Array {
  const { header, items } = walk(body, id, userAgent);
  const pieces: Uint8Array[] = [];
  let text = `${frameHead(event, id)}data: [${JSON.stringify(header)},[`;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    text += `${i > 0 ? "," : ""}[${JSON.stringify(it.header)},`;
    const spliced = payloadSpliced(it.type, it.payload);
    if (spliced) {
      pieces.push(encoder.encode(text), ...spliced);
      text = "]";
    } else text += `${payloadJson(it.type, it.header, it.payload)}]`;
  }
  pieces.push(encoder.encode(`${text}]]\n\n`));
  return concatBytes(pieces);
}
