// The inbox API: `GET /api/0/events/` lists every stored item (errors, transactions, spans,
// logs, sessions, …) newest first with its id and kind (Sentry's Link/cursor pagination, the
// list views' filters as query parameters), `GET /api/0/events/<id>/` one item with its payload,
// `GET /api/0/events/<id>/attachment/` an attachment's bytes, `DELETE /api/0/events/` clears.

import { Hono } from "hono";
import { matcher, parseFilters, type View } from "../filters.ts";
import { INLINE_IMAGES } from "../html/item-page.ts";
import { detailResponse, type StatusEnv } from "../http.ts";
import type { StoredItem } from "../item-types.ts";

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

/** The list shape of an item (no payload). */
export function summary(it: StoredItem) {
  return {
    id: it.id,
    eventID: it.id,
    kind: it.kind,
    type: it.type,
    title: it.title,
    level: it.level ?? null,
    projectID: it.project_id,
    release: it.release ?? null,
    environment: it.environment ?? null,
    traceID: it.trace_id ?? null,
    spanID: it.span_id ?? null,
    dateCreated: new Date(it.timestamp).toISOString(),
    dateReceived: new Date(it.received).toISOString(),
    envelope: it.envelope,
    size: it.size,
    ...(it.kind === "attachment"
      ? {
        filename: it.filename,
        contentType: it.content_type,
        attachmentURL: `/api/0/events/${it.id}/attachment/`,
      }
      : {}),
    url: `/events/${it.id}/`,
  };
}

export function eventsRoutes(env: StatusEnv): Hono {
  const { store } = env;
  const app = new Hono();
  app.get("/api/0/events/", (c) => {
    const offset = parseCursor(c.req.query("cursor"));
    if (offset < 0) return detailResponse(400, "Invalid cursor parameter.");
    const perPage = Number(c.req.query("per_page") ?? PER_PAGE);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > PER_PAGE) {
      return detailResponse(400, `per_page must be an integer from 1 to ${PER_PAGE}`);
    }
    const view = (c.req.query("view") ?? "all") as View;
    if (!["all", "errors", "logs", "attachments"].includes(view)) {
      return detailResponse(400, "view must be one of all, errors, logs, attachments");
    }
    const filters = parseFilters((k) => c.req.query(k));
    const match = Object.keys(filters).length > 0 || view !== "all"
      ? matcher(view, filters)
      : undefined;
    const page = store.page(offset, perPage + 1, match);
    const hasNext = page.length > perPage;
    return c.json(page.slice(0, perPage).map(summary), 200, {
      link: linkHeader("/api/0/events/", offset, perPage, hasNext),
    });
  });
  app.get("/api/0/events/:id/", (c) => {
    const it = store.get(c.req.param("id"));
    if (!it) return detailResponse(404, "Event not found");
    const env = store.envelope(it.envelope);
    return c.json({
      ...summary(it),
      sentryKey: env?.sentry_key ?? null,
      itemHeader: it.header,
      event: it.payload,
    });
  });
  app.get("/api/0/events/:id/attachment/", (c) => {
    const it = store.get(c.req.param("id"));
    if (!it || it.kind !== "attachment") return detailResponse(404, "Attachment not found");
    const type = (it.content_type ?? "").toLowerCase().split(";")[0]!.trim();
    const inline = INLINE_IMAGES.has(type);
    const name = (it.filename ?? "attachment").replace(/[^\w.\-]+/g, "_").slice(0, 200);
    return c.body((it.bytes ?? new Uint8Array()) as Uint8Array<ArrayBuffer>, 200, {
      // Only the listed image types keep their type (to show inline); everything else is
      // served as bytes to download, so nothing sent by an SDK runs as a page of this origin.
      "content-type": inline ? type : "application/octet-stream",
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="${name}"`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    });
  });
  app.delete("/api/0/events/", (c) => {
    env.inbox.clear();
    return c.body(null, 204);
  });
  return app;
}
