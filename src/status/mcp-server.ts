// The MCP endpoint's protocol: JSON-RPC 2.0 over Streamable HTTP, stateless (no session id),
// answering every POST with one JSON body; the server offers no GET stream (405). A small layer
// of its own: the official SDK's server costs 1.6 MiB of the binary (zod, ajv; measured with
// `bun scripts/build.ts`) for the four tools below. Tools and filters are Spotlight's; answers
// are Markdown (mcp-tools.ts). Imported only when a client calls.

import type { FeedEntry } from "./feed.ts";
import { getTrace, searchErrors, searchLogs, searchTraces, type ToolFilters } from "./mcp-tools.ts";

const PROTOCOL_VERSIONS = ["2025-06-18", "2025-03-26", "2024-11-05"];

const FILTERS_SCHEMA = {
  type: "object",
  description:
    "Which items: a time window, a file name, or limit/offset (default: the last 60 seconds).",
  properties: {
    timeWindow: { type: "number", exclusiveMinimum: 0, description: "Seconds to look back." },
    filename: {
      type: "string",
      description:
        "A file name or path suffix: a stack frame's file, a log's code.file.path, a span's code.filepath.",
    },
    limit: { type: "integer", minimum: 0, description: "At most this many results." },
    offset: { type: "integer", minimum: 0, description: "Results to skip first (default 0)." },
  },
  additionalProperties: false,
};

interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

const SEARCH_INPUT = { type: "object", properties: { filters: FILTERS_SCHEMA } };

export const TOOLS: readonly Tool[] = [
  {
    name: "search_errors",
    title: "Search errors",
    description:
      "Errors and exceptions the local inbox received: title, level, time, release, request, tags and the stack trace (file:line, function, source line). Use after reproducing a failure or changing code.",
    inputSchema: SEARCH_INPUT,
  },
  {
    name: "search_logs",
    title: "Search logs",
    description:
      "Log records SDKs sent (Sentry logs): level, time, message, attributes and trace id, newest envelope first.",
    inputSchema: SEARCH_INPUT,
  },
  {
    name: "search_traces",
    title: "Search traces",
    description:
      "Traces from transactions and spans: short and full trace id, root name, duration, span and error counts. Follow up with get_traces.",
    inputSchema: SEARCH_INPUT,
  },
  {
    name: "get_traces",
    title: "Get a trace",
    description:
      "The span tree of one trace: each span's op, description, duration, offset from the trace's start and status.",
    inputSchema: {
      type: "object",
      properties: {
        traceId: {
          type: "string",
          minLength: 8,
          description: "A trace id: all 32 hex characters, or its first 8 or more.",
        },
      },
      required: ["traceId"],
    },
  },
];

class InvalidParams extends Error {}

function parseFilters(args: unknown): ToolFilters {
  const a = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  if (a.filters === undefined || a.filters === null) return {};
  if (typeof a.filters !== "object" || Array.isArray(a.filters)) {
    throw new InvalidParams("filters must be an object");
  }
  const f = a.filters as Record<string, unknown>;
  const out: ToolFilters = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === "filename") {
      if (typeof v !== "string" || v === "") throw new InvalidParams("filename must be a string");
      out.filename = v;
    } else if (k === "timeWindow") {
      if (typeof v !== "number" || !(v > 0)) throw new InvalidParams("timeWindow must be > 0");
      out.timeWindow = v;
    } else if (k === "limit" || k === "offset") {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
        throw new InvalidParams(`${k} must be an integer ≥ 0`);
      }
      out[k] = v;
    } else {
      throw new InvalidParams(`unknown filter '${k}'`);
    }
  }
  return out;
}

function textResult(parts: string[], none: string) {
  return {
    content: (parts.length > 0 ? parts : [none]).map((text) => ({ type: "text", text })),
  };
}

export interface McpContext {
  feed(): readonly FeedEntry[];
  now(): number;
  version: string;
}

