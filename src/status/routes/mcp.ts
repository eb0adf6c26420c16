// `POST /mcp` (SPEC §7a): the MCP endpoint, behind the token (mounted after the auth and Origin
// middleware). Its protocol module is loaded on the first call only.

import { Hono } from "hono";
import type { StatusEnv } from "../http.ts";

export function mcpRoutes(env: StatusEnv): Hono {
  const app = new Hono();
  app.all("/mcp", async (c) => {
    const { handleMcp } = await import("../mcp-server.ts");
    return await handleMcp(c.req.raw, {
      feed: () => env.inbox.feed.all(),
      now: () => env.deps.now(),
      version: env.deps.info().version,
    });
  });
  return app;
}
