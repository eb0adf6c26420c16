// The services API: status, list, one, start/stop (`PUT {"state": …}`) and a service's log as
// server-sent events that follow restarts.

import { Hono } from "hono";
import { readLimited } from "../body.ts";
import { TooLarge } from "../envelope.ts";
import { detailResponse, type StatusEnv } from "../http.ts";
import { frame, sseResponse } from "../sse.ts";

/** Framed log bytes a reader may have waiting before the log is read on only as it reads. */
const PACE_BYTES = 1024 * 1024;

export function devservicesRoutes(env: StatusEnv): Hono {
  const { deps } = env;
  const app = new Hono();
  const find = (name: string) => deps.services.list().find((s) => s.service === name);
  const unknown = (name: string) => `Service \`${name}\` is not known`;

  app.get("/api/0/status/", (c) => c.json({ ...deps.info(), services: deps.services.list() }));
  app.get("/api/0/devservices/", (c) => c.json(deps.services.list()));
  app.get("/api/0/devservices/:name/", (c) => {
    const s = find(c.req.param("name"));
    return s ? c.json(s) : detailResponse(404, unknown(c.req.param("name")));
  });

  app.put("/api/0/devservices/:name/", async (c) => {
    const name = c.req.param("name");
    if (!find(name)) return detailResponse(404, unknown(name));
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(await readLimited(c.req.raw, 64 * 1024)));
    } catch (err) {
      if (err instanceof TooLarge) return detailResponse(413, err.reason);
      return detailResponse(400, "body is not valid JSON");
    }
    const state = (body as { state?: unknown } | null)?.state;
    if (state !== "running" && state !== "stopped") {
      return detailResponse(400, 'state must be "running" or "stopped"');
    }
    return c.json(await deps.services.setState(name, state));
  });

  // `?tail=N|all`: how much of what was logged before comes first (the source's default, else).
  app.get("/api/0/devservices/:name/logs/", (c) => {
    const name = c.req.param("name");
    if (!find(name)) return detailResponse(404, unknown(name));
    const tailParam = c.req.query("tail");
    let tail: number | "all" | undefined;
    if (tailParam === "all") tail = "all";
    else if (tailParam !== undefined) {
      if (!/^\d{1,9}$/.test(tailParam)) {
        return detailResponse(400, 'tail must be a number of lines or "all"');
      }
      tail = Number(tailParam);
    }
    return sseResponse(c.req.raw, async (ch) => {
      // A burst arrives a line at a time: framed lines are written in batches (at 64 KiB, or
      // once the lines at hand are done), so 200k lines are not 200k writes.
      const encoder = new TextEncoder();
      let batch = "";
      let scheduled: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        if (scheduled) clearTimeout(scheduled);
        scheduled = undefined;
        if (batch) ch.sendFramed(encoder.encode(batch));
        batch = "";
      };
      const add = (event: string, data: string) => {
        batch += frame(event, data);
        if (batch.length >= 65536) flush();
        else scheduled ??= setTimeout(flush, 0);
      };
      try {
        for await (const line of deps.services.logs(name, ch.signal, tail)) {
          if (ch.signal.aborted) break;
          // A reader slower than the service: Docker's stream waits (it is not cut off).
          if (ch.queuedBytes >= PACE_BYTES) await ch.drained();
          if (line.kind === "line") add(line.stream, line.text);
          else if (line.kind === "restart") add("restart", new Date(line.at).toISOString());
          else if (line.kind === "notice") add("notice", line.text);
          else {
            add("end", line.reason);
            break;
          }
        }
      } finally {
        flush();
        ch.close();
      }
    });
  });
  return app;
}
