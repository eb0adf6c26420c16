// Origin middleware: state changes (anything but GET/HEAD/OPTIONS) from browsers must come from
// this server's own pages; clients that are not browsers send no Origin and rely on the token.

import type { MiddlewareHandler } from "hono";
import { detailResponse } from "../http.ts";
import { originAllowed } from "../security.ts";

export function originCheck(allowedHosts: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const m = c.req.method;
    if (m !== "GET" && m !== "HEAD" && m !== "OPTIONS") {
      const ok = originAllowed(
        c.req.header("origin") ?? null,
        c.req.header("sec-fetch-site") ?? null,
        c.req.header("host") ?? null,
        allowedHosts,
      );
      if (!ok) return detailResponse(403, "Cross-origin request refused");
    }
    await next();
  };
}
