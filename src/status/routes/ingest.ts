// Ingest routes (open, under the Host rule): Sentry's envelope and store endpoints and
// Spotlight's `POST /stream`, with CORS for browser SDKs on localhost origins. Any project id
// and any DSN key (or none) are accepted and recorded. The two a server SDK posts to all the
// time (envelopes, `/stream`) also have a fast path that skips the router: the same answer,
// for requests no other rule applies to.

import { type Context, Hono } from "hono";
import type { IngestLimits } from "../deps.ts";
import { MalformedInput, TooLarge } from "../envelope.ts";
import { detailResponse, errorAnswer, jsonResponse, type StatusEnv } from "../http.ts";
import { type Ingested, readEnvelope, readStoreEvent, sentryKey } from "../ingest.ts";
import { corsOrigin, hostAllowed } from "../security.ts";

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

/**
 * One ingest POST answered: read within the limits, taken by the inbox (stored right after the
 * answer), answered with the envelope's id (`/stream`: an empty 200).
 */
async function answer(
  env: StatusEnv,
  request: Request,
  projectId: string,
  read: Reader,
  stream: boolean,
  cors: Record<string, string>,
): Promise<Response> {
  const { deps, limits, inbox } = env;
  let got: Ingested;
  try {
    got = await read(request, limits);
  } catch (err) {
    if (err instanceof TooLarge) return detailResponse(413, err.reason, cors);
    if (err instanceof MalformedInput) return detailResponse(400, err.reason, cors);
    throw err;
  }
  // A repeat of an envelope already taken (dedupe.ts) is answered as the first copy was: the
  // SDK must neither retry it nor log an error. The envelope is stored right after this
  // answer goes (Inbox.take); a read arriving after the answer sees it.
  const accepted = inbox.take(got, {
    projectId,
    sentryKey: sentryKey(request),
    received: deps.now(),
    userAgent: request.headers.get("user-agent"),
  });
  for (const item of got.envelope.items) deps.onIngest?.(item.type, projectId);
  if (stream) return new Response(null, { status: 200, headers: cors });
  return jsonResponse({ id: accepted.id }, 200, cors);
}

const ENVELOPE_PATH = /^\/api\/(\d+)\/envelope\/?$/;

/** The path of an absolute URL, without query or fragment (no URL object made). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const hash = url.indexOf("#", start);
  return url.slice(start, hash >= 0 && hash < end ? hash : end);
}

/**
 * The fast path: a POST of an envelope (`/api/<digits>/envelope/`) or to `/stream` from an
 * allowed Host and without an Origin (no CORS to answer) is answered as its route would, without
 * the router and its per-request context (a fifth of the in-process cost of an answer, measured).
 * Anything else gives undefined: the app answers it (a Host refused, a browser's CORS, …).
 */
export function ingestFastPath(
  env: StatusEnv,
): (request: Request) => Promise<Response> | undefined {
  const hosts = env.deps.allowedHosts;
  return (request) => {
    if (request.method !== "POST") return undefined;
    const path = pathOf(request.url);
    const stream = path === "/stream";
    const projectId = stream ? "0" : ENVELOPE_PATH.exec(path)?.[1];
    if (projectId === undefined) return undefined;
    const headers = request.headers;
    if (headers.get("origin") !== null || !hostAllowed(headers.get("host"), hosts)) {
      return undefined;
    }
    return answer(env, request, projectId, readEnvelope, stream, {}).catch((err) => {
      const { status, message } = errorAnswer(err);
      return detailResponse(status, message);
    });
  };
}

export function ingestRoutes(env: StatusEnv): Hono {
  const ingest = (read: Reader) => (c: Context) => {
    const cors = corsHeaders(c);
    const projectId = c.req.param("project") ?? "0";
    if (!/^\d+$/.test(projectId)) return detailResponse(400, "project id must be a number", cors);
    return answer(env, c.req.raw, projectId, read, c.req.path === "/stream", cors);
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
