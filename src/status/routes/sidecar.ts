// Spotlight's sidecar routes (SPEC §7a). `GET /stream` is open like ingest (Spotlight's own
// clients send no token): server-sent events of every envelope, replayed from the buffer after
// `Last-Event-ID` (or all of it), then live. The others need the token and, from a browser,
// this server's Origin (the middleware mounted before them): `GET /envelope/<id>` (the raw
// envelope), `DELETE /clear`, `PUT /contextlines` and `POST /open`.

import { Hono } from "hono";
import { readLimited } from "../body.ts";
import { editorArgv, parseOpenTarget } from "../editor.ts";
import { TooLarge } from "../envelope.ts";
import { FrameHub } from "../frame-hub.ts";
import { detailResponse, type StatusEnv } from "../http.ts";
import { allowedSourcePath, fillContextLines, framesOf } from "../source-files.ts";
import { MAX_QUEUED_BYTES, sseResponse } from "../sse.ts";

const CONTEXTLINES_BYTES = 1024 * 1024;
// Envelopes arriving within this window go to each reader in one write: under a burst that is
// one wake-up per reader instead of one per envelope, for at most this much added latency.
const STREAM_WINDOW_MS = 10;

/** `GET /stream`: mount before the token check. */
export function streamRoutes(env: StatusEnv): Hono {
  const { feed } = env.inbox;
  const hubs = new Map<string, FrameHub>();
  const app = new Hono();
  app.get("/stream", (c) => {
    // Spotlight: any `base64` parameter marks the event name; the data stays JSON.
    const event = c.req.query("base64") !== undefined
      ? "application/x-sentry-envelope;base64"
      : "application/x-sentry-envelope";
    const hub = hubs.get(event) ?? new FrameHub(feed, event, STREAM_WINDOW_MS);
    hubs.set(event, hub);
    return sseResponse(c.req.raw, (ch) => {
      const { replay, leave } = hub.join(
        c.req.header("last-event-id"),
        (chunk) => ch.sendFramed(chunk),
      );
      ch.replay(replay);
      ch.signal.addEventListener("abort", leave, { once: true });
    }, { maxQueuedBytes: MAX_QUEUED_BYTES });
  });
  return app;
}

/** The authenticated sidecar routes: mount after the token and Origin checks. */
export function sidecarRoutes(env: StatusEnv): Hono {
  const { deps, inbox } = env;
  const sourceRoot = deps.sourceRoot ?? ".";
  const app = new Hono();

  app.get("/envelope/:id", (c) => {
    const entry = inbox.feed.get(c.req.param("id"));
    if (!entry) return detailResponse(404, "Envelope not found");
    return c.body(entry.body.slice(), 200, {
      "content-type": entry.contentType,
      "content-disposition": `attachment; filename="${entry.id}.bin"`,
      "cache-control": "no-cache",
    });
  });

  app.delete("/clear", (c) => {
    inbox.clear();
    return c.text("Cleared");
  });

  app.put("/contextlines", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(await readLimited(c.req.raw, CONTEXTLINES_BYTES)));
    } catch (err) {
      if (err instanceof TooLarge) return detailResponse(413, err.reason);
      return detailResponse(400, "body is not valid JSON");
    }
    fillContextLines(sourceRoot, framesOf(body));
    return c.json(body);
  });

  app.post("/open", async (c) => {
    if (!deps.loopback) {
      return detailResponse(
        403,
        "Opening files is only possible when the server listens on loopback",
      );
    }
    let text: string;
    try {
      text = new TextDecoder().decode(await readLimited(c.req.raw, 8192));
    } catch {
      return detailResponse(413, "body is too large");
    }
    const target = parseOpenTarget(text);
    if (!target) return detailResponse(400, "expected a body `file[:line[:column]]`");
    const path = allowedSourcePath(sourceRoot, target.file);
    if (!path) {
      return detailResponse(
        404,
        "No such file in the source directory (or one that is not opened)",
      );
    }
    const argv = editorArgv(deps.editorEnv ?? {}, { ...target, file: path });
    if (!argv) return detailResponse(409, "No editor configured: set SENTRYCTL_EDITOR or EDITOR");
    try {
      if (!deps.launch) throw new Error("starting programs is not possible here");
      await deps.launch(argv);
    } catch (err) {
      return detailResponse(409, `Could not start the editor: ${(err as Error).message}`);
    }
    return c.body(null, 204);
  });

  return app;
}
