// The scan may only accept what JSON.parse accepts within the depth bound, and the event id it
// reports must be the parsed value's; a scanned envelope must read as the parsed one does and
// be refused with the same reasons. Differential, against JSON.parse, over hand-picked edge
// cases and seeded mutations of SDK-like payloads.

import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { describe, test } from "node:test";
import { prng } from "../../tests/helpers/prng.ts";
import { MalformedInput, parseEnvelope, payloadEventId, payloadIsObject } from "./envelope.ts";
import { scanJson } from "./json-scan.ts";
import { isRecord, MAX_DEPTH, nestedDeeper } from "./values.ts";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/** What the strict path makes of a payload: the value, or undefined when it refuses it. */
function strict(bytes: Uint8Array, depth = MAX_DEPTH): { value: unknown } | undefined {
  try {
    if (nestedDeeper(bytes, depth)) return undefined;
    return { value: JSON.parse(dec.decode(bytes)) };
  } catch {
    return undefined;
  }
}

/** Checks the scan against the strict path for one input; returns whether the scan accepted. */
function agrees(bytes: Uint8Array, depth = MAX_DEPTH): boolean {
  // The scan is only asked about UTF-8 (envelope.ts checks first), as here.
  if (!isUtf8(bytes)) return false;
  const scan = scanJson(bytes, depth);
  if (scan === null) return false;
  const got = strict(bytes, depth);
  const shown = JSON.stringify(dec.decode(bytes)).slice(0, 200);
  assert.ok(got, `the scan accepted what JSON.parse refuses: ${shown}`);
  assert.equal(scan.object, isRecord(got.value), shown);
  if (scan.eventId !== null) {
    const want = isRecord(got.value) ? got.value.event_id : undefined;
    assert.equal(scan.eventId, want, shown);
  }
  return true;
}

const SDK_PAYLOADS = [
  {
    event_id: "9ec79c33ec9942ab8353589fcb2e04dc",
    level: "error",
    timestamp: 1764930000.123,
    exception: {
      values: [{
        type: "Error",
        value: 'boom "quoted" \\ é✓ \u2028',
        stacktrace: { frames: [{ filename: "/a.js", lineno: 1, in_app: true, vars: null }] },
      }],
    },
    tags: { a: "b" },
    extra: { n: -1.5e-7, big: 12345678901234567890, list: [[], {}, [1, [2, [3]]]] },
  },
  {
    type: "transaction",
    event_id: "0123456789abcdef0123456789abcdef",
    spans: Array.from({ length: 3 }, (_, i) => ({ span_id: `${i}`, op: "db", data: {} })),
  },
  { message: "no id", event_id: null },
  { items: [{ body: "line\nwith\ttabs", level: "info" }] },
];

