// Host allow-list middleware (every route, open ones included): a request whose Host is not an
// allowed name is refused, so a DNS-rebinding page cannot reach the server under its own name.

import type { MiddlewareHandler } from "hono";
import { detailResponse } from "../http.ts";
import { hostAllowed } from "../security.ts";

export function hostCheck(allowedHosts: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? null;
    if (!hostAllowed(host, allowedHosts)) {
      return detailResponse(403, `Host '${host ?? ""}' is not allowed`);
    }
    await next();
  };
}
