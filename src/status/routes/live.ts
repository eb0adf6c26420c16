// The pages' live stream (`GET /api/0/live/`): for the dashboard, services rows, inbox rows and
// the rate chart; for a list view (`?view=errors|logs|attachments|all|traces` plus its
// filters), that view's table body. All as server-sent HTML fragments; bursts are coalesced so
// an open page cannot slow ingest down, and stats are sampled only while a dashboard is open.

import { Hono } from "hono";
import { matcher, parseFilters, type View } from "../filters.ts";
import { inboxRows, rateChart, servicesRows } from "../html/pages.ts";
import { traceRows } from "../html/traces.ts";
import { viewRows } from "../html/views.ts";
import type { StatusEnv } from "../http.ts";
import { rowsStamp } from "../html/stamp.ts";
import { sseResponse } from "../sse.ts";
import { traceSummaries } from "../traces.ts";
import { VIEW_LIMIT } from "./pages.ts";

const LIST_VIEWS = ["errors", "logs", "attachments", "all", "traces"];

export function liveRoutes(env: StatusEnv): Hono {
  const { deps, store, sampler } = env;
  const app = new Hono();
  app.get("/api/0/live/", (c) => {
    const view = c.req.query("view");
    if (view && LIST_VIEWS.includes(view)) {
      const filters = parseFilters((k) => c.req.query(k));
      const rows = () =>
        view === "traces"
          ? traceRows(traceSummaries(store).slice(0, VIEW_LIMIT))
          : viewRows(view as View, store.page(0, VIEW_LIMIT, matcher(view as View, filters)));
      return sseResponse(c.req.raw, (ch) => {
        let pending: ReturnType<typeof setTimeout> | undefined;
        const push = () => {
          if (pending) return;
          pending = setTimeout(() => {
            pending = undefined;
            ch.send("rows", rows());
          }, 250);
        };
        const stop = store.subscribe(push);
        const stopClear = store.onClear(push);
        ch.signal.addEventListener("abort", () => {
          if (pending) clearTimeout(pending);
          stop();
          stopClear();
        }, { once: true });
        // Subscribed: what changed since the page was rendered is sent now (html/stamp.ts).
        const seen = c.req.query("seen");
        if (seen !== undefined) {
          const now = rows();
          if (rowsStamp(now) !== seen) ch.send("rows", now);
        }
      });
    }
    return sseResponse(c.req.raw, (ch) => {
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
      const pushInbox = () => {
        if (inboxPending) return;
        inboxPending = setTimeout(() => {
          inboxPending = undefined;
          ch.send("events", inboxRows(store.page(0, 50)));
          ch.send("rate", rateChart(store.perMinute(deps.now(), 30)));
        }, 250);
      };
      const stopEvents = store.subscribe(pushInbox);
      const stopClear = store.onClear(pushInbox);
      ch.signal.addEventListener("abort", () => {
        if (pending) clearTimeout(pending);
        if (inboxPending) clearTimeout(inboxPending);
        unsubscribe();
        release();
        stopEvents();
        stopClear();
      }, { once: true });
      ch.send("services", services());
      const seen = c.req.query("seen");
      if (seen !== undefined) {
        const inbox = inboxRows(store.page(0, 50));
        if (rowsStamp(inbox) !== seen) {
          ch.send("events", inbox);
          ch.send("rate", rateChart(store.perMinute(deps.now(), 30)));
        }
      }
    });
  });
  return app;
}
