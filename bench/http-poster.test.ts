// The fan-out bench's ingest client against a real node:http server: bodies arrive whole and in
// order over one connection, answers of either framing are read whole, a closed connection is
// reopened for the next POST, and one cut mid-answer is an error.

import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { HttpPoster } from "./http-poster.ts";

describe("HttpPoster", () => {
  let server: Server;
  let base: string;
  const got: string[] = [];
  let connections = 0;

  before(async () => {
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (c: Buffer) => parts.push(c));
      req.on("end", () => {
        const body = Buffer.concat(parts).toString();
        got.push(`${req.url} ${req.headers["content-type"]} ${body}`);
        if (req.url === "/chunked") {
          res.writeHead(200, { "content-type": "text/plain" });
          res.write("ab");
          res.end("cdé");
        } else if (req.url === "/close") {
          res.writeHead(201, { connection: "close", "content-length": "2" });
          res.end("ok");
        } else if (req.url === "/cut") {
          res.socket?.write("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
          res.socket?.destroy();
        } else {
          res.writeHead(req.url === "/bad" ? 400 : 200, {
            "content-length": Buffer.byteLength(body),
          });
          res.end(body);
        }
      });
    });
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => server.close());

  test("posts one after another on one connection; each answer is read whole", async () => {
    const poster = new HttpPoster(base);
    const before = connections;
    for (let i = 0; i < 200; i++) {
      const body = `{"n":${i},"s":"${"x".repeat(i * 50)}é"}`;
      const answer = await poster.post("/stream", body, {
        "content-type": "application/x-sentry-envelope",
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.toString(), body);
    }
    assert.equal(connections - before, 1);
    assert.equal(
      got.at(-1),
      `/stream application/x-sentry-envelope {"n":199,"s":"${"x".repeat(199 * 50)}é"}`,
    );
    assert.equal((await poster.post("/bad", "no")).status, 400);
    poster.close();
  });

  test("chunked answers; a closed connection is opened again; a cut answer is an error", async () => {
    const poster = new HttpPoster(base);
    const chunked = await poster.post("/chunked", "x");
    assert.equal(chunked.status, 200);
    assert.equal(chunked.body.toString(), "abcdé");
    const before = connections;
    assert.equal((await poster.post("/close", "x")).status, 201);
    assert.equal((await poster.post("/echo", "after")).body.toString(), "after");
    assert.equal(connections - before, 1);
    await assert.rejects(poster.post("/cut", "x"), /closed/);
    assert.equal((await poster.post("/echo", "again")).body.toString(), "again");
    poster.close();
  });
});
