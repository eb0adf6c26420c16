// Hostile settings and names: a wrong type is named as a wrong type, and user input echoed in
// messages is escaped and truncated.

import { test } from "node:test";
import assert from "node:assert/strict";
import { SentryctlError } from "../errors.ts";
import { defaultSettings } from "../settings/defaults.ts";
import { resolveServices, selectService } from "./resolve.ts";

const settings = (extra: Record<string, unknown> = {}) => ({ ...defaultSettings({}), ...extra });

const CASES: [string, Record<string, unknown>, string][] = [
  [
    "image: 12345",
    { redis: { image: 12345 } },
    "SENTRY_DEVSERVICES['redis'].image has the wrong type: expected a string, got an integer",
  ],
  [
    "ports as a list",
    { redis: { ports: [6379] } },
    "SENTRY_DEVSERVICES['redis'].ports has the wrong type: expected a mapping, got a list",
  ],
  [
    "command as a number",
    { mine: { image: "busybox", command: 7 } },
    "SENTRY_DEVSERVICES['mine'].command has the wrong type: expected a string or list, got an integer",
  ],
  [
    "only_if as a string",
    { redis: { only_if: "yes" } },
    "SENTRY_DEVSERVICES['redis'].only_if has the wrong type: expected a boolean, got a string",
  ],
  [
    "a new service without an image",
    { mine: { command: "x" } },
    "SENTRY_DEVSERVICES['mine'] has no image",
  ],
];
for (const [name, devservices, message] of CASES) {
  test(`SENTRY_DEVSERVICES: ${name}`, () => {
    assert.throws(
      () => resolveServices(settings({ SENTRY_DEVSERVICES: devservices }), {}, {}, "sentry"),
      (e: unknown) => e instanceof SentryctlError && e.exitCode === 3 && e.message === message,
    );
  });
}

test("an unknown service name is escaped and cut in the message", () => {
  const services = resolveServices(settings(), {}, {}, "sentry");
  const name = "\x1b[31m" + "r".repeat(10_000);
  assert.throws(
    () => selectService(services, name, false),
    (e: unknown) =>
      e instanceof SentryctlError && e.exitCode === 1 &&
      e.message ===
        `Service \`\\x1b[31m${
          "r".repeat(75)
        }… (9925 more characters)\` is not known or not enabled.`,
  );
});
