import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { configureLogging } from "./configure.ts";
import { Logger, render } from "./logger.ts";

const at = new Date(2026, 0, 2, 3, 4, 5);

test("human lines look like Sentry's HumanRenderer", () => {
  assert.equal(
    render("human", at, 20, "sentry.metrics", "ready", { port: 1, tag: "a" }),
    "03:04:05 [INFO] sentry.metrics: ready (port=1 tag='a')\n",
  );
  assert.equal(
    render("human", at, 30, "sentry", "plain", {}),
    "03:04:05 [WARNING] sentry: plain\n",
  );
});

test("machine lines are one JSON object each", () => {
  const line = render("machine", at, 10, "sentry", "step", { step: "logging", ok: true });
  assert.ok(line.endsWith("\n"));
  const parsed = JSON.parse(line);
  assert.equal(parsed.level, "debug");
  assert.equal(parsed.event, "step");
  assert.equal(parsed.step, "logging");
  assert.equal(parsed.timestamp, at.toISOString());
});

test("SENTRY_LOG_LEVEL is case-sensitive, as Python's logging._nameToLevel", () => {
  const make = (env: Record<string, string>) =>
    configureLogging({ env, formatOption: "human", verbose: false, write() {} });
  assert.equal(make({ SENTRY_LOG_LEVEL: "DEBUG" }).level, "DEBUG");
  assert.equal(make({ SENTRY_LOG_LEVEL: "" }).level, "INFO");
  assert.throws(
    () => make({ SENTRY_LOG_LEVEL: "debug" }),
    (e: unknown) =>
      e instanceof SentryctlError && e.category === "configuration" &&
      e.message === "debug is not a valid logging level.",
  );
});

test("SENTRY_LOG_FORMAT is lower-cased and wins over the option", () => {
  const lines: string[] = [];
  const setup = configureLogging({
    env: { SENTRY_LOG_FORMAT: "MACHINE", SENTRY_LOG_LEVEL: "WARNING" },
    formatOption: "human",
    verbose: false,
    write: (l) => lines.push(l),
  });
  assert.equal(setup.format, "machine");
  assert.equal(setup.formatFromEnv, "machine");
  setup.logger.info("dropped");
  setup.logger.error("kept", { code: 3 });
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]!).code, 3);
});

test("an unknown format falls back to human and is reported", () => {
  const setup = configureLogging({ env: {}, formatOption: "json", verbose: true, write() {} });
  assert.equal(setup.format, "human");
  assert.equal(setup.unknownFormat, "json");
  assert.equal(setup.level, "DEBUG");
});

test("child loggers share the sink and level", () => {
  const lines: string[] = [];
  const root = new Logger("sentry", { level: 10, format: "human", write: (l) => lines.push(l) });
  root.child("sentry.metrics").debug("x");
  assert.match(lines[0]!, /\[DEBUG\] sentry\.metrics: x/);
});
