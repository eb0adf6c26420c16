import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { SentryctlError } from "../errors.ts";
import type { Signals as SignalsLike } from "../runtime/io.ts";
import type { ChildResult, ChildSpec } from "../runtime/spawn.ts";
import type { ServiceEndpoint } from "./env.ts";
import { runWith, type StackRequest, type StackRunner, type WithRequest } from "./with.ts";

class Signals extends EventEmitter implements SignalsLike {
  override on(sig: string, l: () => void) {
    return super.on(sig, l);
  }
  override off(sig: string, l: () => void) {
    return super.off(sig, l);
  }
}

const REDIS: ServiceEndpoint[] = [{
  service: "redis",
  ports: [{ containerPort: "6379/tcp", hostIp: "127.0.0.1", hostPort: 40123 }],
}];

class FakeStack implements StackRunner {
  calls: string[] = [];
  requests: StackRequest[] = [];
  constructor(
    private readonly behaviour: {
      up?: (req: StackRequest) => Promise<ServiceEndpoint[]>;
      teardown?: () => Promise<void>;
    } = {},
  ) {}
  up(req: StackRequest) {
    this.calls.push(`up ${req.project}`);
    this.requests.push(req);
    return this.behaviour.up ? this.behaviour.up(req) : Promise.resolve(REDIS);
  }
  teardown(project: string) {
    this.calls.push(`teardown ${project}`);
    return this.behaviour.teardown ? this.behaviour.teardown() : Promise.resolve();
  }
}

const REQUEST: WithRequest = {
  project: "sentry-with-0000abcd",
  isolated: true,
  keep: false,
  services: ["redis"],
  command: "pytest",
  args: ["-v"],
  timeoutSeconds: 30,
  session: "host=h;boot=b;pid=1;start=2",
};

function harness(
  stack: StackRunner,
  child: (spec: ChildSpec) => Promise<ChildResult> = () =>
    Promise.resolve({ kind: "exited", status: 0, forwarded: [] }),
) {
  const signals = new Signals();
  let stderr = "";
  const specs: ChildSpec[] = [];
  const deps = {
    stack,
    runChild: (spec: ChildSpec) => {
      specs.push(spec);
      return child(spec);
    },
    signals,
    forward: ["SIGINT", "SIGTERM"] as const,
    env: { PATH: "/bin", UNSET: undefined, SENTRY_REDIS_PORT: "stale" },
    cwd: "/work",
    stderr: { write: (s: string | Uint8Array) => (stderr += String(s)) },
  };
  return { deps, signals, specs, stderr: () => stderr };
}

