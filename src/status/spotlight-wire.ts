// Spotlight's wire format for one envelope on `GET /stream`: `[header, [[item header,
// payload], …]]` as one line of JSON. Like Spotlight, the header gains
// `__spotlight_envelope_id` (and the sender's user agent), a JSON payload gains its item's
// `type`, and raw items (attachments, replay videos and recordings, statsd) become
// `{"data": text or base64}`. The input is an envelope ingest already accepted (every JSON
// payload parsed), so JSON payloads are spliced as text instead of parsed and re-serialised;
// inside valid JSON a CR or LF can only be whitespace, so they become spaces and the result is
// always a single SSE data line.

import { Buffer } from "node:buffer";

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

export function spotlightJson(body: Uint8Array, id: string, userAgent: string | null): string {
  let pos = lineEnd(body, 0);
  const header = parseObject(body.subarray(0, pos));
  header.__spotlight_envelope_id = id;
  if (userAgent) header.__spotlight_sender_user_agent = userAgent;
  pos++;
  const items: string[] = [];
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
    const p = payloadJson(type, itemHeader, payload);
    items.push(`[${JSON.stringify(itemHeader)},${p}]`);
  }
  return `[${JSON.stringify(header)},[${items.join(",")}]]`;
}
