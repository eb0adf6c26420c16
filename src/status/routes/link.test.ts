import assert from "node:assert/strict";
import { test } from "node:test";
import { createStatusApp } from "../app.ts";
import { fakeDeps } from "../../../tests/helpers/fake-status.ts";

const HOST = "127.0.0.1:8990";

function post(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://${HOST}${path}`, {
    method: "POST",
    headers: { host: HOST, ...headers },
  });
}

test("POST /api/0/link/ issues a working one-time link and retires the unused one", async () => {
  const deps = fakeDeps();
  const { fetch } = createStatusApp(deps);
  assert.equal((await fetch(post("/api/0/link/"))).status, 401, "needs the token");
  const res = await fetch(post("/api/0/link/", { authorization: `Bearer ${deps.token}` }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const { link } = await res.json() as { link: string };
  const url = new URL(link);
  assert.equal(url.origin, `http://${HOST}`);
  assert.equal(url.pathname, "/");
  const code = url.searchParams.get("token")!;
  assert.match(code, /^[0-9a-f]{32}$/);
  assert.notEqual(code, deps.token);

  const open = (c: string) =>
    fetch(new Request(`http://${HOST}/?token=${c}`, { headers: { host: HOST } }));
  assert.equal((await open(deps.oneTimeCode!)).status, 401, "the first link was replaced");
  const first = await open(code);
  assert.equal(first.status, 303);
  assert.match(first.headers.get("set-cookie") ?? "", /^sentryctl_session=/);
  assert.equal((await open(code)).status, 401, "one use only");
});

test("a page from another origin cannot mint a link with the session cookie", async () => {
  const deps = fakeDeps();
  const { fetch } = createStatusApp(deps);
  const res = await fetch(post("/api/0/link/", {
    authorization: `Bearer ${deps.token}`,
    origin: "http://evil.example",
  }));
  assert.equal(res.status, 403);
});
