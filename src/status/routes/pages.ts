// The HTML pages: the dashboard, a service's live log and an event's page.

import { Hono } from "hono";
import {
  dashboardPage,
  eventPage,
  inboxRows,
  logsPage,
  messagePage,
  rateChart,
  servicesRows,
} from "../html/pages.ts";
import type { StatusEnv } from "../http.ts";

export function pageRoutes(env: StatusEnv): Hono {
  const { deps, store, sampler } = env;
  const app = new Hono();
  app.get("/", (c) => {
    const host = c.req.header("host") ?? "127.0.0.1";
    return c.html(dashboardPage({
      info: deps.info(),
      services: servicesRows(deps.services.list(), (n) => sampler.history(n)),
      inbox: inboxRows(store.page(0, 50)),
      rate: rateChart(store.perMinute(deps.now(), 30)),
      dsn: `http://sentryctl@${host}/1`,
    }));
  });
  app.get("/services/:name/logs/", (c) => {
    const name = c.req.param("name");
    if (!deps.services.list().some((s) => s.service === name)) {
      return c.html(messagePage(deps.info(), "Service not found", `No service ${name}.`), 404);
    }
    return c.html(logsPage(deps.info(), name));
  });
  app.get("/events/:id/", (c) => {
    const r = store.get(c.req.param("id"));
    if (!r) {
      return c.html(
        messagePage(deps.info(), "Event not found", "No such event in the buffer."),
        404,
      );
    }
    return c.html(eventPage(deps.info(), r));
  });
  return app;
}
