// The routes that need no token: health, Prometheus metrics and the pages' static assets.

import { Hono } from "hono";
import type { StatusDeps } from "../deps.ts";
import { APP_CSS, APP_JS } from "../html/assets.ts";

export function openRoutes(deps: StatusDeps): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.text("ok"));
  app.get("/metrics", (c) =>
    c.body(deps.renderMetrics(), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }));
  app.get(
    "/static/app.css",
    (c) => c.body(APP_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  app.get(
    "/static/app.js",
    (c) => c.body(APP_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  return app;
}
