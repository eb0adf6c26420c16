// A compose healthcheck as sentryctl's probe (SPEC §3a): `[CMD, …]` runs as is, `[CMD-SHELL, s]`
// through `/bin/sh -c`, `[NONE]`/`disable` is none. Its interval, timeout, retries and
// start_period carry over; Docker runs the same command as the container's HEALTHCHECK.

import type { CreateContainerBody } from "../../docker/types.ts";
import type { Healthcheck } from "../../compose/types.ts";
import type { HealthcheckSpec } from "../../services/spec.ts";

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Compose's duration (`1m30s`, `500ms`, `10`) in seconds; undefined when absent or unreadable. */
export function durationSeconds(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/**
 * Without a `healthcheck:` test of its own a service is waited for by Docker's health status:
 * the image's HEALTHCHECK, if it has one (compose's `service_healthy`). No time limit of ours
 * beyond `up --timeout` and a generous total: Docker says `unhealthy` when it gives up.
 */
export const IMAGE_HEALTHCHECK: HealthcheckSpec = { docker: true, interval: 1, timeout_total: 600 };

/** The probe sentryctl waits with, or undefined when the service has none. */
export function probeOf(hc: Healthcheck | undefined): HealthcheckSpec | undefined {
  if (hc?.disable || hc?.test?.[0] === "NONE") return undefined;
  if (!hc?.test || hc.test.length === 0) return IMAGE_HEALTHCHECK;
  const [kind, ...rest] = hc.test;
  let exec: string[];
  if (kind === "CMD") exec = rest;
  else if (kind === "CMD-SHELL") exec = ["/bin/sh", "-c", rest.join(" ")];
  else return undefined;
  if (exec.length === 0) return undefined;
  const interval = durationSeconds(hc.interval) ?? 30;
  const timeout = durationSeconds(hc.timeout) ?? 30;
  const retries = hc.retries ?? 3;
  const startPeriod = durationSeconds(hc.start_period) ?? 0;
  return {
    exec,
    interval,
    timeout,
    retries,
    start_period: startPeriod,
    // Compose gives up once Docker calls it unhealthy: the start period, then `retries` failed
    // attempts of up to interval + timeout each. A floor keeps a short probe from timing out
    // before a cold container even started.
    timeout_total: Math.max(60, Math.ceil(startPeriod + (interval + timeout) * (retries + 1))),
  };
}

/** Docker's own HEALTHCHECK for the container (so `docker ps` and compose read health). */
export function dockerHealthcheck(
  probe: HealthcheckSpec | undefined,
  disabled = false,
): CreateContainerBody["Healthcheck"] {
  // `disable: true` / `[NONE]` turns the image's HEALTHCHECK off too, as compose does.
  if (disabled) return { Test: ["NONE"] };
  if (!probe?.exec) return undefined;
  const ns = 1_000_000_000;
  return {
    Test: ["CMD", ...probe.exec],
    Interval: Math.round(Math.max(1, probe.interval ?? 30) * ns),
    Timeout: Math.round(Math.max(1, probe.timeout ?? 30) * ns),
    Retries: probe.retries ?? 3,
    StartPeriod: Math.round(Math.max(0, probe.start_period ?? 0) * ns),
  };
}
