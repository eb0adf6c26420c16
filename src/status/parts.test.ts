// Unit tests of the status server's pure parts: envelope parsing, frame Context rendering,
// register order and notations, Host/Origin rules, bind addresses, Docker stats arithmetic,
// JSON-lines splitting and the token file.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseBind } from "./bind.ts";
import { sampleFromStats } from "./docker-source.ts";
import { MalformedInput, parseEnvelope } from "./envelope.ts";
import { APP_JS } from "./html/assets.ts";
import { contextLines, renderFrameContext } from "./html/frame.ts";
import { registerNotations, sortedRegisters } from "./html/registers.ts";
import { corsOrigin, hostAllowed, hostName, originAllowed } from "./security.ts";
import { loadOrCreateToken } from "./token.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("envelope", () => {
  test("length-prefixed payloads may contain newlines; the last item needs no newline", () => {
    const env = parseEnvelope(
      enc('{"event_id":"x"}\n{"type":"attachment","length":5}\na\nb\n\n{"type":"event"}\n{"a":1}'),
    );
    assert.deepEqual(env.header, { event_id: "x" });
    assert.deepEqual(env.items.map((i) => [i.type, i.size]), [["attachment", 5], ["event", 7]]);
    assert.deepEqual(env.items[1]!.json, { a: 1 });
  });

  test("lengths count bytes, not characters", () => {
    const env = parseEnvelope(enc('{}\n{"type":"event","length":17}\n{"m":"héllo✓"}\n'));
    assert.deepEqual(env.items[0]!.json, { m: "héllo✓" });
  });

  test("UTF-8 is checked exactly: a U+FFFD the client sent is kept, invalid bytes are refused", () => {
    const bytes = (...parts: (string | number[])[]) =>
      new Uint8Array(parts.flatMap((p) => typeof p === "string" ? [...enc(p)] : p));
    // U+FFFD sent as its own three bytes (EF BF BD) is valid text, not a decoding error.
    const kept = parseEnvelope(bytes('{}\n{"type":"event"}\n{"m":"a', [0xef, 0xbf, 0xbd], '"}'));
    assert.deepEqual(kept.items[0]!.json, { m: "a\uFFFD" });
    // Invalid sequences anywhere: a stray byte, an overlong '/', an encoded surrogate, a cut
    // sequence at the end; in the header, an item header and a payload.
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      assert.throws(
        () => parseEnvelope(bytes('{}\n{"type":"event"}\n{"m":"', bad, '"}')),
        (e: unknown) =>
          e instanceof MalformedInput &&
          /item 1 \(event\) payload is not valid UTF-8/.test(e.reason),
      );
      assert.throws(
        () => parseEnvelope(bytes('{"a":"', bad, '"}\n')),
        (e: unknown) =>
          e instanceof MalformedInput && /envelope header is not valid UTF-8/.test(e.reason),
      );
      assert.throws(
        () => parseEnvelope(bytes('{}\n{"type":"event","x":"', bad, '"}\n{}')),
        (e: unknown) => e instanceof MalformedInput && /not valid UTF-8/.test(e.reason),
      );
    }
  });

  test("an empty item payload and a header-only envelope are fine", () => {
    assert.deepEqual(parseEnvelope(enc("{}")).items, []);
    assert.deepEqual(parseEnvelope(enc('{}\n{"type":"client_report"}\n')).items[0]!.json, null);
  });

  test("reasons name the item and the problem", () => {
    const reason = (s: string) => {
      try {
        parseEnvelope(enc(s));
      } catch (e) {
        return (e as MalformedInput).reason;
      }
      return "parsed";
    };
    assert.equal(
      reason('{}\n{"type":"event","length":-1}\n'),
      "item 1 length is not a non-negative integer",
    );
    assert.equal(reason('{}\n{"type":"a"}\n{}\n{"type":7}\n'), "item 2 header has no type");
    assert.equal(reason('"str"\n'), "envelope header is not a JSON object");
  });
});

