// POST /api/0/link/: a fresh one-time dashboard link for the running server, for
// `sentryctl serve --link`. Behind the token like every other API route; the link is built
// from the address the client used (the Host allow-list already vouched for it).

import { Hono } from "hono";
import type { OneTimeLink } from "../one-time-link.ts";

export function linkRoutes(link: OneTimeLink): Hono {
  const app = new Hono();
  app.post("/api/0/link/", (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ link: `${origin}/?token=${link.issue()}` }, 200, {
      "cache-control": "no-store",
    });
  });
  return app;
}
