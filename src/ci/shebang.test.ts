import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { expandKernelShebang, serviceList, shebangOptions, splitShebangArgs } from "./shebang.ts";

describe("shebangOptions", () => {
  test("env -S form with services and interpreter", () => {
    assert.deepEqual(
      shebangOptions("#!/usr/bin/env -S sentryctl run --with redis,kafka --interpreter python3"),
      ["--with", "redis,kafka", "--interpreter", "python3"],
    );
  });
  test("-S glued to the rest, env assignments and an absolute sentryctl path", () => {
    assert.deepEqual(
      shebangOptions(
        "#!/usr/bin/env -vS SENTRY_LOG_LEVEL=debug /opt/bin/sentryctl run --with=redis",
      ),
      ["--with=redis"],
    );
    assert.deepEqual(shebangOptions("#!/usr/bin/env -S'sentryctl run' --with redis"), [
      "--with",
      "redis",
    ]);
  });
  test("direct interpreter path; CRLF line ending", () => {
    assert.deepEqual(shebangOptions("#!/usr/local/bin/sentryctl run --with redis\r"), [
      "--with",
      "redis",
    ]);
  });
  test("not a sentryctl shebang", () => {
    assert.equal(shebangOptions("#!/bin/sh"), undefined);
    assert.equal(shebangOptions("#!/usr/bin/env python3"), undefined);
    assert.equal(shebangOptions("#!/usr/bin/env -S sentryctl with redis -- sh"), undefined);
    assert.equal(shebangOptions("echo hello"), undefined);
    assert.equal(shebangOptions(""), undefined);
    assert.equal(shebangOptions("#!/usr/bin/mysentryctl run --with redis"), undefined);
  });
  test("quotes group words", () => {
    assert.deepEqual(
      shebangOptions(`#!/usr/bin/env -S sentryctl run --with redis --interpreter "python3 -u"`),
      ["--with", "redis", "--interpreter", "python3 -u"],
    );
  });
});

describe("splitShebangArgs", () => {
  test("whitespace, quotes, escapes, empty quoted words", () => {
    assert.deepEqual(splitShebangArgs(`  a  'b c' "d\\"e" f\\ g '' `), [
      "a",
      "b c",
      'd"e',
      "f g",
      "",
    ]);
  });
  test("nothing in, nothing out", () => {
    assert.deepEqual(splitShebangArgs("   "), []);
  });
});

describe("serviceList", () => {
  test("commas and repeats, blanks and duplicates dropped, order kept", () => {
    assert.deepEqual(serviceList(["redis,kafka", " postgres ,,redis", ""]), [
      "redis",
      "kafka",
      "postgres",
    ]);
  });
});

describe("expandKernelShebang", () => {
  test("one 'run …' argument from a #! line without env -S is split into words", () => {
    assert.deepEqual(expandKernelShebang(["run --with redis", "/tmp/s.sh", "a b"]), [
      "run",
      "--with",
      "redis",
      "/tmp/s.sh",
      "a b",
    ]);
  });
  test("anything else is left alone", () => {
    assert.deepEqual(expandKernelShebang(["run", "--with", "redis"]), ["run", "--with", "redis"]);
    assert.deepEqual(expandKernelShebang(["with", "redis"]), ["with", "redis"]);
    assert.deepEqual(expandKernelShebang(["runner x"]), ["runner x"]);
    assert.deepEqual(expandKernelShebang([]), []);
  });
});
