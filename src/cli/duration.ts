// `--since` values: a duration (`20s`, `5m`, `1h30m`, `250ms`) counted back from now, a unix
// timestamp, or an RFC 3339 date — the forms `docker logs --since` accepts.

import { usageError } from "../errors.ts";
import { echo } from "../lib/echo.ts";

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)
    ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d)/g)
    : null;
  if (!parts) return undefined;
  let seconds = 0;
  for (const part of parts) {
    const [, value, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(part)!;
    seconds += Number(value) * UNITS[unit!]!;
  }
  return seconds;
}

/** Converts a `--since` value to Docker's unix-seconds form, relative to `nowMs`. */
export function sinceToUnix(text: string, nowMs: number): number {
  const duration = parseDuration(text);
  if (duration !== undefined) return Math.floor(nowMs / 1000 - duration);
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.floor(Number(text));
  const date = Date.parse(text);
  if (!Number.isNaN(date)) return Math.floor(date / 1000);
  throw usageError(`invalid --since value '${echo(text)}'`, {
    hint: "use a duration such as 20s, 5m or 1h, a unix timestamp, or an RFC 3339 date",
  });
}
