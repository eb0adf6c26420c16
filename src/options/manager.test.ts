import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { PyTypeName } from "../lib/python.ts";
import {
  defaultOptions,
  getOption,
  lookupOption,
  OPTIONS,
  OptionValidationError,
  validateOptions,
} from "./index.ts";
import { FLAG_ALLOW_EMPTY, OptionsRegistry } from "./registry.ts";
import { Bool, Dict, Float, Int, Sequence, String } from "./types.ts";
import { loadYaml } from "../formats/yaml-lib.ts";

await loadYaml(); // the full loader and option coercion are synchronous users of it

function run(options: Record<string, unknown>, types: Record<string, PyTypeName> = {}) {
  const unknown: string[] = [];
  let error: string | undefined;
  try {
    validateOptions(options, { typeOf: (key) => types[key]!, unknown: (l) => unknown.push(l) });
  } catch (e) {
    if (!(e instanceof OptionValidationError)) throw e;
    error = e.message;
  }
  return { unknown, error };
}

// [case, options, Python types as loaded, expected unknown lines, expected fatal message]
const CASES: [string, Record<string, unknown>, Record<string, PyTypeName>, string[], string?][] = [
  ["known keys of the right type", { "mail.port": 25, "mail.host": "x" }, {
    "mail.port": "int",
    "mail.host": "str",
  }, []],
  ["an unknown key only warns", { "foo.bar": 1 }, {}, ["* Unknown config option found: 'foo.bar'"]],
  ["a key with a quote is repr'd as Python does", { "it's": 1 }, {}, [
    `* Unknown config option found: "it's"`,
  ]],
  ["legacy sentry: keys take anything", { "sentry:install-id": 5 }, {}, []],
  [
    "a string for an integer",
    { "mail.port": "25" },
    { "mail.port": "str" },
    [],
    "'mail.port': got <class 'str'>, expected integer",
  ],
  [
    "a float for an integer",
    { "mail.port": 25 },
    { "mail.port": "float" },
    [],
    "'mail.port': got <class 'float'>, expected integer",
  ],
  ["a bool is an int in Python", { "mail.port": true }, { "mail.port": "bool" }, []],
  [
    "an int for a float",
    { "store.allow-s4s-ddm-sample-rate": 1 },
    { "store.allow-s4s-ddm-sample-rate": "int" },
    [],
    "'store.allow-s4s-ddm-sample-rate': got <class 'int'>, expected float",
  ],
  [
    "None for a string",
    { "system.url-prefix": null },
    { "system.url-prefix": "NoneType" },
    [],
    "'system.url-prefix': got <class 'NoneType'>, expected string",
  ],
  [
    "a list for a dictionary",
    { "redis.clusters": [] },
    { "redis.clusters": "list" },
    [],
    "'redis.clusters': got <class 'list'>, expected dictionary",
  ],
  [
    "a string for a sequence",
    { "github-login.extended-permissions": "repo" },
    { "github-login.extended-permissions": "str" },
    [],
    "'github-login.extended-permissions': got <class 'str'>, expected sequence",
  ],
  [
    "a string for a boolean",
    { "mail.use-tls": "yes" },
    { "mail.use-tls": "str" },
    [],
    "'mail.use-tls': got <class 'str'>, expected boolean",
  ],
  [
    "store-only is fatal whatever the type",
    { "status.token": "x" },
    { "status.token": "str" },
    [],
    "'status.token' is not allowed to be loaded from config",
  ],
  [
    "warnings before the first fatal key are printed",
    { "a.b": 1, "mail.port": "x", "c.d": 2 },
    { "mail.port": "str" },
    ["* Unknown config option found: 'a.b'"],
    "'mail.port': got <class 'str'>, expected integer",
  ],
];

describe("validate_options", () => {
  for (const [name, options, types, unknown, error] of CASES) {
    test(name, () => {
      const result = run(options, types);
      assert.deepEqual(result.unknown, unknown);
      assert.equal(result.error, error);
    });
  }
  test("without a type hook, the Python type comes from the JS value", () => {
    assert.throws(
      () => validateOptions({ "mail.port": 2.5 }, { unknown() {} }),
      /'mail\.port': got <class 'float'>, expected integer/,
    );
  });
});

describe("the registry", () => {
  test("registration infers types as Sentry does", () => {
    const r = new OptionsRegistry();
    r.register("a", { description: "" });
    r.register("b", { default: false, description: "" });
    r.register("c", { type: Dict, description: "" });
    r.register("d", { default: 1.5, description: "" });
    assert.equal(r.get("a")!.type, String);
    assert.equal(r.get("a")!.default, "");
    assert.equal(r.get("b")!.type, Bool);
    assert.ok(r.get("b")!.flags & FLAG_ALLOW_EMPTY);
    assert.deepEqual(r.get("c")!.default, {});
    assert.equal(r.get("d")!.type, Float);
    assert.throws(() => r.register("a", { description: "" }), /already registered/);
  });

  test("every option config.yml may hold is documented and typed", () => {
    for (const def of OPTIONS.all()) {
      assert.ok(def.description.length > 0, def.key);
      assert.ok(
        [String, Int, Float, Bool, Dict, Sequence].includes(def.type as typeof String),
        def.key,
      );
    }
    assert.equal(lookupOption("mail.port")!.type, Int);
    assert.equal(lookupOption("nope"), undefined);
  });

  test("defaults come from env variables when set, per call", () => {
    assert.equal(defaultOptions({})["system.url-prefix"], "");
    assert.equal(
      defaultOptions({ SENTRY_SYSTEM_URL_PREFIX: "http://x" })["system.url-prefix"],
      "http://x",
    );
    assert.equal(
      getOption({}, "system.url-prefix", { SENTRY_SYSTEM_URL_PREFIX: "http://y" }),
      "http://y",
    );
    assert.equal(
      getOption({ "system.url-prefix": "http://z" }, "system.url-prefix", {}),
      "http://z",
    );
    assert.equal(getOption({ "status.token": "x" }, "status.token", {}), "");
  });

  test("config set coercion follows Sentry's types", () => {
    assert.equal(Int.coerce("25"), 25);
    assert.equal(Bool.coerce("Yes"), true);
    assert.equal(Bool.coerce("off"), false);
    assert.equal(Float.coerce("2"), 2);
    assert.deepEqual(Dict.coerce("{a: 1}"), { a: 1 });
    assert.deepEqual(Sequence.coerce("[a, b]"), ["a", "b"]);
    assert.equal(String.coerce("25"), "25");
    assert.throws(() => Int.coerce("2.5"), /'2\.5' is not a valid integer/);
    assert.throws(() => Bool.coerce("maybe"), /'maybe' is not a valid boolean/);
    assert.throws(() => Dict.coerce("[1]"), /'\[1\]' is not a valid dictionary/);
  });
});
