// Authentication middleware: the bearer token, the session cookie, or the one-time `/?token=`
// link (exchanged once for a session cookie, then redirected so the code leaves the address bar).
// Pages get an HTML explanation, API clients Sentry's 401 body.

import type { MiddlewareHandler } from "hono";
import type { StatusDeps } from "../deps.ts";
import { messagePage } from "../html/pages.ts";
import { detailResponse } from "../http.ts";
import type { OneTimeLink } from "../one-time-link.ts";
import { bearer, cookieValue, sameSecret, SESSION_COOKIE } from "../security.ts";

export function authCheck(deps: StatusDeps, link: OneTimeLink): MiddlewareHandler {
  // Sessions created by the one-time link; the cookie holds a random id, never the token.
  const sessions = new Set<string>();
  return async (c, next) => {
    const token = bearer(c.req.header("authorization") ?? null);
    if (token !== null && sameSecret(token, deps.token)) return await next();
    const session = cookieValue(c.req.header("cookie") ?? null, SESSION_COOKIE);
    if (session !== null && sessions.has(session)) return await next();
    const offered = c.req.path === "/" ? c.req.query("token") : undefined;
    if (offered !== undefined) {
      if (link.redeem(offered) || sameSecret(offered, deps.token)) {
        const id = crypto.randomUUID().replaceAll("-", "") +
          crypto.randomUUID().replaceAll("-", "");
        sessions.add(id);
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
            ? "This link has already been used or is not valid. Run `sentryctl serve --link` for a new one, or send the token from the status-token file as a bearer token."
            : "Open the one-time link that `sentryctl serve` printed, or send the token from the status-token file as a bearer token.",
        ),
        401,
      );
    }
    return detailResponse(401, "Authentication credentials were not provided.", {
      "www-authenticate": 'Bearer realm="sentryctl"',
    });
  };
}
