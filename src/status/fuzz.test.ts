// A bounded fuzz run of the ingest endpoints: random bytes and mutated valid envelopes (bit
// flips, truncation, splices, wrong lengths, compressed and corrupt-compressed bodies). Every
// request must get 200, 400 or 413, never a crash, and the buffer must stay within its bounds.
// Interleaved valid envelopes (random items, length-prefixed or not, the last with or without a
// trailing newline, compressed or not) must get 200: a parser that refuses valid input fails.
// Seeded, so a failure replays; bounded in count and time.

import assert from "node:assert/strict";
import { test } from "node:test";
import zlib from "node:zlib";
import { createStatusApp } from "./app.ts";
import { fakeDeps } from "../../tests/helpers/fake-status.ts";
import { prng } from "../../tests/helpers/prng.ts";

const SEEDS = [
  `{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","dsn":"http://k@h/1"}\n{"type":"event","length":41}\n{"message":"hello","level":"error","x":1}\n`,
  `{}\n{"type":"attachment","length":5,"filename":"a"}\nab\ncd\n{"type":"session"}\n{"sid":"x"}\n`,
  `{"sdk":{"name":"s"}}\n{"type":"transaction"}\n{"type":"transaction","spans":[],"start_timestamp":1}\n{"type":"statsd","length":8}\na:1|c|#x\n`,
  `{}\n{"type":"event"}\n{"exception":{"values":[{"stacktrace":{"frames":[{"lineno":1,"context_line":"x","pre_context":[1,null]}]}}]}}\n`,
];

/** A valid envelope of random items, framed every way the format allows. */
function validEnvelope(rand: () => number): Uint8Array {
  const enc = new TextEncoder();
  const types = ["event", "transaction", "log", "session", "attachment", "client_report", "span"];
  const parts: Uint8Array[] = [
    enc.encode(rand() < 0.5 ? "{}\n" : `{"event_id":"${"ab".repeat(16)}"}\n`),
  ];
  const count = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    const type = types[Math.floor(rand() * types.length)]!;
    const payload = type === "attachment"
      ? crypto.getRandomValues(new Uint8Array(Math.floor(rand() * 64)))
      : enc.encode(JSON.stringify({ message: "é✓\n".repeat(Math.floor(rand() * 5)), n: i }));
    const withLength = type === "attachment" || rand() < 0.5;
    parts.push(
      enc.encode(`${JSON.stringify(withLength ? { type, length: payload.length } : { type })}\n`),
    );
    parts.push(payload);
    // A newline after every payload but the last, which may or may not have one.
    if (i < count - 1 || !withLength || rand() < 0.5) parts.push(enc.encode("\n"));
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test("fuzzed envelopes: only 200/400/413, bounded buffer, server keeps serving", async () => {
  const maxEvents = 50;
  const maxBytes = 200_000;
  const { fetch, events } = createStatusApp(
    fakeDeps({
      buffer: { maxEvents, maxBytes },
      limits: { eventBytes: 50_000, envelopeBytes: 100_000 },
    }),
  );
  const rand = prng(0x5e17c71);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const enc = new TextEncoder();
  const counts: Record<number, number> = {};
  const deadline = Date.now() + 15_000;
  let n = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  let valid = 0;
  for (; n < 3000 && Date.now() < deadline; n++) {
    if (n % 8 === 0) {
      const body = validEnvelope(rand);
      const gz = rand() < 0.3;
      const res = await fetch(
        new Request("http://127.0.0.1:8990/api/1/envelope/", {
          method: "POST",
          body: (gz ? new Uint8Array(zlib.gzipSync(body)) : body) as BodyInit,
          headers: { host: "127.0.0.1:8990", ...(gz ? { "content-encoding": "gzip" } : {}) },
        }),
      );
      assert.equal(
        res.status,
        200,
        `valid envelope ${n}: ${await res.text()}\n${new TextDecoder().decode(body)}`,
      );
      valid++;
      continue;
    }
    let body: Uint8Array;
    const mode = Math.floor(rand() * 7);
    if (mode === 0) {
      body = crypto.getRandomValues(new Uint8Array(Math.floor(rand() * 2048)));
    } else {
      const bytes = Array.from(enc.encode(pick(SEEDS)));
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * bytes.length);
        switch (Math.floor(rand() * 6)) {
          case 0:
            bytes[at] = bytes[at]! ^ (1 << Math.floor(rand() * 8));
            break;
          case 1:
            bytes.length = at;
            break;
          case 2:
            bytes.splice(
              at,
              0,
              ...enc.encode(pick(["\n", "{", "}", '"length":', "999999", "\u0000", "[]"])),
            );
            break;
          case 3:
            bytes.splice(at, Math.floor(rand() * 20));
            break;
          case 4:
            bytes.push(
              ...enc.encode(`{"type":"event","length":${Math.floor(rand() * 200_000)}}\n`),
            );
            break;
          default:
            bytes.push(...bytes.slice(0, Math.floor(rand() * bytes.length)));
        }
      }
      body = new Uint8Array(bytes);
    }
    const headers: Record<string, string> = { host: "127.0.0.1:8990" };
    if (mode === 5) {
      body = new Uint8Array(zlib.gzipSync(body));
      headers["content-encoding"] = "gzip";
    } else if (mode === 6) {
      const gz = new Uint8Array(zlib.brotliCompressSync(body));
      const at = Math.floor(rand() * gz.length);
      gz[at] = gz[at]! ^ 0xff;
      body = gz;
      headers["content-encoding"] = "br";
    }
    const path = pick(["/api/1/envelope/", "/stream", "/api/2/store/"]);
    const res = await fetch(
      new Request(`http://127.0.0.1:8990${path}`, {
        method: "POST",
        body: body as BodyInit,
        headers,
      }),
    );
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    assert.ok([200, 400, 413].includes(res.status), `request ${n}: status ${res.status}`);
    if (res.status !== 200) {
      const detail = ((await res.json()) as { detail: unknown }).detail;
      assert.equal(typeof detail, "string");
    } else await res.arrayBuffer();
    assert.ok(events.size <= maxEvents && events.bytes <= maxBytes);
  }
  console.log(
    `fuzz: ${n} requests (${valid} valid, all accepted), statuses ${
      JSON.stringify(counts)
    }, kept ${events.size}`,
  );
  assert.ok(n >= 500, `only ${n} requests in the time bound`);
  assert.ok((counts[200] ?? 0) > 0 && (counts[400] ?? 0) > 0, JSON.stringify(counts));
  const grown = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${grown} bytes`);
  // Pages over whatever landed still render.
  for (const r of events.page(0, maxEvents)) {
    const page = await fetch(
      new Request(`http://127.0.0.1:8990/events/${r.id}/`, {
        headers: { host: "127.0.0.1:8990", authorization: "Bearer t0ken-t0ken-t0ken-t0ken" },
      }),
    );
    assert.equal(page.status, 200);
  }
  const health = await fetch(
    new Request("http://127.0.0.1:8990/health", { headers: { host: "localhost" } }),
  );
  assert.equal(health.status, 200);
});