describe("runWith", () => {
  test("up, child with the service variables, teardown; the child's status is returned", async () => {
    const stack = new FakeStack();
    const h = harness(stack, () => Promise.resolve({ kind: "exited", status: 7, forwarded: [] }));
    assert.equal(await runWith(REQUEST, h.deps), 7);
    assert.deepEqual(stack.calls, ["up sentry-with-0000abcd", "teardown sentry-with-0000abcd"]);
    assert.equal(stack.requests[0]!.isolated, true);
    assert.equal(stack.requests[0]!.session, "host=h;boot=b;pid=1;start=2");
    assert.deepEqual(stack.requests[0]!.services, ["redis"]);
    const spec = h.specs[0]!;
    assert.equal(spec.command, "pytest");
    assert.deepEqual(spec.args, ["-v"]);
    assert.equal(spec.cwd, "/work");
    assert.deepEqual(spec.forward, ["SIGINT", "SIGTERM"]);
    assert.deepEqual(spec.env, {
      PATH: "/bin",
      SENTRY_REDIS_PORT: "40123",
      SENTRY_REDIS_HOST: "127.0.0.1",
      SENTRY_REDIS_PORT_6379: "40123",
      SENTRY_REDIS_URL: "redis://127.0.0.1:40123/0",
    });
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
      assert.equal(h.signals.listenerCount(sig), 0);
    }
    assert.match(h.stderr(), /^> redis on 127\.0\.0\.1:40123 \(6379\/tcp\)$/m);
  });

  test("a local status server's variables are added, never over inherited ones", async () => {
    const h = harness(new FakeStack());
    const statusEnv = Promise.resolve({
      SENTRY_SPOTLIGHT: "http://127.0.0.1:8990/stream",
      SENTRY_DSN: "http://sentryctl@127.0.0.1:8990/1",
    });
    const env = { ...h.deps.env, SENTRY_DSN: "https://key@o1.ingest.example/2" };
    assert.equal(await runWith(REQUEST, { ...h.deps, env, statusEnv }), 0);
    assert.equal(h.specs[0]!.env.SENTRY_SPOTLIGHT, "http://127.0.0.1:8990/stream");
    assert.equal(h.specs[0]!.env.SENTRY_DSN, "https://key@o1.ingest.example/2");
    const failed = harness(new FakeStack());
    const rejected = Promise.reject(new Error("probe failed"));
    assert.equal(await runWith(REQUEST, { ...failed.deps, statusEnv: rejected }), 0);
    assert.equal(failed.specs[0]!.env.SENTRY_SPOTLIGHT, undefined);
  });

  test("--reuse: nothing is torn down", async () => {
    const stack = new FakeStack();
    const h = harness(stack);
    assert.equal(await runWith({ ...REQUEST, isolated: false, project: "sentry" }, h.deps), 0);
    assert.deepEqual(stack.calls, ["up sentry"]);
  });

  test("--keep: the isolated project stays and the message says how to remove it", async () => {
    const stack = new FakeStack();
    const h = harness(stack);
    assert.equal(await runWith({ ...REQUEST, keep: true }, h.deps), 0);
    assert.deepEqual(stack.calls, ["up sentry-with-0000abcd"]);
    assert.match(h.stderr(), /Keeping 'sentry-with-0000abcd' \(--keep\)/);
  });

  test("a failed start tears down and rethrows; the child never runs", async () => {
    const stack = new FakeStack({
      up: () =>
        Promise.reject(
          new SentryctlError("unhealthy", "Service 'redis' did not become healthy in time"),
        ),
    });
    const h = harness(stack);
    await assert.rejects(runWith(REQUEST, h.deps), { category: "unhealthy" });
    assert.deepEqual(stack.calls, ["up sentry-with-0000abcd", "teardown sentry-with-0000abcd"]);
    assert.equal(h.specs.length, 0);
  });

  test("a signal during start-up aborts it (exit category aborted) and tears down", async () => {
    const stack = new FakeStack({
      up: (req) =>
        new Promise((_, reject) => {
          req.signal.addEventListener("abort", () => reject(new Error("pull cancelled")));
        }),
    });
    const h = harness(stack);
    const running = runWith(REQUEST, h.deps);
    await new Promise((r) => setTimeout(r, 10));
    h.signals.emit("SIGTERM");
    await assert.rejects(running, (err: SentryctlError) => {
      assert.equal(err.category, "aborted");
      assert.equal(err.exitCode, 130);
      assert.match(err.message, /Interrupted \(SIGTERM\) while starting redis/);
      return true;
    });
    assert.deepEqual(stack.calls, ["up sentry-with-0000abcd", "teardown sentry-with-0000abcd"]);
    assert.equal(h.specs.length, 0);
  });

  test("a signal that lands just as start-up finishes still aborts before the child", async () => {
    const ref: { signals?: Signals } = {};
    const stack = new FakeStack({
      up: () => {
        ref.signals!.emit("SIGINT");
        return Promise.resolve(REDIS);
      },
    });
    const h = harness(stack);
    ref.signals = h.signals;
    await assert.rejects(runWith(REQUEST, h.deps), { category: "aborted" });
    assert.equal(h.specs.length, 0);
  });

  test("a signal during teardown is reported, not fatal", async () => {
    const ref: { signals?: Signals } = {};
    const stack = new FakeStack({
      teardown: () => {
        ref.signals!.emit("SIGINT");
        return Promise.resolve();
      },
    });
    const h = harness(
      stack,
      () =>
        Promise.resolve({ kind: "exited", status: 143, signal: "SIGTERM", forwarded: ["SIGTERM"] }),
    );
    ref.signals = h.signals;
    assert.equal(await runWith(REQUEST, h.deps), 143);
    assert.match(h.stderr(), /Still removing 'sentry-with-0000abcd'/);
  });

  test("a failed teardown warns and keeps the child's status", async () => {
    const stack = new FakeStack({ teardown: () => Promise.reject(new Error("engine went away")) });
    const h = harness(stack, () => Promise.resolve({ kind: "exited", status: 4, forwarded: [] }));
    assert.equal(await runWith(REQUEST, h.deps), 4);
    assert.match(h.stderr(), /warning: could not remove 'sentry-with-0000abcd': engine went away/);
  });

  test("a command that cannot start: 127 with its message, and the project is removed", async () => {
    const stack = new FakeStack();
    const h = harness(
      stack,
      () =>
        Promise.resolve({
          kind: "not-started",
          status: 127,
          message: "cannot run 'pytest': command not found",
        }),
    );
    assert.equal(await runWith(REQUEST, h.deps), 127);
    assert.match(h.stderr(), /error: cannot run 'pytest': command not found/);
    assert.deepEqual(stack.calls.at(-1), "teardown sentry-with-0000abcd");
  });
});
