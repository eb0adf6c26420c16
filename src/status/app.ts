// createStatusApp(deps): the status server as a Hono app (SPEC §7), composed of middleware
// modules (middleware/) and route modules (routes/) mounted with `app.route()`. It does not
// listen; `serve` and `attach --status` hand its `fetch` to the runtime adapter. Order: Host
// allow-list (every route), then the open routes (health, metrics, assets, ingest), then the
// token (bearer, session cookie or one-time link), the Origin check on state changes and the
// page headers, then the authenticated routes.

import { Hono } from "hono";
import { DEFAULT_LIMITS, type StatusDeps } from "./deps.ts";
import { EventStore } from "./event-store.ts";
import { EnvelopeFeed } from "./feed.ts";
import { Inbox } from "./inbox.ts";
import { Journal } from "./journal.ts";
import { detailResponse, errorAnswer, type StatusEnv } from "./http.ts";
import { authCheck } from "./middleware/auth.ts";
import { pageHeaders } from "./middleware/csp.ts";
import { hostCheck } from "./middleware/host.ts";
import { originCheck } from "./middleware/origin.ts";
import { devservicesRoutes } from "./routes/devservices.ts";
import { eventsRoutes } from "./routes/events.ts";
import { ingestFastPath, ingestRoutes } from "./routes/ingest.ts";
import { liveRoutes } from "./routes/live.ts";
import { openRoutes } from "./routes/open.ts";
import { pageRoutes } from "./routes/pages.ts";
import { linkRoutes } from "./routes/link.ts";
import { mcpRoutes } from "./routes/mcp.ts";
import { OneTimeLink } from "./one-time-link.ts";
import { sidecarRoutes, streamRoutes } from "./routes/sidecar.ts";
import { StatsSampler } from "./sampler.ts";

export interface StatusApp {
  app: Hono;
  fetch: (request: Request) => Response | Promise<Response>;
  events: EventStore;
  inbox: Inbox;
  sampler: StatsSampler;
  /** What route modules are built from; pass it to `mount` for more routes. */
  env: StatusEnv;
}

/** Route modules added after the built-in ones (e.g. the Spotlight sidecar routes). */
export type RouteModule = (env: StatusEnv) => Hono;

export interface StatusAppOptions {
  /** Mounted before the token check (open under the Host rule, like ingest). */
  openRoutes?: RouteModule[];
  /** Mounted after the token, Origin and page-header middleware. */
  routes?: RouteModule[];
}

export function createStatusApp(deps: StatusDeps, opts: StatusAppOptions = {}): StatusApp {
  const store = new EventStore(deps.buffer);
  const feed = new EnvelopeFeed({
    maxEntries: deps.buffer?.maxEvents,
    maxBytes: deps.buffer?.maxBytes,
  });
  const journal = deps.journalPath
    ? new Journal(deps.journalPath, {
      maxRecords: feed.maxEntries,
      maxBytes: feed.maxBytes,
      onError: deps.onJournalError,
    })
    : undefined;
  const env: StatusEnv = {
    deps,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    store,
    inbox: new Inbox(store, feed, journal, { onDuplicate: deps.onDuplicate }),
    sampler: new StatsSampler(deps.services),
  };
  const app = new Hono();
  app.onError((err) => {
    const { status, message } = errorAnswer(err);
    return detailResponse(status, message);
  });
  app.notFound(() => detailResponse(404, "The requested resource does not exist"));

  app.use("*", hostCheck(deps.allowedHosts));
  app.route("/", openRoutes(deps));
  app.route("/", ingestRoutes(env));
  app.route("/", streamRoutes(env));
  for (const mod of opts.openRoutes ?? []) app.route("/", mod(env));

  const link = new OneTimeLink(deps.oneTimeCode);
  app.use("*", authCheck(deps, link));
  app.use("*", originCheck(deps.allowedHosts));
  app.use("*", pageHeaders());

  app.route("/", devservicesRoutes(env));
  app.route("/", eventsRoutes(env));
  app.route("/", liveRoutes(env));
  app.route("/", pageRoutes(env));
  app.route("/", sidecarRoutes(env));
  app.route("/", mcpRoutes(env));
  app.route("/", linkRoutes(link));
  for (const mod of opts.routes ?? []) app.route("/", mod(env));

  // SDKs' envelopes and Spotlight's POST /stream skip the router (routes/ingest.ts).
  const fast = ingestFastPath(env);
  return {
    app,
    fetch: (request) => fast(request) ?? app.fetch(request),
    events: env.store,
    inbox: env.inbox,
    sampler: env.sampler,
    env,
  };
}