function callTool(ctx: McpContext, params: Record<string, unknown>) {
  const args = params.arguments;
  switch (params.name) {
    case "search_errors":
      return textResult(
        searchErrors(ctx.feed(), parseFilters(args), ctx.now()),
        "No errors in the inbox for these filters. Reproduce the failure, then ask again (or widen filters.timeWindow).",
      );
    case "search_logs":
      return textResult(
        searchLogs(ctx.feed(), parseFilters(args), ctx.now()),
        "No logs in the inbox for these filters. Is `enableLogs` on in the SDK? Widen filters.timeWindow to look further back.",
      );
    case "search_traces":
      return textResult(
        searchTraces(ctx.feed(), parseFilters(args), ctx.now()),
        "No traces in the inbox for these filters. Is tracing on in the SDK (tracesSampleRate)?",
      );
    case "get_traces": {
      const id = (args as { traceId?: unknown } | undefined)?.traceId;
      if (typeof id !== "string" || id.trim().length < 8) {
        throw new InvalidParams("traceId must be a string of at least 8 characters");
      }
      const text = getTrace(ctx.feed(), id);
      return textResult(
        text ? [text] : [],
        `No trace ${id} in the inbox; search_traces lists what there is.`,
      );
    }
    default:
      throw new InvalidParams(`unknown tool '${String(params.name)}'`);
  }
}

type Message = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };

/** One JSON-RPC message → its response object, or null for a notification. */
export function handleMessage(ctx: McpContext, msg: Message): Record<string, unknown> | null {
  const isRequest = msg.id !== undefined && msg.id !== null;
  const reply = (result: unknown) => ({ jsonrpc: "2.0", id: msg.id, result });
  const fail = (code: number, message: string) => ({
    jsonrpc: "2.0",
    id: isRequest ? msg.id : null,
    error: { code, message },
  });
  if (msg.jsonrpc !== "2.0" || typeof msg.method !== "string") {
    return fail(-32600, "Invalid Request");
  }
  if (!isRequest) return null; // notifications (initialized, cancelled) need no answer
  const params =
    (typeof msg.params === "object" && msg.params !== null ? msg.params : {}) as Record<
      string,
      unknown
    >;
  try {
    switch (msg.method) {
      case "initialize": {
        const asked = params.protocolVersion;
        return reply({
          protocolVersion: typeof asked === "string" && PROTOCOL_VERSIONS.includes(asked)
            ? asked
            : PROTOCOL_VERSIONS[0],
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: "sentryctl", version: ctx.version },
          instructions:
            "The local Sentry inbox of sentryctl's status server: errors, logs and traces your app sent.",
        });
      }
      case "ping":
        return reply({});
      case "tools/list":
        return reply({ tools: TOOLS });
      case "tools/call":
        return reply(callTool(ctx, params));
      default:
        return fail(-32601, `Method not found: ${msg.method}`);
    }
  } catch (err) {
    if (err instanceof InvalidParams) return fail(-32602, `Invalid params: ${err.message}`);
    throw err;
  }
}

const MAX_BODY = 1024 * 1024;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The HTTP side: POST carries JSON-RPC; GET (a server stream) and DELETE are not offered. */
export async function handleMcp(request: Request, ctx: McpContext): Promise<Response> {
  if (request.method !== "POST") {
    return new Response(null, { status: 405, headers: { allow: "POST" } });
  }
  const text = await request.text();
  if (text.length > MAX_BODY) {
    return json({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "Too large" } }, 413);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }, 400);
  }
  const batch = Array.isArray(body);
  const messages = (batch ? body : [body]) as Message[];
  const out = messages.map((m) => handleMessage(ctx, typeof m === "object" && m ? m : {}))
    .filter((r): r is Record<string, unknown> => r !== null);
  if (out.length === 0) return new Response(null, { status: 202 });
  return json(batch ? out : out[0]);
}
