// Credentials reach only their origin (SPEC §6, issue 19 item 8): absolute paths and pagination
// links to other origins go without the token (or an Authorization/Cookie header given with -H);
// real loopback servers check that `runApi` and the runtime's fetch keep to it, redirects too.
// The address a running `serve` records is found, and a stale record is ignored (issue 22).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient } from "./client.ts";
import { runApi } from "./command.ts";
import { readServerRecord, recordPath, recordServer } from "./local-server.ts";

function recordingFetch(pages: Array<{ data: unknown; link?: string }>) {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetch = (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string> });
    const page = pages.shift()!;
    return Promise.resolve(
      new Response(JSON.stringify(page.data), {
        headers: page.link ? { link: page.link } : {},
      }),
    );
  };
  return { calls, fetch };
}

const next = (url: string) => `<${url}>; rel="next"; results="true"; cursor="c"`;

describe("the client sends credentials only to the token's origin", () => {
  test("an absolute path to another port or host gets no Authorization or Cookie", async () => {
    const { calls, fetch } = recordingFetch([{ data: 1 }, { data: 2 }, { data: 3 }]);
    const client = new ApiClient({
      baseUrl: "http://127.0.0.1:8990",
      token: "secret",
      fetch,
      headers: { Cookie: "c=1", "X-Extra": "kept", authorization: "Bearer user" },
    });
    await client.get("http://127.0.0.1:8991/api/0/x/");
    await client.get("http://evil.example/api/0/x/");
    await client.get("http://127.0.0.1:8990/api/0/x/");
    assert.deepEqual(calls[0]!.headers, { Accept: "application/json", "X-Extra": "kept" });
    assert.deepEqual(calls[1]!.headers, { Accept: "application/json", "X-Extra": "kept" });
    assert.equal(calls[2]!.headers.Authorization, "Bearer secret");
    assert.equal(calls[2]!.headers.Cookie, "c=1");
  });

  test("--paginate follows a Link to another origin without the token, and back with it", async () => {
    const { calls, fetch } = recordingFetch([
      { data: [1], link: next("http://127.0.0.1:9999/api/0/x/?cursor=1") },
      { data: [2], link: next("http://127.0.0.1:8990/api/0/x/?cursor=2") },
      { data: [3] },
    ]);
    const client = new ApiClient({ baseUrl: "http://127.0.0.1:8990", token: "secret", fetch });
    assert.deepEqual(await client.paginate("GET", "/x/"), [1, 2, 3]);
    assert.deepEqual(calls.map((c) => c.headers.Authorization), [
      "Bearer secret",
      undefined,
      "Bearer secret",
    ]);
  });

  test("tokenOrigin narrows the token to one origin even when the base has a path", async () => {
    const { calls, fetch } = recordingFetch([{ data: 1 }, { data: 2 }]);
    const client = new ApiClient({
      baseUrl: "https://s.example/prefix",
      tokenOrigin: "https://s.example",
      token: "t",
      fetch,
    });
    await client.get("/x/");
    await client.get("http://s.example/api/0/x/"); // same host, other scheme: another origin
    assert.equal(calls[0]!.url, "https://s.example/prefix/api/0/x/");
    assert.equal(calls[0]!.headers.Authorization, "Bearer t");
    assert.equal(calls[1]!.headers.Authorization, undefined);
  });
});

// --- real servers -------------------------------------------------------------------------

interface Seen {
  port: number;
  path: string;
  auth?: string;
}

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

