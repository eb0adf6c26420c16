// The HTML pages: the dashboard, the list views (errors, logs, attachments, every item) with
// their filters, traces and a trace's waterfall, any item's page, and a service's live log.

import { Hono } from "hono";
import { facets, matcher, parseFilters, type View } from "../filters.ts";
import { itemPage } from "../html/item-page.ts";
import {
  dashboardPage,
  inboxRows,
  logsPage,
  messagePage,
  rateChart,
  servicesRows,
} from "../html/pages.ts";
import { tracePage, traceRows, tracesPage } from "../html/traces.ts";
import { viewPage, viewRows } from "../html/views.ts";
import type { StatusEnv } from "../http.ts";
import { traceSpans, traceSummaries } from "../traces.ts";

/** Rows a list view shows at most (the buffer holds more; filters narrow it). */
export const VIEW_LIMIT = 500;

const VIEWS: [string, View][] = [
  ["/errors/", "errors"],
  ["/logs/", "logs"],
  ["/attachments/", "attachments"],
  ["/events/", "all"],
];

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
  for (const [path, view] of VIEWS) {
    app.get(path, (c) => {
      const filters = parseFilters((k) => c.req.query(k));
      const inView = store.all(matcher(view, {}));
      const items = store.page(0, VIEW_LIMIT, matcher(view, filters));
      return c.html(viewPage({
        view,
        info: deps.info(),
        rows: viewRows(view, items),
        filters,
        facets: facets(inView),
        shown: items.length,
      }));
    });
  }
  app.get("/traces/", (c) => {
    const traces = traceSummaries(store).slice(0, VIEW_LIMIT);
    return c.html(tracesPage(deps.info(), traceRows(traces), traces.length));
  });
  app.get("/traces/:trace/", (c) => {
    const traceId = c.req.param("trace");
    const items = store.trace(traceId);
    if (items.length === 0) {
      return c.html(
        messagePage(deps.info(), "Trace not found", "No item of this trace in the buffer."),
        404,
      );
    }
    return c.html(tracePage(deps.info(), traceId, traceSpans(items), items));
  });
  app.get("/services/:name/logs/", (c) => {
    const name = c.req.param("name");
    if (!deps.services.list().some((s) => s.service === name)) {
      return c.html(messagePage(deps.info(), "Service not found", `No service ${name}.`), 404);
    }
    return c.html(logsPage(deps.info(), name));
  });
  app.get("/events/:id/", (c) => {
    const it = store.get(c.req.param("id"));
    if (!it) {
      return c.html(
        messagePage(deps.info(), "Event not found", "No such event in the buffer."),
        404,
      );
    }
    const envelope = store.envelope(it.envelope);
    const siblings = (envelope?.items ?? []).filter((s) => s !== it);
    const spans = it.trace_id && (it.kind === "transaction" || it.kind === "span")
      ? traceSpans(store.trace(it.trace_id))
      : [];
    return c.html(itemPage(deps.info(), it, { siblings, spans }));
  });
  return app;
}
