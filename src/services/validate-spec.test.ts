import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILTIN_CATALOG } from "./catalog.ts";
import { defaultSettings } from "../settings/defaults.ts";
import { resolveServices } from "./resolve.ts";
import { devservicesProblem, specProblem } from "./validate-spec.ts";

const image = "sentryctl-test/redis:7";

describe("service specs Docker would refuse or change", () => {
  test("host ports: 70000, -1, 'abc', 1.5, '6379/xyz', 0 and a bad [host, port] are refused", () => {
    for (const bad of [70000, -1, "abc", 1.5, "6379/xyz", 0, "", "06379x", true, ["", 1], ["h"]]) {
      const p = specProblem("redis", { image, ports: { "6379/tcp": bad } });
      assert.ok(p, `accepted ${JSON.stringify(bad)}`);
      assert.equal(p.key, "SENTRY_DEVSERVICES['redis'].ports['6379/tcp']");
    }
    assert.match(
      specProblem("redis", { image, ports: { "6379/tcp": 70000 } })!.why,
      /host port 70000 is not a port number \(an integer from 1 to 65535\)/,
    );
  });

  test("container ports must be PORT or PORT/proto within range", () => {
    for (const bad of ["6379/xyz", "70000/tcp", "abc", "0", "-1/tcp", "6379/"]) {
      assert.ok(specProblem("r", { image, ports: { [bad]: 6379 } }), bad);
    }
  });

  test("good ports pass: numbers, digit strings, [address, port], protocols, null in overrides", () => {
    const ok = {
      image,
      ports: {
        "6379/tcp": 6379,
        "7000": "7000",
        "53/udp": ["0.0.0.0", 5353],
        "8080/sctp": ["::1", "65535"],
        "1/tcp": 1,
        "9/tcp": null,
      },
    };
    assert.equal(specProblem("redis", ok), undefined);
  });

  test("service names: '../x', 'a b\\nc', '' and '-x' are refused with the name escaped", () => {
    for (const bad of ["../x", "a b\nc", "", "-x", "x/y", "é"]) {
      const p = devservicesProblem({ [bad]: { image } });
      assert.ok(p, `accepted ${JSON.stringify(bad)}`);
      assert.match(p.why, /a service name may hold only letters, digits/);
    }
    assert.equal(devservicesProblem({ "a b\nc": { image } })!.key, "SENTRY_DEVSERVICES['a b\\nc']");
    // Removing a service (null) is fine whatever its name; good names pass.
    assert.equal(devservicesProblem({ "../x": null, "redis-2.x_y": { image } }), undefined);
  });

  test("environment keys 'B=C', 'D\\nE', '' and non-scalar values are refused", () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ "B=C": 1 }, /cannot contain '='/],
      [{ "D\nE": "x" }, /control characters/],
      [{ "": "x" }, /needs a name/],
      [{ A: ["x"] }, /got a list/],
      [{ A: { b: 1 } }, /got a mapping/],
      [{ A: "x\u0000y" }, /NUL/],
    ];
    for (const [environment, why] of cases) {
      const p = specProblem("redis", { image, environment });
      assert.ok(p, JSON.stringify(environment));
      assert.match(p.why, why);
    }
    assert.equal(
      specProblem("redis", { image, environment: { A: "1", B: 2, C: true, D: null, "x.y-z": "" } }),
      undefined,
    );
  });

  test("an image with whitespace or a newline is refused", () => {
    assert.match(specProblem("r", { image: "redis\n:7" })!.why, /whitespace or control/);
    assert.match(specProblem("r", { image: "redis 7" })!.why, /whitespace or control/);
  });

  test("every built-in catalog service passes; resolveServices refuses a bad merged spec", () => {
    const settings = defaultSettings({});
    for (const [name, entry] of Object.entries(BUILTIN_CATALOG)) {
      assert.equal(specProblem(name, { ...entry.build(settings, {}, {}) }), undefined, name);
    }
    assert.throws(
      () =>
        resolveServices(
          { ...settings, SENTRY_RELAY_PORT: 70000 },
          {},
          {},
          "p",
          undefined,
          false,
        ),
      (e: Error & { exitCode?: number }) =>
        /SENTRY_DEVSERVICES\['relay'\]\.ports\['7899\/tcp'\]: host port 70000/.test(e.message) &&
        e.exitCode === 3,
    );
  });
});
