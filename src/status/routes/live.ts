// The dashboard's live stream (`GET /api/0/live/`): services rows, inbox rows and the rate
// chart as server-sent HTML fragments. Bursts are coalesced so an open dashboard cannot slow
// ingest down, and stats are sampled only while a dashboard is open.

import { Hono } from "hono";
import { inboxRows, rateChart, servicesRows } from "../html/pages.ts";
import type { StatusEnv } from "../http.ts";
import { sseResponse } from "../sse.ts";

export function liveRoutes(env: StatusEnv): Hono {
  const { deps, store, sampler } = env;
  const app = new Hono();
  app.get("/api/0/live/", (c) =>
    sseResponse(c.req.raw, (ch) => {
      const services = () => servicesRows(deps.services.list(), (n) => sampler.history(n));
      let pending: ReturnType<typeof setTimeout> | undefined;
      const pushServices = () => {
        if (pending) return;
        // A stop emits several Docker events; samples arrive per service.
        pending = setTimeout(() => {
          pending = undefined;
          ch.send("services", services());
        }, 100);
      };
      const unsubscribe = deps.services.subscribe(pushServices);
      const release = sampler.acquire(pushServices);
      // Under a burst of ingest the inbox is re-rendered at most four times a second.
      let inboxPending: ReturnType<typeof setTimeout> | undefined;
      const stopEvents = store.subscribe(() => {
        if (inboxPending) return;
        inboxPending = setTimeout(() => {
          inboxPending = undefined;
          ch.send("events", inboxRows(store.page(0, 50)));
          ch.send("rate", rateChart(store.perMinute(deps.now(), 30)));
        }, 250);
      });
      ch.signal.addEventListener("abort", () => {
        if (pending) clearTimeout(pending);
        if (inboxPending) clearTimeout(inboxPending);
        unsubscribe();
        release();
        stopEvents();
      }, { once: true });
      ch.send("services", services());
    }));
  return app;
}
