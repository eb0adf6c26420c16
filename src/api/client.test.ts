import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient, apiPath, resolveUrl } from "./client.ts";
import { ApiError } from "./errors.ts";
import { nextPageUrl, parseLinkHeader } from "./link.ts";
import { buildFields, typedValue } from "./fields.ts";
import { resolveTarget, statusBaseUrl } from "./target.ts";

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(responses: Response[]) {
  const calls: Call[] = [];
  const fetch = (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    return next ? Promise.resolve(next) : Promise.reject(new Error("no more responses"));
  };
  return { calls, fetch };
}

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

describe("the /api/0 prefix rule", () => {
  test("prefixed unless /api/0 occurs anywhere in the path (Sentry's substring test)", () => {
    assert.equal(apiPath("/organizations/"), "/api/0/organizations/");
    assert.equal(apiPath("organizations/"), "/api/0/organizations/");
    assert.equal(apiPath("/api/0/organizations/"), "/api/0/organizations/");
    assert.equal(apiPath("/x/api/0/y/"), "/x/api/0/y/");
    assert.equal(apiPath("/api/01/"), "/api/01/", "a substring test, as Sentry's");
    assert.equal(resolveUrl("http://h:1/", "/a/"), "http://h:1/api/0/a/");
    assert.equal(resolveUrl("http://h:1/prefix", "a/"), "http://h:1/prefix/api/0/a/");
    assert.equal(resolveUrl("http://h:1", "https://other/x"), "https://other/x");
  });
});

describe("ApiClient with fetch injected", () => {
  test("put: bearer token, JSON body and content type, parsed JSON result", async () => {
    const { calls, fetch } = fakeFetch([json({ state: "stopped" })]);
    const client = new ApiClient({ baseUrl: "http://127.0.0.1:8990", token: "t0k", fetch });
    const r = await client.put("/devservices/redis/", { data: { state: "stopped" } });
    assert.deepEqual(r.data, { state: "stopped" });
    assert.equal(r.status, 200);
    assert.equal(calls[0]!.url, "http://127.0.0.1:8990/api/0/devservices/redis/");
    assert.equal(calls[0]!.init.method, "PUT");
    assert.equal(calls[0]!.init.body, '{"state":"stopped"}');
    assert.deepEqual(calls[0]!.init.headers, {
      Accept: "application/json",
      Authorization: "Bearer t0k",
      "Content-Type": "application/json",
    });
  });

  test("status outside 200–399 throws ApiError 'status=<code> body=<body>' (exit 1)", async () => {
    const { fetch } = fakeFetch([json({ detail: "nope" }, 404), new Response("", { status: 302 })]);
    const client = new ApiClient({ baseUrl: "http://h", fetch });
    await assert.rejects(client.get("/x/"), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.message, 'status=404 body={"detail":"nope"}');
      assert.equal(e.status, 404);
      assert.equal(e.exitCode, 1);
      return true;
    });
    const redirect = await client.get("/moved/");
    assert.equal(redirect.status, 302, "3xx is success, as Sentry's 200 <= status < 400");
    assert.equal(redirect.data, undefined);
  });

  test("params are appended to the query; no token means no Authorization header", async () => {
    const { calls, fetch } = fakeFetch([json([])]);
    await new ApiClient({ baseUrl: "http://h", fetch }).get("/x/?a=1", {
      params: { b: "2 3", c: true },
    });
    assert.equal(calls[0]!.url, "http://h/api/0/x/?a=1&b=2+3&c=true");
    assert.equal((calls[0]!.init.headers as Record<string, string>).Authorization, undefined);
  });

  test("paginate merges arrays across Link rel=next with results=true, relative links resolved", async () => {
    const link = (cursor: string, results: boolean) =>
      `<http://h/api/0/x/?cursor=${cursor}>; rel="previous"; results="false"; cursor="p", ` +
      `</api/0/x/?cursor=${cursor}>; rel="next"; results="${results}"; cursor="${cursor}"`;
    const { calls, fetch } = fakeFetch([
      json([1], 200, { link: link("0:1:0", true) }),
      json([2, 3], 200, { link: link("0:2:0", true) }),
      json([], 200, { link: link("0:3:0", false) }),
    ]);
    const all = await new ApiClient({ baseUrl: "http://h", fetch }).paginate("GET", "/x/");
    assert.deepEqual(all, [1, 2, 3]);
    assert.deepEqual(calls.map((c) => c.url), [
      "http://h/api/0/x/",
      "http://h/api/0/x/?cursor=0:1:0",
      "http://h/api/0/x/?cursor=0:2:0",
    ]);
  });

  test("paginate refuses a page that is not a list", async () => {
    const { fetch } = fakeFetch([json({ a: 1 })]);
    await assert.rejects(
      new ApiClient({ baseUrl: "http://h", fetch }).paginate("GET", "/x/"),
      /--paginate needs a list response; http:\/\/h\/api\/0\/x\/ returned an object/,
    );
  });

  test("a network failure is a failure naming the origin, not a stack trace", async () => {
    const fetch = () =>
      Promise.reject(
        Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
      );
    await assert.rejects(
      new ApiClient({ baseUrl: "http://127.0.0.1:9", fetch }).get("/x/"),
      (e: Error & { exitCode?: number }) =>
        e.message === "cannot reach http://127.0.0.1:9: ECONNREFUSED" && e.exitCode === 1,
    );
  });
});

