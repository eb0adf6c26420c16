// A `sentryctl serve` child for end-to-end tests: started, waited for until it has written its
// token file, its addresses read from what it printed, and stopped again. The e2e suites that
// talk to a running status server (status, status-views, api-status, spotlight) share this
// rather than each parsing serve's banner its own way.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { testEnv } from "./cli.ts";
import { type Exit, RunningCli } from "./process.ts";

export interface StatusServer {
  process: RunningCli;
  /** `http://host:port` the server listens on. */
  base: string;
  /** The dashboard's one-time link. */
  link: string;
  /** The DSN serve prints for SDKs. */
  dsn: string;
  /** The long-lived API token (`<config dir>/status-token`). */
  token: string;
  /** `fetch` of `base + path` with the token as a bearer. */
  api(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Starts `sentryctl --config CONF serve ARGS…` and resolves once serve has printed its token
 * file (it then listens and the services cache is filled).
 */
export async function startServe(
  conf: string,
  args: string[],
  env: Record<string, string> = testEnv(),
  timeoutMs = 30_000,
): Promise<StatusServer> {
  const serve = new RunningCli(["--config", conf, "serve", ...args], env);
  await serve.waitFor(/Token file: .+\n/, timeoutMs);
  const base = /Status server on (http:\/\/[^/]+)\//.exec(serve.stdout)?.[1] ?? "";
  const token = readFileSync(join(conf, "status-token"), "utf8").trim();
  return {
    process: serve,
    base,
    link: /Dashboard \(one-time link\): (\S+)/.exec(serve.stdout)?.[1] ?? "",
    dsn: /DSN: (\S+)/.exec(serve.stdout)?.[1] ?? "",
    token,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(`${base}${path}`, { ...init, headers });
    },
  };
}

/** SIGTERMs a serve child still running and waits for its exit (for `after`). */
export async function stopServe(serve: RunningCli | undefined): Promise<Exit | undefined> {
  if (!serve || serve.child.exitCode !== null || serve.child.signalCode !== null) return undefined;
  serve.signal("SIGTERM");
  return await serve.exited;
}
