// Finding the local status server from another command (`with`, `run`, `tail`): the address a
// running `serve` recorded in the state directory (`status-server.json`), then `status.bind`.
// A candidate counts only when its `/health` answers `ok` in time, so a stale record or a
// stopped server costs one refused connection, never a hang.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hostForUrl, parseBind } from "./bind.ts";

const RECORD_FILE = "status-server.json";

/** Origins to try, most specific first (duplicates removed). */
export function candidateOrigins(stateDir: string, bind: string): string[] {
  const out: string[] = [];
  try {
    const record = JSON.parse(readFileSync(join(stateDir, RECORD_FILE), "utf8")) as {
      url?: unknown;
    };
    if (typeof record.url === "string") {
      const u = new URL(record.url);
      if (u.protocol === "http:") out.push(u.origin);
    }
  } catch {
    // No record (serve not running, or an older serve): the configured bind is next.
  }
  try {
    const b = parseBind(bind);
    const host = b.host === "0.0.0.0" ? "127.0.0.1" : b.host === "::" ? "::1" : b.host;
    out.push(`http://${hostForUrl(host)}:${b.port}`);
  } catch {
    // An invalid status.bind is reported by serve itself.
  }
  return [...new Set(out)];
}

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The first origin whose `/health` says `ok` within `timeoutMs`, else undefined. */
export async function findStatusServer(
  origins: readonly string[],
  fetchFn: Fetch,
  timeoutMs = 500,
): Promise<string | undefined> {
  for (const origin of origins) {
    try {
      const res = await fetchFn(`${origin}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (res.ok && text.trim().toLowerCase() === "ok") return origin;
    } catch {
      // Not answering: try the next one.
    }
  }
  return undefined;
}

/** What `with`/`run` add for a status server at `origin`: only variables not already set. */
export function spotlightEnv(
  origin: string,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!env.SENTRY_SPOTLIGHT) out.SENTRY_SPOTLIGHT = `${origin}/stream`;
  if (!env.SENTRY_DSN) out.SENTRY_DSN = `${origin.replace("://", "://sentryctl@")}/1`;
  return out;
}
