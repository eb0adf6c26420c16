// createStatusApp(deps): the status server as a Hono app (SPEC §7). It does not listen; `serve`
// and `attach --status` hand its `fetch` to the runtime adapter. Order of the checks: Host
// allow-list (every route), then ingest and the open routes, then the token (bearer, session
// cookie, or the one-time `/?token=` link), then the Origin check on state changes.

import { Hono } from "hono";
import type { Context } from "hono";
import { isSentryctlError } from "../errors.ts";
import { readLimited } from "./body.ts";
import { DEFAULT_LIMITS, type IngestLimits, type StatusDeps } from "./deps.ts";
import { MalformedInput, TooLarge } from "./envelope.ts";
import { type EventRecord, EventStore } from "./event-store.ts";
import { EnvelopeFeed } from "./feed.ts";
import { Inbox } from "./inbox.ts";
import { Journal } from "./journal.ts";
import { sidecarRoutes, streamRoutes } from "./routes/sidecar.ts";
import { APP_CSS, APP_JS } from "./html/assets.ts";
import {
  dashboardPage,
  eventPage,
  eventTitle,
  inboxRows,
  logsPage,
  messagePage,
  rateChart,
  servicesRows,
} from "./html/pages.ts";
import { type Ingested, readEnvelope, readStoreEvent, sentryKey } from "./ingest.ts";
import { StatsSampler } from "./sampler.ts";
import {
  bearer,
  cookieValue,
  corsOrigin,
  hostAllowed,
  originAllowed,
  sameSecret,
  SESSION_COOKIE,
} from "./security.ts";
import { sseResponse } from "./sse.ts";

