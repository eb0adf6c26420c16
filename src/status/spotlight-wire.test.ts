// spotlightFrame against its definition: for every envelope, the bytes it builds are exactly
// `encode(frame(event, spotlightJson(…), id))`, the text path's. Envelopes are as ingest accepts
// them (parseEnvelope passes) plus a few it would refuse, since the journal and replays feed the
// same code: CR/LF inside payloads, length-prefixed payloads with newlines, a byte order mark,
// whitespace and non-ASCII at the ends, empty objects and payloads, arrays, scalars, raw types,
// hostile ids and event names.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { concatBytes } from "../lib/bytes.ts";
import { frame } from "./sse.ts";
import { spotlightFrame, spotlightJson } from "./spotlight-wire.ts";

const enc = new TextEncoder();

function concat(parts: (string | Uint8Array)[]): Uint8Array {
  return concatBytes(parts.map((p) => typeof p === "string" ? enc.encode(p) : p));
}

/** An item with an explicit length, so its payload may hold any bytes. */
function sized(header: object, payload: string | Uint8Array): (string | Uint8Array)[] {
  const bytes = typeof payload === "string" ? enc.encode(payload) : payload;
  return [`${JSON.stringify({ ...header, length: bytes.length })}\n`, bytes, "\n"];
}

const PAYLOADS: (string | Uint8Array)[] = [
  '{"message":"hi","level":"error"}',
  '  {"message":"padded"}\t\r\n ',
  '{"a":1,\r\n"b":"x\\ny"}',
  '{\n  "pretty": [1,\n 2]\n}\n',
  "{}",
  "{ \n\t }",
  "",
  "   \n ",
  "[1,2,3]",
  "42",
  '"just a string"',
  "null",
  '{"type":"default","nested":{"type":"inner"}}',
  '{"unicode":"żółw 🐢 \\u2028 \u2028"}',
  new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"bom":true}')]),
  new Uint8Array([0x20, 0xef, 0xbb, 0xbf, ...enc.encode('{"bom":"after a space"}')]),
  enc.encode('\u00a0{"nbsp":"at the start"}\u00a0'),
  enc.encode('{"ends":"in a non-ascii byte"}\u2028'),
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // invalid UTF-8
  "{",
  "}",
  "{not json at all}",
];

const TYPES = ["event", "transaction", "log", "span", "client_report", "", "weird\ntype"];

describe("spotlightFrame is the text path's frame, byte for byte", () => {
  const check = (body: Uint8Array, id: string, ua: string | null, event: string) => {
    const expected = enc.encode(frame(event, spotlightJson(body, id, ua), id));
    assert.deepEqual(spotlightFrame(body, id, ua, event), expected);
  };

  test("every payload shape under every item type, sized and line-delimited", () => {
    for (const type of TYPES) {
      for (const payload of PAYLOADS) {
        const body = concat([
          '{"event_id":"0123456789abcdef0123456789abcdef"}\n',
          ...sized({ type }, payload),
        ]);
        check(
          body,
          "0190aaaa-bbbb-7000-8000-000000000001",
          "sentry.javascript.node/11",
          "envelope",
        );
        const text = typeof payload === "string" ? payload : "";
        if (!/[\r\n]/.test(text)) {
          check(
            concat(["{}\n", `${JSON.stringify({ type })}\n`, payload, "\n"]),
            "id",
            null,
            "envelope;base64",
          );
        }
      }
    }
  });

  test("many items, raw types among them, blank lines and a missing last newline", () => {
    const bin = new Uint8Array([0, 1, 2, 255, 10, 13]);
    const body = concat([
      '{"event_id":"abc","sdk":{"name":"sentry.javascript.node"}}\n',
      ...sized({ type: "event" }, '{"message":"hi",\r\n "level":"error"}'),
      '{"type":"log","item_count":1}\n{"items":[{"body":"a\\nb"}]}\n',
      ...sized({ type: "attachment", filename: "x.bin" }, bin),
      ...sized({ type: "attachment", content_type: "text/plain" }, "hello\nworld"),
      ...sized({ type: "statsd" }, "a:1|c"),
      ...sized({ type: "replay_recording" }, bin),
      "\n\n",
      '{"type":"client_report"}\n{}',
    ]);
    check(body, "0190-id", "node-fetch", "envelope");
    check(body, "", null, "envelope");
  });

  test("hostile ids, event names and headers stay on their own lines", () => {
    const body = concat([
      '{"event_id":"x","dsn":"http://k@h/1","line":"a\\r\\nb"}\n',
      '{"type":"event","extra":"\\n"}\n{"m":1}\n',
    ]);
    for (const id of ["evil\nid: 2", "cr\rid", "0190-ok"]) {
      for (const event of ["envelope", "evil\r\nevent: x", "envelope;base64"]) {
        check(body, id, "ua\nwith: newline", event);
        const framed = new TextDecoder().decode(spotlightFrame(body, id, null, event));
        assert.equal(framed.split("\n").filter((l) => l.startsWith("data: ")).length, 1);
      }
    }
  });

  test("an envelope header that is not an object, and an empty body", () => {
    check(enc.encode('not json\n{"type":"event"}\n{"a":1}\n'), "i", null, "envelope");
    check(enc.encode(""), "i", null, "envelope");
    check(enc.encode("{}"), "i", "ua", "envelope");
  });
});
