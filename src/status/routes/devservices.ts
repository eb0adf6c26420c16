// The services API: status, list, one, start/stop (`PUT {"state": …}`) and a service's log as
// server-sent events that follow restarts.

import { Hono } from "hono";
import { readLimited } from "../body.ts";
import { TooLarge } from "../envelope.ts";
import { detail, type StatusEnv } from "../http.ts";
import { sseResponse } from "../sse.ts";

export function devservicesRoutes(env: StatusEnv): Hono {
  const { deps } = env;
  const app = new Hono();
  const find = (name: string) => deps.services.list().find((s) => s.service === name);
  const unknown = (name: string) => `Service \`${name}\` is not known`;

  app.get("/api/0/status/", (c) => c.json({ ...deps.info(), services: deps.services.list() }));
  app.get("/api/0/devservices/", (c) => c.json(deps.services.list()));
  app.get("/api/0/devservices/:name/", (c) => {
    const s = find(c.req.param("name"));
    return s ? c.json(s) : detail(c, 404, unknown(c.req.param("name")));
  });

  app.put("/api/0/devservices/:name/", async (c) => {
    const name = c.req.param("name");
    if (!find(name)) return detail(c, 404, unknown(name));
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(await readLimited(c.req.raw, 64 * 1024)));
    } catch (err) {
      if (err instanceof TooLarge) return detail(c, 413, err.reason);
      return detail(c, 400, "body is not valid JSON");
    }
    const state = (body as { state?: unknown } | null)?.state;
    if (state !== "running" && state !== "stopped") {
      return detail(c, 400, 'state must be "running" or "stopped"');
    }
    return c.json(await deps.services.setState(name, state));
  });

  app.get("/api/0/devservices/:name/logs/", (c) => {
    const name = c.req.param("name");
    if (!find(name)) return detail(c, 404, unknown(name));
    return sseResponse(c.req.raw, async (ch) => {
      for await (const line of deps.services.logs(name, ch.signal)) {
        if (ch.signal.aborted) break;
        if (line.kind === "line") ch.send(line.stream, line.text);
        else if (line.kind === "restart") ch.send("restart", new Date(line.at).toISOString());
        else {
          ch.send("end", line.reason);
          break;
        }
      }
      ch.close();
    });
  });
  return app;
}