describe("frame Context", () => {
  const frame = {
    filename: "a.py",
    lineno: 12,
    pre_context: ["def f(x):", "    y = x"],
    context_line: "    return y / 0",
    post_context: ["", "f(1)"],
    vars: { a: 1, b: "two", api_key: "s3cr3t" },
  };

  test("context lines are numbered around the active line", () => {
    assert.deepEqual(contextLines(frame), [
      [10, "def f(x):"],
      [11, "    y = x"],
      [12, "    return y / 0"],
      [13, ""],
      [14, "f(1)"],
    ]);
  });

  test("expanded and collapsed render the same rows; CSS shows only the active one collapsed", () => {
    const open = renderFrameContext(frame, { expanded: true });
    const closed = renderFrameContext(frame, { expanded: false });
    assert.ok(open.startsWith('<div class="context expanded"><ol start="10" class="source">'));
    assert.ok(closed.startsWith('<div class="context"><ol start="10" class="source">'));
    assert.equal((open.match(/<li class="expandable active"/g) ?? []).length, 1);
    assert.match(open, /value="12"><span class="lineno">12<\/span><span class="ws"> {4}<\/span>/);
  });

  test("variables in reverse key order, secrets filtered", () => {
    const html = renderFrameContext(frame, { expanded: true });
    const keys = [...html.matchAll(/<tr><th>([^<]+)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(keys, ["api_key", "b", "a"]);
    assert.ok(!html.includes("s3cr3t"));
  });

  test("nothing to show → the notation", () => {
    assert.equal(
      renderFrameContext({ function: "f" }, { expanded: true }),
      '<div class="context empty"><p class="empty-notation">No additional details are available for this frame.</p></div>',
    );
    assert.match(
      renderFrameContext({ function: "f" }, { expanded: false, registers: { pc: "0x1" } }),
      /Registers/,
    );
  });

  test("the note appears only for a trace's only frame (Sentry's rule)", () => {
    assert.match(
      renderFrameContext({ function: "f" }, { expanded: true, onlyFrame: true }),
      /No additional details are available for this frame\./,
    );
    assert.equal(
      renderFrameContext({ function: "f" }, { expanded: true, onlyFrame: false }),
      '<div class="context empty"></div>',
    );
  });

  test("markup in source and variables is escaped", () => {
    const html = renderFrameContext({
      lineno: 1,
      context_line: "<script>alert(1)</script>",
      vars: { "<b>": "<i>" },
    }, { expanded: true });
    assert.ok(!html.includes("<script>") && !html.includes("<b>") && !html.includes("<i>"));
  });
});

describe("page script", () => {
  test("the served script parses", () => {
    assert.doesNotThrow(() => new Function(APP_JS));
  });
});

describe("registers", () => {
  test("architecture order; unknown names first; $ ignored; nulls dropped", () => {
    const regs = { pc: "0x4", x1: "0x1", sp: "0x3", $x0: "0x0", foo: "0x9", lr: null };
    assert.deepEqual(sortedRegisters(regs, "arm64e").map(([k]) => k), [
      "foo",
      "$x0",
      "x1",
      "sp",
      "pc",
    ]);
    assert.deepEqual(sortedRegisters(regs, "armv7").map(([k]) => k), [
      "foo",
      "$x0",
      "x1",
      "sp",
      "pc",
    ]);
    assert.deepEqual(sortedRegisters({ rip: "1", rax: "2" }, "x86_64").map(([k]) => k), [
      "rax",
      "rip",
    ]);
    assert.deepEqual(sortedRegisters({ eip: "1", eax: "2" }, "x86").map(([k]) => k), [
      "eax",
      "eip",
    ]);
    assert.deepEqual(sortedRegisters({ pc: "1", x1: "2" }, "riscv64").map(([k]) => k), [
      "pc",
      "x1",
    ]);
    assert.deepEqual(sortedRegisters({ pc: "1", x1: "2" }, undefined).map(([k]) => k), [
      "pc",
      "x1",
    ]);
  });

  test("hex and decimal notations, 64-bit safe", () => {
    assert.deepEqual(registerNotations("0xffffffffffffffff"), {
      hex: "0xffffffffffffffff",
      dec: "18446744073709551615",
    });
    assert.deepEqual(registerNotations("0x0010"), { hex: "0x0010", dec: "16" });
    assert.deepEqual(registerNotations("255"), { hex: "0x00000000000000ff", dec: "255" });
    assert.equal(registerNotations("n/a"), undefined);
  });
});

describe("security helpers", () => {
  test("host names from Host headers", () => {
    assert.equal(hostName("[::1]:8990"), "::1");
    assert.equal(hostName("LocalHost:1"), "localhost");
    assert.equal(hostName("[::1"), null);
    assert.equal(hostAllowed("127.0.0.1.nip.io:8990", ["127.0.0.1"]), false);
    assert.equal(hostAllowed("localhost", ["localhost"]), true);
  });

  test("origin must match scheme-less host and port exactly", () => {
    const allowed = ["localhost", "127.0.0.1"];
    assert.equal(originAllowed("http://localhost:8990", null, "localhost:8990", allowed), true);
    assert.equal(originAllowed("http://localhost:8991", null, "localhost:8990", allowed), false);
    assert.equal(originAllowed("file://", null, "localhost:8990", allowed), false);
    assert.equal(originAllowed(null, "same-site", "localhost:8990", allowed), false);
    assert.equal(originAllowed(null, "same-origin", "localhost:8990", allowed), true);
  });

  test("CORS only for http loopback origins", () => {
    assert.equal(corsOrigin("http://[::1]:3000"), "http://[::1]:3000");
    assert.equal(corsOrigin("https://localhost:3000"), null);
    assert.equal(corsOrigin("http://localhost:3000.evil.example"), null);
  });
});

describe("bind addresses", () => {
  test("forms and errors", () => {
    assert.deepEqual(parseBind("127.0.0.1:8990"), { host: "127.0.0.1", port: 8990 });
    assert.deepEqual(parseBind("[::1]:9000"), { host: "::1", port: 9000 });
    assert.deepEqual(parseBind("9001"), { host: "127.0.0.1", port: 9001 });
    assert.deepEqual(parseBind("localhost"), { host: "localhost", port: 8990 });
    assert.throws(() => parseBind("h:99999"), /invalid bind address 'h:99999'/);
  });
});

describe("Docker helpers", () => {
  test("stats arithmetic as docker stats does it", () => {
    const s = sampleFromStats({
      read: "",
      cpu_stats: { cpu_usage: { total_usage: 300 }, system_cpu_usage: 2000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
      memory_stats: { usage: 10_000, stats: { inactive_file: 2_000 } },
    }, 5);
    assert.deepEqual(s, { at: 5, cpu_percent: 40, memory_bytes: 8000 });
  });
});

describe("token file", () => {
  test("created 0600, reused, tightened when readable by others", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sentryctl-token-")), "state");
    const first = loadOrCreateToken(dir);
    assert.match(first.token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(first.path).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(loadOrCreateToken(dir).token, first.token);
    writeFileSync(first.path, "a-token-of-enough-length\n", { mode: 0o644 });
    const again = loadOrCreateToken(dir);
    assert.equal(again.token, "a-token-of-enough-length");
    assert.equal(statSync(first.path).mode & 0o777, 0o600);
    writeFileSync(first.path, "short");
    assert.notEqual(loadOrCreateToken(dir).token, "short");
    assert.match(readFileSync(first.path, "utf8"), /^[0-9a-f]{64}\n$/);
  });
});
