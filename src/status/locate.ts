// Finding the local status server from another command (`with`, `run`, `tail`): the address a
// running `serve` recorded in the state directory (`status-server.json`), then `status.bind`.
// A candidate counts only when its `/health` answers `ok` in time, so a stale record or a
// stopped server costs one refused connection, never a hang.

import { readServerRecord } from "../api/local-server.ts";
import { hostForUrl, parseBind } from "./bind.ts";

/** Origins to try, most specific first (duplicates removed). */
export function candidateOrigins(stateDir: string, bind: string): string[] {
  const out: string[] = [];
  // A running serve's record (its process alive) names its actual address, even port 0's.
  const record = readServerRecord(stateDir);
  if (record && record.url.startsWith("http:")) out.push(record.url);
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
