// `POST /mcp` with the MCP SDK's own client: the token is required, the four Spotlight tools
// are listed, and each finds what was ingested (the error, the log, the trace's span tree).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createStatusApp } from "../app.ts";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";

const HOST = "127.0.0.1:8990";
const TOKEN = "t0ken-t0ken-t0ken-t0ken";
const TRACE = "71a8c5e41ae1044dee67f50a07538fe7";
const NOW = Date.UTC(2026, 0, 1, 12, 0, 30);
const T = NOW / 1000 - 5;

function envelope(items: [Record<string, unknown>, unknown][]): string {
  return ["{}", ...items.flatMap(([h, p]) => [JSON.stringify(h), JSON.stringify(p)])].join("\n");
}

const ERROR = envelope([[{ type: "event" }, {
  event_id: "0123456789abcdef0123456789abcdef",
  timestamp: T,
  level: "error",
  contexts: { trace: { trace_id: TRACE, span_id: "aaaaaaaaaaaaaaaa" } },
  exception: {
    values: [{
      type: "TypeError",
      value: "cannot read user",
      stacktrace: {
        frames: [{ filename: "/app/src/users.ts", lineno: 42, function: "loadUser", in_app: true }],
      },
    }],
  },
}]]);
const LOG = envelope([[{ type: "log", item_count: 1 }, {
  items: [{ timestamp: T, level: "warn", body: "cache miss for user 7", trace_id: TRACE }],
}]]);
const TX = envelope([[{ type: "transaction" }, {
  type: "transaction",
  transaction: "GET /users/:id",
  start_timestamp: T,
  timestamp: T + 0.3,
  contexts: { trace: { trace_id: TRACE, span_id: "aaaaaaaaaaaaaaaa", op: "http.server" } },
  spans: [{
    span_id: "bbbbbbbbbbbbbbbb",
    parent_span_id: "aaaaaaaaaaaaaaaa",
    trace_id: TRACE,
    op: "db.query",
    description: "SELECT * FROM users WHERE id = $1",
    start_timestamp: T + 0.05,
    timestamp: T + 0.25,
  }],
}]]);

async function setup(clock = { t: NOW }) {
  const app = createStatusApp(fakeDeps({ now: () => clock.t }));
  for (const body of [ERROR, LOG, TX]) {
    const res = await app.fetch(
      new Request(`http://${HOST}/stream`, { method: "POST", headers: { host: HOST }, body }),
    );
    assert.equal(res.status, 200);
  }
  const fetchIn = (url: string | URL, init?: RequestInit) => {
    const r = new Request(url, init);
    r.headers.set("host", HOST);
    return Promise.resolve(app.fetch(r));
  };
  return { app, fetchIn };
}

function text(result: unknown): string {
  const content = (result as { content: { type: string; text: string }[] }).content;
  return content.map((c) => c.text).join("\n");
}

describe("POST /mcp", () => {
  test("refuses a client without the token", async () => {
    const { fetchIn } = await setup();
    const client = new Client({ name: "test", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(`http://${HOST}/mcp`), {
      fetch: fetchIn,
    });
    await assert.rejects(client.connect(transport));
  });

  test("lists Spotlight's four tools; each finds what was ingested, in Markdown", async () => {
    const { fetchIn } = await setup();
    const client = new Client({ name: "test", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(`http://${HOST}/mcp`), {
      fetch: fetchIn,
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    });
    await client.connect(transport);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, ["get_traces", "search_errors", "search_logs", "search_traces"]);

    const errors = text(await client.callTool({ name: "search_errors", arguments: {} }));
    assert.match(errors, /^## TypeError: cannot read user$/m);
    assert.match(errors, /`\/app\/src\/users\.ts:42` in `loadUser` \(in app\)/);
    const byFile = await client.callTool({
      name: "search_errors",
      arguments: { filters: { filename: "users.ts" } },
    });
    assert.match(text(byFile), /TypeError/);
    const otherFile = await client.callTool({
      name: "search_errors",
      arguments: { filters: { filename: "orders.ts" } },
    });
    assert.doesNotMatch(text(otherFile), /TypeError/);

    const logs = text(await client.callTool({ name: "search_logs", arguments: {} }));
    assert.match(logs, /\*\*WARN\*\* .* `cache miss for user 7`/);
    const paged = await client.callTool({
      name: "search_logs",
      arguments: { filters: { limit: 1, offset: 1 } },
    });
    assert.doesNotMatch(text(paged), /cache miss/);

    const traces = text(await client.callTool({ name: "search_traces", arguments: {} }));
    assert.match(traces, /`71a8c5e4` \*\*GET \/users\/:id\*\* · 300 ms · 2 spans · 1 errors/);
    const tree = text(
      await client.callTool({ name: "get_traces", arguments: { traceId: TRACE.slice(0, 8) } }),
    );
    assert.match(tree, /^- \*\*http\.server\*\* `GET \/users\/:id` · 300 ms/m);
    assert.match(
      tree,
      /^ {2}- \*\*db\.query\*\* `SELECT \* FROM users WHERE id = \$1` · 200 ms \(\+50 ms\)/m,
    );
    const missing = text(
      await client.callTool({ name: "get_traces", arguments: { traceId: "ffffffff" } }),
    );
    assert.match(missing, /No trace ffffffff/);
    await client.close();
  });

  test("the default window is the last minute; a wider timeWindow reaches further", async () => {
    const clock = { t: NOW };
    const { fetchIn } = await setup(clock);
    clock.t = NOW + 120_000;
    const client = new Client({ name: "test", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://${HOST}/mcp`), {
        fetch: fetchIn,
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const recent = await client.callTool({ name: "search_errors", arguments: {} });
    assert.match(text(recent), /No errors in the inbox/);
    const wider = await client.callTool({
      name: "search_errors",
      arguments: { filters: { timeWindow: 300 } },
    });
    assert.match(text(wider), /TypeError: cannot read user/);
    await client.close();
  });
  test("bad input is a JSON-RPC error, not a crash; no GET stream is offered", async () => {
    const { fetchIn } = await setup();
    const rpc = (body: unknown) =>
      fetchIn(`http://${HOST}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const call = (args: unknown) =>
      rpc({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "search_logs", arguments: args },
      });
    const bad = await (await call({ filters: { limit: -1 } })).json() as {
      error: { code: number };
    };
    assert.equal(bad.error.code, -32602);
    const unknown = await (await call({ filters: { since: 1 } })).json() as {
      error: { code: number };
    };
    assert.equal(unknown.error.code, -32602);
    assert.equal((await rpc("{")).status, 400);
    assert.equal((await rpc({ jsonrpc: "2.0", method: "notifications/initialized" })).status, 202);
    const nope = await (await rpc({ jsonrpc: "2.0", id: 2, method: "resources/list" })).json() as {
      error: { code: number };
    };
    assert.equal(nope.error.code, -32601);
    const get = await fetchIn(`http://${HOST}/mcp`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(get.status, 405);
  });
});
