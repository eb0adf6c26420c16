// End-to-end: `sentryctl api` against a real loopback HTTP server started here: the /api/0
// prefix rule, methods and bodies (-d, --input, -f, -F, GET fields as query), the token order
// (--token > SENTRY_AUTH_TOKEN > status-token file, the file only for the status server's own
// origin), ApiError output and exit code, Link-cursor pagination, and unreachable servers.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, testEnv } from "../helpers/cli.ts";

interface Seen {
  method: string;
  url: string;
  auth?: string;
  contentType?: string;
  body: string;
}

let server: Server;
let port = 0;
const seen: Seen[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => resolve(body));
  });
}

before(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url!, "http://x");
    seen.push({
      method: req.method!,
      url: req.url!,
      auth: req.headers.authorization,
      contentType: req.headers["content-type"],
      body,
    });
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(data));
    };
    if (url.pathname === "/api/0/echo/") {
      return json(200, { method: req.method, query: url.search, body });
    }
    if (url.pathname === "/api/0/devservices/redis/" && req.method === "PUT") {
      return json(200, { name: "redis", state: JSON.parse(body).state });
    }
    if (url.pathname === "/api/0/items/") {
      // Sentry's cursor pagination: three pages of two items, absolute next links.
      const page = Number(url.searchParams.get("cursor")?.split(":")[1] ?? 0);
      const base = `http://127.0.0.1:${port}/api/0/items/`;
      const link = (p: number, rel: string, results: boolean) =>
        `<${base}?cursor=0:${p}:0>; rel="${rel}"; results="${results}"; cursor="0:${p}:0"`;
      return json(200, [page * 2 + 1, page * 2 + 2], {
        Link: `${link(Math.max(page - 1, 0), "previous", page > 0)}, ${
          link(page + 1, "next", page < 2)
        }`,
      });
    }
    if (url.pathname === "/api/0/loop/") {
      return json(200, [1], { Link: `</api/0/loop/>; rel="next"; results="true"; cursor="x"` });
    }
    if (url.pathname === "/api/0/size/") return json(200, { bytes: Buffer.byteLength(body) });
    if (url.pathname === "/api/0/text/") {
      res.writeHead(200, { "Content-Type": "text/plain" });
      return res.end("plain words");
    }
    if (url.pathname === "/api/0/empty/") {
      res.writeHead(204);
      return res.end();
    }
    return json(404, { detail: "The requested resource does not exist" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A config dir whose status.bind is the test server, with a status-token file. */
function statusConfig(token = "file-token-123"): string {
  const dir = mkdtempSync(join(tmpdir(), "sentryctl-api-"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "config.yml"),
    // A config.yml needs system.secret-key (Sentry's fatal check runs before options are read).
    `system.secret-key: '${"k".repeat(50)}'\nstatus.bind: '127.0.0.1:${port}'\n` +
      `system.url-prefix: 'http://localhost:${port}'\n`,
  );
  writeFileSync(join(dir, "status-token"), `${token}\n`, { mode: 0o600 });
  return dir;
}

async function api(args: string[], extraEnv: Record<string, string> = {}, input?: string) {
  seen.length = 0;
  const r = await runCli(["api", ...args], { env: testEnv(extraEnv), input });
  return { ...r, requests: [...seen] };
}

describe("sentryctl api", () => {
  test("PUT with -f goes to /api/0/devservices/redis/ as JSON with the status-token file's token", async () => {
    const conf = statusConfig();
    const r = await api([
      "--config",
      conf,
      "-X",
      "PUT",
      "/devservices/redis/",
      "-f",
      "state=stopped",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{\n  "name": "redis",\n  "state": "stopped"\n}\n');
    assert.deepEqual(r.requests, [{
      method: "PUT",
      url: "/api/0/devservices/redis/",
      auth: "Bearer file-token-123",
      contentType: "application/json",
      body: '{"state":"stopped"}',
    }]);
  });

  test("the prefix is added unless /api/0 occurs in the path; no leading slash is fine", async () => {
    const conf = statusConfig();
    for (const path of ["/echo/", "echo/", "/api/0/echo/", "api/0/echo/"]) {
      const r = await api(["--config", conf, path]);
      assert.equal(r.code, 0, `${path}: ${r.stderr}`);
      assert.equal(r.requests[0]!.url, "/api/0/echo/", path);
      assert.equal(r.requests[0]!.method, "GET");
    }
  });

  test("a 404 prints status=404 body=<body> and exits 1", async () => {
    const r = await api(["--config", statusConfig(), "/devservices/nope/"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      'error: status=404 body={"detail":"The requested resource does not exist"}\n',
    );
  });

  test("--paginate follows three pages of Link cursors and prints one merged array", async () => {
    const r = await api(["--config", statusConfig(), "/items/", "--paginate"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(r.requests.map((q) => q.url), [
      "/api/0/items/",
      "/api/0/items/?cursor=0:1:0",
      "/api/0/items/?cursor=0:2:0",
    ]);
    assert.ok(r.requests.every((q) => q.auth === "Bearer file-token-123"));
    const single = await api(["--config", statusConfig(), "/items/"]);
    assert.deepEqual(JSON.parse(single.stdout), [1, 2]);
  });

  test("a server that always says 'next' to the same page is stopped, exit 1", async () => {
    const r = await api(["--config", statusConfig(), "/loop/", "--paginate"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: pagination loops: http:\/\/127\.0\.0\.1:\d+\/api\/0\/loop\/ was already fetched\n/,
    );
  });

  test("bodies: -F typed values, -d JSON, --input file and stdin; POST by default; GET fields become the query", async () => {
    const conf = statusConfig();
    const typed = await api([
      "--config",
      conf,
      "/echo/",
      "-F",
      "n=42",
      "-F",
      "ok=true",
      "-F",
      "none=null",
      "-F",
      "f=1.5",
      "-F",
      "s=abc",
      "-f",
      "raw=42",
    ]);
    assert.equal(typed.code, 0, typed.stderr);
    assert.equal(typed.requests[0]!.method, "POST");
    assert.deepEqual(JSON.parse(typed.requests[0]!.body), {
      raw: "42",
      n: 42,
      ok: true,
      none: null,
      f: 1.5,
      s: "abc",
    });
    const data = await api(["--config", conf, "/echo/", "-d", '{"a":[1,2]}']);
    assert.equal(data.requests[0]!.body, '{"a":[1,2]}');
    assert.equal(data.requests[0]!.method, "POST");
    const file = join(conf, "body.json");
    writeFileSync(file, '{"from":"file"}');
    const fromFile = await api(["--config", conf, "-X", "PATCH", "/echo/", "--input", file]);
    assert.equal(fromFile.requests[0]!.method, "PATCH");
    assert.equal(fromFile.requests[0]!.body, '{"from":"file"}');
    const fromStdin = await api(
      ["--config", conf, "/echo/", "--input", "-"],
      {},
      '{"from":"stdin"}',
    );
    assert.equal(fromStdin.requests[0]!.body, '{"from":"stdin"}');
    const query = await api(["--config", conf, "-X", "GET", "/echo/", "-f", "q=a b", "-F", "n=1"]);
    assert.equal(query.requests[0]!.url, "/api/0/echo/?q=a+b&n=1");
    assert.equal(query.requests[0]!.body, "");
  });

  test("token order: --token > SENTRY_AUTH_TOKEN > status-token; the file's token never leaves its origin", async () => {
    const conf = statusConfig();
    const flag = await api(["--config", conf, "/echo/", "--token", "flag-t"], {
      SENTRY_AUTH_TOKEN: "env-t",
    });
    assert.equal(flag.requests[0]!.auth, "Bearer flag-t");
    // SENTRY_AUTH_TOKEN goes to system.url-prefix or the --url given, not the status server.
    const env = await api(["--config", conf, "/echo/"], { SENTRY_AUTH_TOKEN: "env-t" });
    assert.equal(env.requests[0]!.auth, "Bearer file-token-123");
    const given = await api(["--config", conf, "/echo/", "--url", `http://127.0.0.1:${port}`], {
      SENTRY_AUTH_TOKEN: "env-t",
    });
    assert.equal(given.requests[0]!.auth, "Bearer env-t");
    // An absolute URL to another origin gets no credential, whichever the source.
    for (const extra of [[], ["--token", "flag-t"]]) {
      const abs = await api(
        ["--config", conf, `http://localhost:${port}/api/0/echo/`, ...extra],
        { SENTRY_AUTH_TOKEN: "env-t" },
      );
      assert.equal(abs.code, 0, abs.stderr);
      assert.equal(abs.requests[0]!.auth, undefined);
    }
    // Same server, another origin (localhost vs 127.0.0.1): not the status server, so no file token.
    const other = await api(["--config", conf, "/echo/", "--url", `http://localhost:${port}`]);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(other.requests[0]!.auth, undefined);
    // --url sentry is system.url-prefix.
    const sentry = await api(["--config", conf, "/echo/", "--url", "sentry"], {
      SENTRY_AUTH_TOKEN: "env-t",
    });
    assert.equal(sentry.code, 0, sentry.stderr);
    assert.equal(sentry.requests[0]!.auth, "Bearer env-t");
  });

  test("a 5 MiB --input body arrives whole; a 5 MiB -f value too", async () => {
    const conf = statusConfig();
    const file = join(conf, "big.json");
    const big = JSON.stringify({ blob: "x".repeat(5 * 1024 * 1024) });
    writeFileSync(file, big);
    const r = await api(["--config", conf, "-X", "PUT", "/size/", "--input", file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { bytes: big.length });
    const field = await api(["--config", conf, "/size/", "-F", `blob=@${file}`]);
    assert.equal(field.code, 0, field.stderr);
    assert.deepEqual(JSON.parse(field.stdout), { bytes: JSON.stringify({ blob: big }).length });
  });

  test("non-JSON and empty responses print as they are", async () => {
    const conf = statusConfig();
    const text = await api(["--config", conf, "/text/"]);
    assert.equal(text.stdout, "plain words\n");
    const empty = await api(["--config", conf, "-X", "DELETE", "/empty/"]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, "");
  });

  test("usage errors exit 2: bad JSON, two bodies, a field without '='; a closed port exits 1", async () => {
    const conf = statusConfig();
    const badJson = await api(["--config", conf, "/echo/", "-d", "{nope"]);
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /^error: -d: not valid JSON/);
    const two = await api(["--config", conf, "/echo/", "-d", "{}", "-f", "a=b"]);
    assert.equal(two.code, 2);
    const noEq = await api(["--config", conf, "/echo/", "-f", "novalue"]);
    assert.equal(noEq.code, 2);
    assert.match(noEq.stderr, /-f expects key=value, got 'novalue'/);
    assert.equal(seen.length, 0, "nothing was sent");
    const closed = await api(["/echo/", "--url", "http://127.0.0.1:1"]);
    assert.equal(closed.code, 1);
    assert.match(closed.stderr, /^error: cannot reach http:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
    const noPrefix = await api(["/echo/", "--url", "sentry"]);
    assert.equal(noPrefix.code, 3);
    assert.match(noPrefix.stderr, /--url sentry needs the option system\.url-prefix/);
  });
});
