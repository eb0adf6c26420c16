// Page headers middleware: every HTML answer carries a strict Content-Security-Policy (scripts
// and styles only from this origin, no inline script), nosniff and no referrer.

import type { MiddlewareHandler } from "hono";

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; " +
  "frame-ancestors 'none'";

export function pageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if ((c.res.headers.get("content-type") ?? "").startsWith("text/html")) {
      c.res.headers.set("content-security-policy", CSP);
      c.res.headers.set("x-content-type-options", "nosniff");
      c.res.headers.set("referrer-policy", "no-referrer");
    }
  };
}
