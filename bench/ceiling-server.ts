// bench/ceiling-server: the least a status server can do and still pass the status benches'
// checks, so `bench/ingest.ts` and `bench/stream-fanout.ts` can say what this machine allows
// before any server work: with `BENCH_CEILING=1` they run it as one more target, in the same
// rounds. It parses nothing and stores nothing: an envelope's lines are found and counted, the
// item type is read from its header line, and `GET /stream` gets Spotlight's
// `[header, [[item header, payload], …]]` built by joining the raw lines (payloads are not
// re-encoded), every envelope of a 10 ms window in one write per reader, as sentryctl's own
// `/stream` gathers them. Its ratio to Spotlight is the most the bench can show on the machine
// it ran on: the client and the readers share the CPU with the server. It answers through the
// same HTTP layer as `sentryctl serve` (src/runtime/adapter.ts: Bun.serve under Bun), so what
// separates the two is the server's own work.
// Usage: bun bench/ceiling-server.ts (prints `Status server on http://127.0.0.1:PORT/`).

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type PushController, pushStream, serve } from "../src/runtime/adapter.ts";

const WINDOW_MS = 10;
const encoder = new TextEncoder();
const TYPE = /"type"\s*:\s*"([^"]*)"/;
const CONNECTED = encoder.encode(": connected\n\n");
const ENVELOPE_PATH = /^\/api\/\d+\/envelope\/?$/;

/** Spotlight's stream data for one envelope, by joining its lines; null if it has no item. */
export function spotlightData(body: string): { data: string; items: number } | null {
  const lines = body.split("\n");
  while (lines.length > 0 && lines.at(-1)!.trim() === "") lines.pop();
  if (lines.length < 3 || lines.length % 2 === 0) return null;
  const parts: string[] = [];
  for (let i = 1; i < lines.length; i += 2) {
    const header = lines[i]!;
    const payload = lines[i + 1]!;
    const type = TYPE.exec(header)?.[1] ?? "";
    // Spotlight's payload carries its item's type: put first, so a payload's own `type` (a
    // transaction's) comes later and is the one a JSON reader keeps.
    const typed = payload.startsWith("{")
      ? `{"type":${JSON.stringify(type)}${payload.length > 2 ? "," : ""}${payload.slice(1)}`
      : payload;
    parts.push(`[${header},${typed}]`);
  }
  return { data: `[${lines[0]},[${parts.join(",")}]]`, items: parts.length };
}

/** The ceiling's request handler: ingest, `/stream` (both ways), `/metrics`, `/health`. */
export function ceilingHandler(): (request: Request) => Promise<Response> {
  let items = 0;
  // A reader takes a write when it said it is ready; until then what it missed waits.
  const readers = new Set<{ c?: PushController; backlog: Uint8Array[] }>();
  let pending: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const chunk = encoder.encode(pending.join(""));
    pending = [];
    for (const r of readers) {
      r.backlog.push(chunk);
      send(r);
    }
  };
  const send = (r: { c?: PushController; backlog: Uint8Array[] }) => {
    if (!r.c || r.backlog.length === 0) return;
    const c = r.c;
    const chunks = r.backlog;
    r.c = undefined;
    r.backlog = [];
    c.write(chunks);
  };
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/health") return new Response("OK");
    if (request.method === "GET" && path === "/metrics") {
      return new Response(
        `sentryctl_status_ingested_items_total{type="any"} ${items}\n` +
          `sentryctl_status_duplicate_envelopes_total{reason="any"} 0\n`,
      );
    }
    if (request.method === "GET" && path === "/stream") {
      const reader = { c: undefined as PushController | undefined, backlog: [CONNECTED] };
      readers.add(reader);
      const body = pushStream({
        ready(c) {
          reader.c = c;
          send(reader);
        },
        cancel() {
          readers.delete(reader);
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    if (request.method === "POST" && (path === "/stream" || ENVELOPE_PATH.test(path))) {
      const got = spotlightData(await request.text());
      if (!got) return new Response("not an envelope", { status: 400 });
      items += got.items;
      // Nobody reading: nothing to frame (the least work, for the ingest bench).
      if (readers.size === 0) return Response.json({});
      pending.push(`event: application/x-sentry-envelope\ndata: ${got.data}\n\n`);
      timer ??= setTimeout(flush, WINDOW_MS);
      return Response.json({});
    }
    return new Response("not found", { status: 404 });
  };
}

// Run as a script (not imported by its test): serve.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await serve(ceilingHandler(), { hostname: "127.0.0.1", port: 0 });
  console.log(`Status server on http://127.0.0.1:${server.port}/`);
}