export interface StatusApp {
  app: Hono;
  fetch: (request: Request) => Response | Promise<Response>;
  events: EventStore;
  inbox: Inbox;
  sampler: StatsSampler;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function detail(c: Context, status: number, message: string, headers?: Record<string, string>) {
  return c.json({ detail: message }, status as 400, headers);
}

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
  return `<${base}?cursor=0:${prev}:1>; rel="previous"; results="${
    offset > 0
  }"; cursor="0:${prev}:1", ` +
    `<${base}?cursor=0:${offset + perPage}:0>; rel="next"; results="${hasNext}"; cursor="0:${
      offset + perPage
    }:0"`;
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

export function createStatusApp(deps: StatusDeps): StatusApp {
  const limits: IngestLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const events = new EventStore(deps.buffer);
  const feed = new EnvelopeFeed({
    maxEntries: deps.buffer?.maxEvents,
    maxBytes: deps.buffer?.maxBytes,
  });
  const journal = deps.journalPath
    ? new Journal(deps.journalPath, {
      maxRecords: feed.maxEntries,
      maxBytes: feed.maxBytes,
      current: () => feed.all(),
      onError: deps.onJournalError,
    })
    : undefined;
  const inbox = new Inbox(events, feed, journal);
  const sampler = new StatsSampler(deps.services);
  const app = new Hono();
  // Sessions created by the one-time link; the cookie holds a random id, never the token.
  const sessions = new Set<string>();
  let oneTimeCode = deps.oneTimeCode;

  // Unknown names are answered 404 by the routes themselves; what reaches here is a refusal
  // (409, e.g. a service without a container), Docker gone (503) or Docker's own error (502).
  app.onError((err, c) => {
    if (!isSentryctlError(err)) return detail(c, 500, "Internal Error");
    const status = err.category === "docker_unavailable"
      ? 503
      : err.category === "docker_api" || err.category === "unhealthy"
      ? 502
      : 409;
    return detail(c, status, err.message);
  });

  app.notFound((c) => detail(c, 404, "The requested resource does not exist"));

  // Every route: refuse unknown Host names (DNS rebinding).
  app.use("*", async (c, next) => {
    const host = c.req.header("host") ?? null;
    if (!hostAllowed(host, deps.allowedHosts)) {
      return detail(c, 403, `Host '${host ?? ""}' is not allowed`);
    }
    await next();
  });

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

  // --- ingest -------------------------------------------------------------------------------
  const ingest =
    (read: (r: Request, l: IngestLimits) => Promise<Ingested>) => async (c: Context) => {
      const cors = corsOrigin(c.req.header("origin") ?? null);
      const corsHeaders: Record<string, string> = cors
        ? { "access-control-allow-origin": cors, vary: "Origin" }
        : {};
      const url = new URL(c.req.url);
      const projectId = c.req.param("project") ?? "0";
      if (!/^\d+$/.test(projectId)) {
        return detail(c, 400, "project id must be a number", corsHeaders);
      }
      let got: Ingested;
      try {
        got = await read(c.req.raw, limits);
      } catch (err) {
        if (err instanceof TooLarge) return detail(c, 413, err.reason, corsHeaders);
        if (err instanceof MalformedInput) return detail(c, 400, err.reason, corsHeaders);
        throw err;
      }
      const { record } = inbox.accept(got, {
        projectId,
        sentryKey: sentryKey(c.req.raw, url),
        received: deps.now(),
        userAgent: c.req.header("user-agent") ?? null,
      });
      for (const item of got.envelope.items) deps.onIngest?.(item.type, projectId);
      if (c.req.path === "/stream") return c.body(null, 200, corsHeaders);
      return c.json({ id: record.id }, 200, corsHeaders);
    };
  const preflight = (c: Context) => {
    const cors = corsOrigin(c.req.header("origin") ?? null);
    if (!cors) return c.body(null, 204);
    return c.body(null, 204, {
      "access-control-allow-origin": cors,
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers":
        "content-type, content-encoding, x-sentry-auth, sentry-trace, baggage",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  };
  for (const path of ["/api/:project{[^/]+}/envelope", "/api/:project{[^/]+}/envelope/"]) {
    app.post(path, ingest(readEnvelope));
    app.options(path, preflight);
  }
  for (const path of ["/api/:project{[^/]+}/store", "/api/:project{[^/]+}/store/"]) {
    app.post(path, ingest(readStoreEvent));
    app.options(path, preflight);
  }
  app.post("/stream", ingest(readEnvelope));
  app.options("/stream", preflight);
  app.route("/", streamRoutes({ feed }));

  // --- authentication -----------------------------------------------------------------------
  app.use("*", async (c, next) => {
    const token = bearer(c.req.header("authorization") ?? null);
    if (token !== null && sameSecret(token, deps.token)) return await next();
    const session = cookieValue(c.req.header("cookie") ?? null, SESSION_COOKIE);
    if (session !== null && sessions.has(session)) return await next();
    const offered = c.req.path === "/" ? c.req.query("token") : undefined;
    if (offered !== undefined) {
      const oneTime = oneTimeCode !== undefined && sameSecret(offered, oneTimeCode);
      if (oneTime || sameSecret(offered, deps.token)) {
        if (oneTime) oneTimeCode = undefined; // one use only
        const id = crypto.randomUUID().replaceAll("-", "") +
          crypto.randomUUID().replaceAll("-", "");
        sessions.add(id);
        // Redirect so the code leaves the address bar and history.
        return c.body(null, 303, {
          location: "/",
          "set-cookie": `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`,
          "cache-control": "no-store",
          "referrer-policy": "no-referrer",
        });
      }
    }
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html") &&
      !c.req.path.startsWith("/api/");
    if (wantsHtml) {
      return c.html(
        messagePage(
          deps.info(),
          "Authentication required",
          offered !== undefined
            ? "This link has already been used or is not valid. Run `sentryctl serve` again for a new link, or send the token from the status-token file as a bearer token."
            : "Open the one-time link that `sentryctl serve` printed, or send the token from the status-token file as a bearer token.",
        ),
        401,
      );
    }
    return detail(c, 401, "Authentication credentials were not provided.", {
      "www-authenticate": 'Bearer realm="sentryctl"',
    });
  });

  // State changes from browsers must come from this server's own pages.
  app.use("*", async (c, next) => {
    const m = c.req.method;
    if (m !== "GET" && m !== "HEAD" && m !== "OPTIONS") {
      if (
        !originAllowed(
          c.req.header("origin") ?? null,
          c.req.header("sec-fetch-site") ?? null,
          c.req.header("host") ?? null,
          deps.allowedHosts,
        )
      ) {
        return detail(c, 403, "Cross-origin request refused");
      }
    }
    await next();
  });

  // Pages carry a strict CSP; the dashboard's script is same-origin.
  app.use("*", async (c, next) => {
    await next();
    if ((c.res.headers.get("content-type") ?? "").startsWith("text/html")) {
      c.res.headers.set("content-security-policy", CSP);
      c.res.headers.set("x-content-type-options", "nosniff");
      c.res.headers.set("referrer-policy", "no-referrer");
    }
  });

  app.route(
    "/",
    sidecarRoutes({
      feed,
      clearInbox: () => inbox.clear(),
      sourceRoot: deps.sourceRoot ?? ".",
      loopback: deps.loopback ?? false,
      editorEnv: deps.editorEnv ?? {},
      launch: deps.launch ?? (() => Promise.reject(new Error("launching programs is disabled"))),
    }),
  );

  // --- API ----------------------------------------------------------------------------------
  app.get("/api/0/status/", (c) => {
    const info = deps.info();
    return c.json({ ...info, services: deps.services.list() });
  });

  app.get("/api/0/devservices/", (c) => c.json(deps.services.list()));

  const findService = (name: string) => deps.services.list().find((s) => s.service === name);

  app.get("/api/0/devservices/:name/", (c) => {
    const s = findService(c.req.param("name"));
    return s ? c.json(s) : detail(c, 404, `Service \`${c.req.param("name")}\` is not known`);
  });

  app.put("/api/0/devservices/:name/", async (c) => {
    const name = c.req.param("name");
    if (!findService(name)) return detail(c, 404, `Service \`${name}\` is not known`);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(await readSmall(c.req.raw)));
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
    if (!findService(name)) return detail(c, 404, `Service \`${name}\` is not known`);
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

  app.get("/api/0/events/", (c) => {
    const offset = parseCursor(c.req.query("cursor"));
    if (offset < 0) return detail(c, 400, "Invalid cursor parameter.");
    const perPageRaw = Number(c.req.query("per_page") ?? PER_PAGE);
    if (!Number.isInteger(perPageRaw) || perPageRaw < 1 || perPageRaw > PER_PAGE) {
      return detail(c, 400, `per_page must be an integer from 1 to ${PER_PAGE}`);
    }
    const page = events.page(offset, perPageRaw);
    const hasNext = offset + page.length < events.size;
    return c.json(page.map(summary), 200, {
      link: linkHeader("/api/0/events/", offset, perPageRaw, hasNext),
    });
  });

  app.get("/api/0/events/:id/", (c) => {
    const r = events.get(c.req.param("id"));
    if (!r) return detail(c, 404, "Event not found");
    return c.json({ ...summary(r), sentryKey: r.sentry_key, event: r.event });
  });

  app.delete("/api/0/events/", (c) => {
    inbox.clear();
    return c.body(null, 204);
  });

  // The dashboard's live stream: services rows, inbox rows and the rate chart as fragments.
  app.get("/api/0/live/", (c) =>
    sseResponse(c.req.raw, (ch) => {
      let pending: ReturnType<typeof setTimeout> | undefined;
      const pushServices = () => {
        if (pending) return;
        // Coalesce bursts (a stop emits several Docker events; samples arrive per service).
        pending = setTimeout(() => {
          pending = undefined;
          ch.send("services", servicesRows(deps.services.list(), (n) => sampler.history(n)));
        }, 100);
      };
      const unsubscribe = deps.services.subscribe(pushServices);
      const release = sampler.acquire(pushServices);
      // Under a burst of ingest the inbox is re-rendered at most four times a second, so an
      // open dashboard cannot slow ingest down.
      let inboxPending: ReturnType<typeof setTimeout> | undefined;
      const stopEvents = events.subscribe(() => {
        if (inboxPending) return;
        inboxPending = setTimeout(() => {
          inboxPending = undefined;
          ch.send("events", inboxRows(events.page(0, 50)));
          ch.send("rate", rateChart(events.perMinute(deps.now(), 30)));
        }, 250);
      });
      ch.signal.addEventListener("abort", () => {
        if (pending) clearTimeout(pending);
        if (inboxPending) clearTimeout(inboxPending);
        unsubscribe();
        release();
        stopEvents();
      }, { once: true });
      ch.send("services", servicesRows(deps.services.list(), (n) => sampler.history(n)));
    }));

  // --- pages --------------------------------------------------------------------------------
  app.get("/", (c) => {
    const info = deps.info();
    const host = c.req.header("host") ?? "127.0.0.1";
    return c.html(dashboardPage({
      info,
      services: servicesRows(deps.services.list(), (n) => sampler.history(n)),
      inbox: inboxRows(events.page(0, 50)),
      rate: rateChart(events.perMinute(deps.now(), 30)),
      dsn: `http://sentryctl@${host}/1`,
    }));
  });

  app.get("/services/:name/logs/", (c) => {
    const name = c.req.param("name");
    if (!findService(name)) {
      return c.html(messagePage(deps.info(), "Service not found", `No service ${name}.`), 404);
    }
    return c.html(logsPage(deps.info(), name));
  });

  app.get("/events/:id/", (c) => {
    const r = events.get(c.req.param("id"));
    if (!r) {
      return c.html(
        messagePage(deps.info(), "Event not found", "No such event in the buffer."),
        404,
      );
    }
    return c.html(eventPage(deps.info(), r));
  });

  return { app, fetch: (request) => app.fetch(request), events, inbox, sampler };
}

function readSmall(request: Request): Promise<Uint8Array> {
  return readLimited(request, 64 * 1024);
}