describe("Link headers", () => {
  test("Sentry's previous/next pair, quoted commas, missing results attribute", () => {
    const header = '<http://h/a?cursor=1,2>; rel="previous"; results="false"; cursor="1,2", ' +
      '<http://h/a?cursor=3>; rel="next"; results="true"; cursor="3"';
    assert.deepEqual(parseLinkHeader(header), [
      {
        url: "http://h/a?cursor=1,2",
        params: { rel: "previous", results: "false", cursor: "1,2" },
      },
      { url: "http://h/a?cursor=3", params: { rel: "next", results: "true", cursor: "3" } },
    ]);
    assert.equal(nextPageUrl(header), "http://h/a?cursor=3");
    assert.equal(nextPageUrl('<http://h/b>; rel="next"; results="false"'), undefined);
    assert.equal(nextPageUrl("<http://h/c>; rel=next"), "http://h/c");
    assert.equal(nextPageUrl(null), undefined);
    assert.equal(nextPageUrl("garbage"), undefined);
  });
});

describe("fields (-f / -F)", () => {
  const noFile = () => {
    throw new Error("no files here");
  };
  test("typed conversion like gh api", () => {
    assert.equal(typedValue("true", noFile), true);
    assert.equal(typedValue("false", noFile), false);
    assert.equal(typedValue("null", noFile), null);
    assert.equal(typedValue("12", noFile), 12);
    assert.equal(typedValue("-3.25", noFile), -3.25);
    assert.equal(typedValue("012", noFile), "012");
    assert.equal(typedValue("99999999999999999999", noFile), "99999999999999999999");
    assert.equal(typedValue("@body.txt", (p) => `read ${p}`), "read body.txt");
    assert.equal(typedValue("a=b", noFile), "a=b");
  });

  test("one object; the first '=' splits; no fields means no body", () => {
    assert.deepEqual(
      buildFields({ raw: ["a=1", "eq=x=y", "empty="], typed: ["b=1"], readFile: noFile }),
      { a: "1", eq: "x=y", empty: "", b: 1 },
    );
    assert.equal(buildFields({ raw: [], typed: [], readFile: noFile }), undefined);
    assert.throws(
      () => buildFields({ raw: ["=v"], typed: [], readFile: noFile }),
      /-f expects key=value/,
    );
  });
});

