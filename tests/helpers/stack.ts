// Set-up shared by the end-to-end suites that run a stack of their own (stack, podman, tls,
// attach, status, api-status): settings that switch the built-in catalog off, the redis service
// most of them start, and a `sentryctl --config … --project …` runner.

import { BUILTIN_CATALOG } from "../../src/services/catalog.ts";
import { type CliResult, runCli, testEnv } from "./cli.ts";

/**
 * `SENTRY_DEVSERVICES:` entries (two-space indented lines) that remove every built-in service
 * not named in `keep`, so a test's project holds only the services it declares.
 */
export function catalogOff(keep: readonly string[] = []): string[] {
  return Object.keys(BUILTIN_CATALOG).filter((n) => !keep.includes(n)).map((n) => `  ${n}: null`);
}

/**
 * The `redis` entry of a test's SENTRY_DEVSERVICES (four-space indented under `  redis:`): the
 * test image on a host port of the test's choosing; `healthcheck` adds the redis-cli probe.
 */
export function redisService(port: number, opts: { healthcheck?: boolean } = {}): string {
  return [
    "  redis:",
    "    image: sentryctl-test/redis:7",
    "    command: null",
    `    ports: { "6379/tcp": ${port} }`,
    ...(opts.healthcheck
      ? ['    healthcheck: { exec: ["redis-cli", "ping"], timeout_total: 30 }']
      : []),
  ].join("\n") + "\n";
}

/** Runs `sentryctl --config CONF --project PROJECT ARGS…` with a fresh test environment. */
export function projectCli(
  conf: string,
  project: string,
  opts: { env?: () => Record<string, string>; timeoutMs?: number } = {},
): (args: string[]) => Promise<CliResult> {
  return (args) =>
    runCli(["--config", conf, "--project", project, ...args], {
      env: (opts.env ?? testEnv)(),
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
}