async function listen(
  handler: (port: number, path: string) => Reply,
  seen: Seen[],
): Promise<{ server: Server; port: number }> {
  let port = 0;
  const server = createServer((req, res) => {
    seen.push({ port, path: req.url!, auth: req.headers.authorization });
    const r = handler(port, req.url!);
    res.writeHead(r.status ?? 200, { "content-type": "application/json", ...r.headers });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  return { server, port };
}

function sink() {
  let text = "";
  return {
    write: (s: string) => void (text += s),
    get text() {
      return text;
    },
  };
}

function stateDir(token = "status-secret-0123456789"): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-api-cred-"));
  writeFileSync(join(dir, "status-token"), `${token}\n`, { mode: 0o600 });
  return dir;
}

describe("runApi against real loopback servers", () => {
  test("the status token reaches the recorded serve only: not another port, not a Link, not a redirect", async () => {
    const seen: Seen[] = [];
    const other = await listen(() => ({ body: "[2]" }), seen);
    const local = await listen((_port, path): Reply => {
      if (path.startsWith("/api/0/list/")) {
        return {
          headers: { link: next(`http://127.0.0.1:${other.port}/api/0/more/`) },
          body: "[1]",
        };
      }
      if (path.startsWith("/api/0/redirect/")) {
        return {
          status: 307,
          headers: { location: `http://127.0.0.1:${other.port}/api/0/landed/` },
          body: "",
        };
      }
      return { body: "{}" };
    }, seen);
    const dir = stateDir();
    const unrecord = recordServer(dir, `http://127.0.0.1:${local.port}/`);
    try {
      const base = {
        method: undefined,
        rawFields: [],
        typedFields: [],
        headers: [],
        paginate: false,
        env: { SENTRY_AUTH_TOKEN: "sentry-secret" },
        // status.bind names a port nothing listens on: the record must win.
        statusBind: "127.0.0.1:1",
        stateDir: dir,
      };
      const out = sink();
      // 1. The default base is the recorded address, with the status token.
      await runApi({ ...base, path: "/status/", stdout: out });
      // 2. An absolute URL to another port: no credential at all.
      await runApi({ ...base, path: `http://127.0.0.1:${other.port}/api/0/x/`, stdout: out });
      // 3. A pagination Link to another origin.
      await runApi({ ...base, path: "/list/", paginate: true, stdout: out });
      // 4. A redirect to another origin (the runtime's fetch must drop Authorization).
      await runApi({ ...base, path: "/redirect/", stdout: out });
      const auth = (port: number) => seen.filter((s) => s.port === port).map((s) => s.auth);
      assert.deepEqual(auth(local.port), [
        "Bearer status-secret-0123456789",
        "Bearer status-secret-0123456789",
        "Bearer status-secret-0123456789",
      ]);
      assert.deepEqual(auth(other.port), [undefined, undefined, undefined]);
      assert.deepEqual(seen.filter((s) => s.port === other.port).map((s) => s.path), [
        "/api/0/x/",
        "/api/0/more/",
        "/api/0/landed/",
      ]);
      assert.match(out.text, /\[\n {2}1,\n {2}2\n\]/);
    } finally {
      unrecord();
      local.server.close();
      other.server.close();
    }
  });

  test("a 401 from the local server says how to pass --token", async () => {
    const seen: Seen[] = [];
    const local = await listen(() => ({ status: 401, body: '{"detail":"no"}' }), seen);
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-api-cred-"));
    try {
      await assert.rejects(
        runApi({
          path: "/status/",
          rawFields: [],
          typedFields: [],
          headers: [],
          paginate: false,
          env: {},
          statusBind: `127.0.0.1:${local.port}`,
          stateDir: dir,
          stdout: sink(),
        }),
        (e: Error & { hint?: string; exitCode?: number }) => {
          assert.equal(e.message, 'status=401 body={"detail":"no"}');
          assert.equal(e.exitCode, 1);
          assert.match(e.hint!, /--token "\$\(cat .*status-token\)"/);
          return true;
        },
      );
      assert.equal(seen[0]!.auth, undefined, "no token file: nothing sent");
    } finally {
      local.server.close();
    }
  });
});

describe("the address record of a running serve", () => {
  test("written whole, read back as an origin, removed by its writer only", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-record-"));
    const remove = recordServer(dir, "http://127.0.0.1:18991/");
    assert.deepEqual(readdirSync(dir), ["status-server.json"], "no temporary file left");
    assert.deepEqual(readServerRecord(dir), { pid: process.pid, url: "http://127.0.0.1:18991" });
    // A second serve replaced it: the first one's exit must not remove the second's record.
    const removeSecond = recordServer(dir, "http://127.0.0.1:18992/", process.pid);
    remove();
    assert.equal(readServerRecord(dir)?.url, "http://127.0.0.1:18992");
    removeSecond();
    assert.equal(existsSync(recordPath(dir)), false);
  });

  test("a record whose process is gone, or a malformed one, is ignored", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentryctl-record-"));
    recordServer(dir, "http://127.0.0.1:18991", 4_000_000);
    assert.equal(readServerRecord(dir, { alive: () => false }), undefined);
    assert.equal(readServerRecord(dir), undefined, "pid 4000000 does not exist");
    assert.equal(readServerRecord(dir, { alive: () => true })?.url, "http://127.0.0.1:18991");
    for (
      const bad of [
        "",
        "{",
        "null",
        '{"pid":1}',
        '{"pid":"1","url":"http://h:1"}',
        '{"pid":1,"url":"file:///x"}',
      ]
    ) {
      writeFileSync(recordPath(dir), bad);
      assert.equal(readServerRecord(dir, { alive: () => true }), undefined, bad);
    }
  });
});