describe("base URL and token", () => {
  const base = { env: {}, statusBind: "127.0.0.1:8990", readStatusToken: () => "from-file\n" };
  test("status.bind as a URL; wildcard binds are reached on loopback", () => {
    assert.equal(statusBaseUrl("127.0.0.1:8990"), "http://127.0.0.1:8990");
    assert.equal(statusBaseUrl("0.0.0.0:1"), "http://127.0.0.1:1");
    assert.equal(statusBaseUrl("[::]:2"), "http://[::1]:2");
    assert.equal(statusBaseUrl("[::1]:3"), "http://[::1]:3");
    assert.throws(() => statusBaseUrl("nope"), /status.bind must be HOST:PORT/);
  });

  test("--token > SENTRY_AUTH_TOKEN > status-token (only for the status server's origin)", () => {
    assert.deepEqual(resolveTarget({ ...base, tokenFlag: "f", env: { SENTRY_AUTH_TOKEN: "e" } }), {
      baseUrl: "http://127.0.0.1:8990",
      token: "f",
      tokenOrigin: "http://127.0.0.1:8990",
      tokenSource: "flag",
      isStatusServer: true,
      statusOrigin: "http://127.0.0.1:8990",
    });
    assert.equal(resolveTarget(base).token, "from-file");
    assert.equal(resolveTarget({ ...base, urlFlag: "http://127.0.0.1:8990/" }).token, "from-file");
    const other = resolveTarget({ ...base, urlFlag: "https://sentry.io" });
    assert.equal(other.token, undefined);
    assert.equal(other.tokenSource, "none");
  });

  test("SENTRY_AUTH_TOKEN goes only to system.url-prefix's origin or the --url given", () => {
    const env = { SENTRY_AUTH_TOKEN: "e" };
    // The default base is the local status server: its own token, not the Sentry token.
    const local = resolveTarget({ ...base, env, urlPrefix: "https://s.example" });
    assert.equal(local.token, "from-file");
    assert.equal(local.tokenSource, "status-token");
    const sentry = resolveTarget({
      ...base,
      env,
      urlFlag: "sentry",
      urlPrefix: "https://s.example/",
    });
    assert.deepEqual([sentry.token, sentry.tokenOrigin], ["e", "https://s.example"]);
    const given = resolveTarget({ ...base, env, urlFlag: "https://other.example:8443/x" });
    assert.deepEqual([given.token, given.tokenOrigin], ["e", "https://other.example:8443"]);
    // A status server that is system.url-prefix itself may get it by default.
    const same = resolveTarget({ ...base, env, urlPrefix: "http://127.0.0.1:8990/sentry" });
    assert.equal(same.token, "e");
  });

  test("the recorded serve address is the status server; status.bind's origin then gets no token", () => {
    const recorded = { ...base, recordedUrl: "http://127.0.0.1:18991" };
    const t = resolveTarget(recorded);
    assert.deepEqual([t.baseUrl, t.token, t.tokenOrigin], [
      "http://127.0.0.1:18991",
      "from-file",
      "http://127.0.0.1:18991",
    ]);
    assert.equal(
      resolveTarget({ ...recorded, urlFlag: "http://127.0.0.1:18991" }).token,
      "from-file",
    );
    const bind = resolveTarget({ ...recorded, urlFlag: "http://127.0.0.1:8990" });
    assert.equal(bind.token, undefined, "status.bind is not where the server listens");
    assert.equal(bind.isStatusServer, false);
  });

  test("--url forms", () => {
    assert.equal(
      resolveTarget({ ...base, urlFlag: "sentry", urlPrefix: "https://s.example" }).baseUrl,
      "https://s.example",
    );
    assert.throws(
      () => resolveTarget({ ...base, urlFlag: "sentry" }),
      /needs the option system.url-prefix/,
    );
    assert.throws(() => resolveTarget({ ...base, urlFlag: "ftp://x" }), /not an http\(s\) URL/);
  });
});
