// The inbox API: `GET /api/0/events/` (newest first, Sentry's Link/cursor pagination),
// `GET /api/0/events/<id>/` and `DELETE /api/0/events/` (clear).

import { Hono } from "hono";
import type { EventRecord } from "../event-store.ts";
import { eventTitle } from "../html/pages.ts";
import { detail, type StatusEnv } from "../http.ts";

const PER_PAGE = 100;

function parseCursor(value: string | undefined): number {
  // Sentry's cursor shape "value:offset:is_prev"; sentryctl pages by offset.
  if (!value) return 0;
  const parts = value.split(":");
  const offset = Number(parts[1] ?? parts[0]);
  return Number.isInteger(offset) && offset >= 0 ? offset : -1;
}

function linkHeader(base: string, offset: number, perPage: number, hasNext: boolean): string {
  const prev = Math.max(0, offset - perPage);
  const next = offset + perPage;
  return `<${base}?cursor=0:${prev}:1>; rel="previous"; results="${
    offset > 0
  }"; cursor="0:${prev}:1", ` +
    `<${base}?cursor=0:${next}:0>; rel="next"; results="${hasNext}"; cursor="0:${next}:0"`;
}

/** The list shape of a record (no payload). */
function summary(r: EventRecord) {
  return {
    id: r.id,
    eventID: r.id,
    title: eventTitle(r),
    kind: r.kind,
    projectID: r.project_id,
    dateReceived: new Date(r.received).toISOString(),
    items: r.items,
    url: `/events/${r.id}/`,
  };
}

export function eventsRoutes(env: StatusEnv): Hono {
  const { store } = env;
  const app = new Hono();
  app.get("/api/0/events/", (c) => {
    const offset = parseCursor(c.req.query("cursor"));
    if (offset < 0) return detail(c, 400, "Invalid cursor parameter.");
    const perPage = Number(c.req.query("per_page") ?? PER_PAGE);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > PER_PAGE) {
      return detail(c, 400, `per_page must be an integer from 1 to ${PER_PAGE}`);
    }
    const page = store.page(offset, perPage);
    const hasNext = offset + page.length < store.size;
    return c.json(page.map(summary), 200, {
      link: linkHeader("/api/0/events/", offset, perPage, hasNext),
    });
  });
  app.get("/api/0/events/:id/", (c) => {
    const r = store.get(c.req.param("id"));
    if (!r) return detail(c, 404, "Event not found");
    return c.json({ ...summary(r), sentryKey: r.sentry_key, event: r.event });
  });
  app.delete("/api/0/events/", (c) => {
    env.inbox.clear();
    return c.body(null, 204);
  });
  return app;
}
