import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type ApiCommandInput, buildRequest, runApi } from "./command.ts";

const base: ApiCommandInput = {
  path: "/x/",
  rawFields: [],
  typedFields: [],
  headers: [],
  paginate: false,
  env: {},
  statusBind: "127.0.0.1:8990",
  stateDir: "/nonexistent-state-dir",
  stdout: { write: () => true },
};

describe("api request building", () => {
  test("GET without a body, POST with one, -X wins and is upper-cased", () => {
    assert.deepEqual(buildRequest(base), { method: "GET", options: {} });
    assert.deepEqual(buildRequest({ ...base, data: '{"a":1}' }), {
      method: "POST",
      options: { data: { a: 1 } },
    });
    assert.deepEqual(buildRequest({ ...base, method: "put", rawFields: ["state=stopped"] }), {
      method: "PUT",
      options: { data: { state: "stopped" } },
    });
    assert.deepEqual(buildRequest({ ...base, method: "GET", typedFields: ["n=1", "b=true"] }), {
      method: "GET",
      options: { params: { n: "1", b: "true" } },
    });
  });

  test("usage errors: two bodies, bad JSON, a method that is not a word", () => {
    const usage = (e: Error & { exitCode?: number }) => e.exitCode === 2;
    assert.throws(() => buildRequest({ ...base, data: "{}", input: "f" }), usage);
    assert.throws(() => buildRequest({ ...base, data: "{nope" }), usage);
    assert.throws(() => buildRequest({ ...base, method: "GE T" }), usage);
    assert.throws(() => buildRequest({ ...base, headers: [], rawFields: ["x"] }), usage);
  });

  test("runApi prints indented JSON; the status server gets no token when no file exists", async () => {
    let out = "";
    const seen: RequestInit[] = [];
    const code = await runApi({
      ...base,
      headers: ["X-Extra: 1"],
      stdout: { write: (s: string | Uint8Array) => (out += s) },
      fetch: (_url, init) => {
        seen.push(init);
        return Promise.resolve(new Response('{"ok":true}', { status: 200 }));
      },
    });
    assert.equal(code, 0);
    assert.equal(out, '{\n  "ok": true\n}\n');
    assert.deepEqual(seen[0]!.headers, { Accept: "application/json", "X-Extra": "1" });
  });
});
