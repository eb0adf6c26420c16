import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { Logger } from "../logging/logger.ts";
import {
  BackendRegistry,
  buildServices,
  Context,
  currentContext,
  Delegator,
  type DelegatorCallback,
  InvalidBackend,
  InvalidConfiguration,
  LazyServiceWrapper,
  setupServices,
  skipValidation,
} from "./index.ts";
import { MemoryPermissionStore } from "./permissions/memory.ts";
import { PermissionTooLong } from "./permissions/store.ts";

function captureLogger(level = 10) {
  const lines: string[] = [];
  return {
    lines,
    logger: new Logger("sentry", { level, format: "human", write: (l) => lines.push(l) }),
  };
}

class Greeter {
  greet(_name: string): string {
    throw new Error("not implemented");
  }
  version = 1;
}
class Named extends Greeter {
  constructor(readonly label: string, readonly calls: string[]) {
    super();
  }
  override greet(name: string): string {
    this.calls.push(`${this.label}:${name}`);
    return `${this.label} greets ${name}`;
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("Context", () => {
  test("copy() is shallow: a new map with the same entries and request", () => {
    const request = { path: "/" };
    const a = new Context(request, new Map([["base", 1]]));
    const b = a.copy();
    b.backends.set("other", 2);
    assert.equal(b.request, request);
    assert.deepEqual([...a.backends.keys()], ["base"]);
    assert.deepEqual([...b.backends.keys()], ["base", "other"]);
  });
});

describe("Delegator", () => {
  test("the primary's result is returned; secondaries run after, each with a copied context", async () => {
    const calls: string[] = [];
    const seen: Context[] = [];
    class Spy extends Named {
      override greet(name: string) {
        seen.push(currentContext()!);
        return super.greet(name);
      }
    }
    const backends = { a: new Spy("a", calls), b: new Spy("b", calls), c: new Spy("c", calls) };
    let callbackArgs: Parameters<DelegatorCallback> | undefined;
    const d = new Delegator(new Greeter(), "Greeter", backends, () => ["a", "b", "c"], {
      callback: (...args) => (callbackArgs = args),
    });
    const proxy = d.proxy();
    assert.equal(proxy.greet("x"), "a greets x");
    assert.deepEqual(calls, ["a:x"], "secondaries do not block the caller");
    await flush();
    assert.deepEqual(calls, ["a:x", "b:x", "c:x"]);
    assert.equal(new Set(seen).size, 3, "three distinct contexts");
    assert.equal(seen[1]!.backends.get("Greeter"), backends.b);
    assert.equal(seen[0]!.backends.get("Greeter"), backends.a);
    const [context, method, args, names, results] = callbackArgs!;
    assert.equal(context, seen[0]);
    assert.equal(method, "greet");
    assert.deepEqual(args, ["x"]);
    assert.deepEqual(names, ["a", "b", "c"]);
    assert.deepEqual(results.map((r) => r?.status), ["fulfilled", "fulfilled", "fulfilled"]);
    assert.equal(proxy.version, 1, "non-methods come from the base");
  });

  test("selector errors: none returned, or an unregistered primary", () => {
    const none = new Delegator(new Greeter(), "Greeter", {}, () => []).proxy();
    assert.throws(
      () => none.greet("x"),
      (e: unknown) =>
        e instanceof InvalidBackend && e.message === "No backends returned by selector!",
    );
    const missing = new Delegator(new Greeter(), "Greeter", {}, () => ["zz"]).proxy();
    assert.throws(
      () => missing.greet("x"),
      (e: unknown) =>
        e instanceof InvalidBackend && e.message === "'zz' is not a registered backend.",
    );
  });

  test("an unknown secondary is ignored with a warning; a failing one is logged, not raised", async () => {
    const { logger, lines } = captureLogger();
    class Boom extends Greeter {
      override greet(): string {
        throw new RangeError("nope");
      }
    }
    let results: Parameters<DelegatorCallback>[4] = [];
    const d = new Delegator(
      new Greeter(),
      "Greeter",
      { a: new Named("a", []), boom: new Boom() },
      () => ["a", "ghost", "boom"],
      { logger, callback: (_c, _m, _a, _n, r) => (results = r) },
    );
    assert.equal(d.proxy().greet("y"), "a greets y");
    await flush();
    await flush();
    assert.match(lines[0]!, /'ghost' is not a registered backend and will be ignored\./);
    assert.match(lines[1]!, /RangeError caught in executor while calling 'greet' on boom\./);
    assert.deepEqual(results.map((r) => r?.status), ["fulfilled", undefined, "rejected"]);
  });

  test("the primary's error reaches the caller after the callback is arranged", async () => {
    class Boom extends Greeter {
      override greet(): string {
        throw new Error("primary failed");
      }
    }
    let called = false;
    const d = new Delegator(new Greeter(), "Greeter", { boom: new Boom() }, () => ["boom"], {
      callback: () => (called = true),
    });
    assert.throws(() => d.proxy().greet("z"), /primary failed/);
    await flush();
    assert.equal(called, true);
  });

  test("re-entrancy: a backend calling its own delegator gets itself, without selection", () => {
    const calls: string[] = [];
    const holder: { proxy?: Greeter } = {};
    let selections = 0;
    class Recursive extends Named {
      override greet(name: string): string {
        if (name === "outer") return `${this.label}(${holder.proxy!.greet("inner")})`;
        return super.greet(name);
      }
    }
    const proxy = holder.proxy = new Delegator(
      new Greeter(),
      "Greeter",
      { a: new Recursive("a", calls), b: new Named("b", calls) },
      () => (selections++, ["a"]),
    ).proxy();
    assert.equal(proxy.greet("outer"), "a(a greets inner)");
    assert.equal(selections, 1);
  });
});

describe("LazyServiceWrapper", () => {
  const registry = new BackendRegistry<Greeter>("tests.Greeter")
    .register("tests.Hello", () => new Named("hello", []), { aliases: ["hello"] })
    .register("tests.Risky", () => new Named("risky", []), { dangerous: true });
  const ctx = { settings: {}, logger: captureLogger().logger };

  test("builds the named backend once, on first use, and exposes its methods", () => {
    let built = 0;
    const counted = new BackendRegistry<Greeter>("tests.Greeter").register("x", () => {
      built++;
      return new Named("x", []);
    });
    const w = new LazyServiceWrapper({
      registry: counted,
      setting: "S",
      path: "x",
      options: {},
      ctx,
    });
    assert.equal(built, 0);
    const exposed = w.expose();
    assert.equal(exposed.greet("a"), "x greets a");
    assert.equal(exposed.greet("b"), "x greets b");
    assert.equal(built, 1);
  });

  test("aliases, the dangerous-backend warning, and unknown names", () => {
    const warnings: string[] = [];
    const aliased = new LazyServiceWrapper({
      registry,
      setting: "S",
      path: "hello",
      options: {},
      ctx,
    });
    assert.equal(aliased.instance.greet("a"), "hello greets a");
    new LazyServiceWrapper({
      registry,
      setting: "S",
      path: "tests.Risky",
      options: {},
      ctx,
      warn: (t) => warnings.push(t),
    }).instance;
    assert.deepEqual(warnings, [
      "UnsupportedBackend: The 'tests.Risky' backend for <class 'tests.Greeter'> is not recommended for production use.",
    ]);
    const unknown = new LazyServiceWrapper({
      registry,
      setting: "SENTRY_X_BACKEND",
      path: "tests.Nope",
      options: {},
      ctx,
    });
    assert.throws(
      () => unknown.instance,
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 3 &&
        e.message === "SENTRY_X_BACKEND: unknown backend 'tests.Nope'" &&
        e.hint === "known backends: tests.Hello, tests.Risky",
    );
  });
});

describe("metrics backends and setup_services", () => {
  test("the logging backend writes Sentry's %r: %+g and %g ms lines at DEBUG", () => {
    const { logger, lines } = captureLogger();
    const services = buildServices(
      { SENTRY_METRICS_BACKEND: "logging", SENTRY_PERMISSIONS_BACKEND: "memory" },
      logger,
      () => {},
    );
    const metrics = services.metrics.expose();
    metrics.incr("jobs", null, { a: "b" });
    metrics.timing("took", 0.25);
    metrics.gauge("q", -3);
    assert.match(
      lines[0]!,
      /\[DEBUG\] sentry\.metrics: 'jobs': \+1 \(instance=None tags=\{'a': 'b'\}\)/,
    );
    assert.match(lines[1]!, /'took': 250 ms/);
    assert.match(lines[2]!, /'q': -3/);
  });

  test("several metrics backends at once through ServiceDelegator", async () => {
    const { logger, lines } = captureLogger();
    const settings = {
      SENTRY_METRICS_BACKEND: "sentry.utils.services.ServiceDelegator",
      SENTRY_METRICS_OPTIONS: {
        backend_base: "sentry.metrics.base.MetricsBackend",
        backends: {
          dummy: { path: "sentry.metrics.dummy.DummyMetricsBackend" },
          log: { path: "sentry.metrics.logging.LoggingBackend", options: { prefix: "p." } },
        },
        selector_func: "sentryctl.backends.selectors.all",
      },
      SENTRY_PERMISSIONS_BACKEND: "memory",
    };
    const services = buildServices(settings, logger, () => {});
    await setupServices(services, true);
    services.metrics.expose().incr("x", null, null, 2);
    assert.equal(lines.length, 0, "the logging backend is a secondary");
    await flush();
    assert.match(lines[0]!, /'x': \+2/);
  });

  test("bad backend configuration is a configuration error naming the setting", async () => {
    const { logger } = captureLogger();
    const bad = buildServices(
      {
        SENTRY_METRICS_BACKEND: "dummy",
        SENTRY_METRICS_OPTIONS: { host: "x" },
        SENTRY_PERMISSIONS_BACKEND: "memory",
      },
      logger,
      () => {},
    );
    await assert.rejects(
      setupServices(bad, true),
      (e: unknown) =>
        e instanceof SentryctlError && e.exitCode === 3 &&
        e.message ===
          "SENTRY_METRICS_BACKEND: DummyMetricsBackend got unexpected option 'host' (it takes prefix)",
    );
  });

  test("validate() is skipped when either variable is present, whatever its value; setup() always runs", async () => {
    assert.equal(skipValidation({ SENTRY_SKIP_BACKEND_VALIDATION: "" }), true);
    assert.equal(skipValidation({ SENTRY_SKIP_SERVICE_VALIDATION: "0" }), true);
    assert.equal(skipValidation({}), false);
    const calls: string[] = [];
    class Checked extends MemoryPermissionStore {
      validate() {
        calls.push("validate");
        throw new InvalidConfiguration("nope");
      }
      setup() {
        calls.push("setup");
      }
    }
    const { logger } = captureLogger();
    const services = buildServices(
      { SENTRY_METRICS_BACKEND: "dummy", SENTRY_PERMISSIONS_BACKEND: "memory" },
      logger,
      () => {},
    );
    (services.permissions as unknown as { instance: unknown }).instance; // build the real one first
    Object.defineProperty(services.permissions, "instance", { value: new Checked() });
    await assert.rejects(setupServices(services, true), /SENTRY_PERMISSIONS_BACKEND: nope/);
    calls.length = 0;
    await setupServices(services, false);
    assert.deepEqual(calls, ["setup"]);
  });
});

describe("the in-memory permission store", () => {
  test("add, duplicate, list in order, remove, and the 32-character limit", async () => {
    const store = new MemoryPermissionStore();
    assert.equal(await store.add(1, "users.admin"), true);
    assert.equal(await store.add(1, "broadcasts.admin"), true);
    assert.equal(await store.add(1, "users.admin"), false);
    assert.deepEqual(await store.list(1), ["broadcasts.admin", "users.admin"]);
    assert.deepEqual(await store.list(2), []);
    assert.equal(await store.remove(1, "users.admin"), true);
    assert.equal(await store.remove(1, "users.admin"), false);
    await assert.rejects(store.add(1, "x".repeat(33)), PermissionTooLong);
  });
});
