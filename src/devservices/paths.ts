// Where devservices keeps things, so sentryctl and getsentry/devservices share them: the
// dependency cache `~/.cache/sentry-devservices/dependencies/v1/<repo_name>` (devservices expands
// `~` and ignores XDG_CACHE_HOME, so we do too), the devenv code root
// (`~/.config/sentry-devenv/config.ini`, `[devenv] coderoot`), and sentryctl's own state
// (`<state dir>/devservices-state.json`, `<state dir>/programs/<service>/`).

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const CACHE_VERSION = "v1";

export function cacheDir(home: string): string {
  return join(home, ".cache", "sentry-devservices");
}

export function dependenciesDir(home: string): string {
  return join(cacheDir(home), "dependencies");
}

export function repoCacheDir(home: string, repoName: string): string {
  return join(dependenciesDir(home), CACHE_VERSION, repoName);
}

/** The state directory for devservices' runtime state: `$SENTRY_CONF`, else `~/.sentry`. */
export function stateDir(env: Record<string, string | undefined>, home: string): string {
  return env.SENTRY_CONF ? resolve(env.SENTRY_CONF) : join(home, ".sentry");
}

export function programsDir(state: string, service: string): string {
  return join(state, "programs", service);
}

/** `[devenv] coderoot` of devenv's config.ini, `~` expanded; undefined without one. */
export function codeRoot(home: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(home, ".config", "sentry-devenv", "config.ini"), "utf8");
  } catch {
    return undefined;
  }
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const kv = /^([^=:]+)[=:](.*)$/.exec(line);
    if (section === "devenv" && kv && kv[1]!.trim() === "coderoot") {
      const value = kv[2]!.trim();
      return value.startsWith("~") ? join(home, value.slice(1)) : value;
    }
  }
  return undefined;
}