describe("scanJson", () => {
  test("accepts what SDKs send, with the event id JSON.parse gives", () => {
    for (const p of SDK_PAYLOADS) {
      const bytes = enc.encode(JSON.stringify(p));
      assert.ok(agrees(bytes), JSON.stringify(p).slice(0, 80));
      assert.ok(agrees(enc.encode(` \n${JSON.stringify(p, null, 2)}\r\n\t`)));
    }
    assert.equal(
      scanJson(enc.encode('{"event_id":"abc","x":{"event_id":"nested"}}'), MAX_DEPTH)?.eventId,
      "abc",
    );
    // The last of two members wins, as in JSON.parse.
    assert.equal(
      scanJson(enc.encode('{"event_id":"a","event_id":"b"}'), MAX_DEPTH)?.eventId,
      "b",
    );
    assert.equal(scanJson(enc.encode("[1,2]"), MAX_DEPTH)?.object, false);
    assert.equal(scanJson(enc.encode('"s"'), MAX_DEPTH)?.eventId, undefined);
  });

  test("cannot tell the id when a key or the id is escaped or not a plain string", () => {
    for (
      const text of [
        '{"event\\u005fid":"a"}',
        '{"event_id":"a","event\\u005fid":"b"}',
        '{"event_id":"a\\u0062"}',
        '{"event_id":"é"}',
        '{"event_id":7}',
        '{"event_id":{"x":1}}',
        '{"event_id":[]}',
      ]
    ) {
      const scan = scanJson(enc.encode(text), MAX_DEPTH);
      assert.equal(scan?.eventId, null, text);
      assert.ok(agrees(enc.encode(text)), text);
    }
    // A plain member after an escaped one is the one JSON.parse keeps.
    assert.equal(
      scanJson(enc.encode('{"event\\u005fid":"a","event_id":"b"}'), MAX_DEPTH)?.eventId,
      "b",
    );
  });

  test("refuses what JSON.parse refuses, and leaves the unusual to the strict path", () => {
    for (
      const text of [
        "",
        " ",
        "{",
        "}",
        "{}}",
        "[1,]",
        '{"a":1,}',
        '{"a" 1}',
        "{a:1}",
        "{'a':1}",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "1e+",
        "+1",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        "truex",
        '"a\tb"',
        '"a\\x"',
        '"\\u12G4"',
        '"\\u12"',
        '"unterminated',
        "[1 2]",
        "\u00a0{}",
        "\ufeff{}",
        "{}\u00a0",
        "\v{}",
        "{}\n{}",
      ]
    ) {
      assert.equal(scanJson(enc.encode(text), MAX_DEPTH), null, JSON.stringify(text));
    }
  });

  test("the depth bound is nestedDeeper's", () => {
    const nested = (n: number) => enc.encode("[".repeat(n) + "]".repeat(n));
    assert.ok(scanJson(nested(MAX_DEPTH), MAX_DEPTH));
    assert.equal(scanJson(nested(MAX_DEPTH + 1), MAX_DEPTH), null);
    assert.ok(nestedDeeper(nested(MAX_DEPTH + 1)));
    assert.ok(scanJson(enc.encode('{"a":'.repeat(5) + "1" + "}".repeat(5)), 5));
    assert.equal(scanJson(enc.encode('{"a":'.repeat(6) + "1" + "}".repeat(6)), 5), null);
  });

  test("seeded mutations: whatever the scan accepts, JSON.parse accepts as the same value", () => {
    const rand = prng(20261205);
    const seeds = SDK_PAYLOADS.map((p) => enc.encode(JSON.stringify(p)));
    const alphabet = enc.encode('{}[]",:\\ 0123456789-+.eEtrufalsn\t\n\r\u0000u"ab_id');
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      const seed = seeds[Math.floor(rand() * seeds.length)]!;
      const bytes = seed.slice();
      const edits = 1 + Math.floor(rand() * 3);
      let view: Uint8Array = bytes;
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * view.length);
        const r = rand();
        if (r < 0.4) view[at] = alphabet[Math.floor(rand() * alphabet.length)]!;
        else if (r < 0.6) view = view.subarray(0, at);
        else if (r < 0.8) {
          view = new Uint8Array([...view.subarray(0, at), ...view.subarray(at + 1)]);
        } else {
          const b = alphabet[Math.floor(rand() * alphabet.length)]!;
          view = new Uint8Array([...view.subarray(0, at), b, ...view.subarray(at)]);
        }
      }
      // Depth bounds near the payloads' own nesting, so the bound is crossed both ways.
      if (agrees(view, 2 + Math.floor(rand() * 6))) accepted++;
    }
    // The mutations must leave a good share valid, or this test would prove little.
    assert.ok(accepted > 2000, `only ${accepted} mutated payloads were valid`);
  });
});

describe("parseEnvelope with scanEvents", () => {
  const id = "9ec79c33ec9942ab8353589fcb2e04dc";
  const body = (payload: string, header = "{}") =>
    enc.encode(`${header}\n{"type":"event"}\n${payload}\n{"type":"transaction"}\n{"a":1}\n`);

  test("an item reads as the parsed one: the same json, event id and object-ness", () => {
    for (
      const payload of [
        JSON.stringify(SDK_PAYLOADS[0]),
        `{"event\\u005fid":"${id}"}`,
        "[1]",
        '"text"',
        "",
        "   ",
        "\ufeff{}",
      ]
    ) {
      const eager = parseEnvelope(body(payload));
      const scanned = parseEnvelope(body(payload), undefined, { scanEvents: true });
      assert.equal(scanned.items.length, eager.items.length);
      for (const [i, item] of scanned.items.entries()) {
        const want = eager.items[i]!;
        assert.equal(payloadIsObject(item), payloadIsObject(want), payload);
        assert.deepEqual(payloadEventId(item), payloadEventId(want), payload);
        assert.deepEqual(item.json, want.json, payload);
        assert.equal(item.type, want.type);
        assert.equal(item.size, want.size);
        assert.deepEqual(item.header, want.header);
      }
    }
  });

  test("a malformed event is refused with the same reason", () => {
    const reasonOf = (b: Uint8Array, scan: boolean) => {
      try {
        parseEnvelope(b, undefined, { scanEvents: scan });
        return "accepted";
      } catch (err) {
        assert.ok(err instanceof MalformedInput);
        return err.reason;
      }
    };
    for (
      const b of [
        body('{"a":'),
        body("[".repeat(MAX_DEPTH + 1) + "]".repeat(MAX_DEPTH + 1)),
        body("{}x"),
        new Uint8Array([...enc.encode('{}\n{"type":"event"}\n{"m":"'), 0xc3, 0x28, 0x22, 0x7d]),
      ]
    ) {
      const want = reasonOf(b, false);
      assert.notEqual(want, "accepted");
      assert.equal(reasonOf(b, true), want);
    }
  });
});
