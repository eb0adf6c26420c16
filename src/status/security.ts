// The status server's locks (SPEC §7): the Host allow-list against DNS rebinding, the bearer
// token or session cookie, the one-time link, and the Origin check on state changes. Each is
// a small pure function so the rules are tested one by one.

export const SESSION_COOKIE = "sentryctl_session";

/** The host name of a Host header value, lowercase, without port or IPv6 brackets. */
export function hostName(hostHeader: string | null): string | null {
  if (!hostHeader) return null;
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end === -1 ? null : value.slice(1, end);
  }
  const colon = value.indexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

/** Names every loopback server answers to, plus the bind host and configured extras. */
export function defaultAllowedHosts(bindHost: string, extra: string[] = []): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1", ...extra.map((h) => h.toLowerCase())]);
  const bind = bindHost.replace(/^\[|\]$/g, "").toLowerCase();
  // A wildcard bind answers on every address, but the allowed names stay explicit.
  if (bind !== "0.0.0.0" && bind !== "::" && bind !== "") names.add(bind);
  return [...names];
}

export function hostAllowed(hostHeader: string | null, allowed: readonly string[]): boolean {
  const name = hostName(hostHeader);
  return name !== null && allowed.includes(name);
}

/** Constant-time string comparison, so the token cannot be guessed byte by byte from timing. */
export function sameSecret(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0 && a.length > 0;
}

export function bearer(authorization: string | null): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m ? m[1]! : null;
}

export function cookieValue(cookieHeader: string | null, name: string): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Whether a state-changing request may proceed. Browsers send `Origin` on every non-GET
 * request; it must name this server (scheme, host and port as the client reached it).
 * `Sec-Fetch-Site: cross-site` without an Origin is refused too. Clients that are not
 * browsers (curl, the API client) send neither and rely on the bearer token.
 */
export function originAllowed(
  origin: string | null,
  fetchSite: string | null,
  hostHeader: string | null,
  allowed: readonly string[],
): boolean {
  if (origin === null || origin === "") {
    return fetchSite === null || fetchSite === "same-origin" || fetchSite === "none";
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return url.host === (hostHeader ?? "").toLowerCase() && allowed.includes(hostName(url.host)!);
}

/** CORS for ingest: browser SDKs served from http://localhost:* or http://127.0.0.1:*. */
export function corsOrigin(origin: string | null): string | null {
  if (!origin) return null;
  return /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/.test(origin) ? origin : null;
}
