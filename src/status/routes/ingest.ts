// Ingest routes (open, under the Host rule): Sentry's envelope and store endpoints and
// Spotlight's `POST /stream`, with CORS for browser SDKs on localhost origins. Any project id
// and any DSN key (or none) are accepted and recorded.

import { type Context, Hono } from "hono";
import type { IngestLimits } from "../deps.ts";
import { MalformedInput, TooLarge } from "../envelope.ts";
import { detail, type StatusEnv } from "../http.ts";
import { type Ingested, readEnvelope, readStoreEvent, sentryKey } from "../ingest.ts";
import { corsOrigin } from "../security.ts";

type Reader = (r: Request, l: IngestLimits) => Promise<Ingested>;

function corsHeaders(c: Context): Record<string, string> {
  const cors = corsOrigin(c.req.header("origin") ?? null);
  return cors ? { "access-control-allow-origin": cors, vary: "Origin" } : {};
}

function preflight(c: Context): Response {
  const cors = corsOrigin(c.req.header("origin") ?? null);
  if (!cors) return c.body(null, 204);
  return c.body(null, 204, {
    "access-control-allow-origin": cors,
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers":
      "content-type, content-encoding, x-sentry-auth, sentry-trace, baggage",
    "access-control-max-age": "600",
    vary: "Origin",
  });
}

export function ingestRoutes(env: StatusEnv): Hono {
  const { deps, limits, inbox } = env;
  const ingest = (read: Reader) => async (c: Context) => {
    const cors = corsHeaders(c);
    const projectId = c.req.param("project") ?? "0";
    if (!/^\d+$/.test(projectId)) return detail(c, 400, "project id must be a number", cors);
    let got: Ingested;
    try {
      got = await read(c.req.raw, limits);
    } catch (err) {
      if (err instanceof TooLarge) return detail(c, 413, err.reason, cors);
      if (err instanceof MalformedInput) return detail(c, 400, err.reason, cors);
      throw err;
    }
    // A repeat of an envelope already taken (dedupe.ts) is answered as the first copy was: the
    // SDK must neither retry it nor log an error. The envelope is stored right after this
    // answer goes (Inbox.take); a read arriving after the answer sees it.
    const accepted = inbox.take(got, {
      projectId,
      sentryKey: sentryKey(c.req.raw),
      received: deps.now(),
      userAgent: c.req.header("user-agent") ?? null,
    });
    for (const item of got.envelope.items) deps.onIngest?.(item.type, projectId);
    if (c.req.path === "/stream") return c.body(null, 200, cors);
    return c.json({ id: accepted.id }, 200, cors);
  };
  const app = new Hono();
  for (const path of ["/api/:project{[^/]+}/envelope", "/api/:project{[^/]+}/envelope/"]) {
    app.post(path, ingest(readEnvelope));
    app.options(path, preflight);
  }
  for (const path of ["/api/:project{[^/]+}/store", "/api/:project{[^/]+}/store/"]) {
    app.post(path, ingest(readStoreEvent));
    app.options(path, preflight);
  }
  app.post("/stream", ingest(readEnvelope));
  app.options("/stream", preflight);
  return app;
}
