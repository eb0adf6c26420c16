// One call from a service and a mode to its plan: remote dependencies fetched (or read from the
// cache offline) and loaded, local-runtime toggles applied, projects ordered dependencies-first.

import { failure, isSentryctlError } from "../errors.ts";
import { type DevservicesConfig, loadConfig } from "./config.ts";
import { Fetcher } from "./fetch.ts";
import { type Plan, resolvePlan } from "./resolve.ts";
import { findLocalCheckout } from "./services.ts";

export interface PlanOptions {
  home: string;
  env: Record<string, string | undefined>;
  offline: boolean;
  excludeLocal: boolean;
  localRuntime: ReadonlySet<string>;
  warn(line: string): void;
  onFetch?(repoName: string): void;
}

export async function planFor(
  root: DevservicesConfig,
  mode: string,
  opts: PlanOptions,
): Promise<Plan> {
  const fetcher = new Fetcher(opts);
  return await resolvePlan({
    root,
    mode,
    localRuntime: opts.localRuntime,
    excludeLocal: opts.excludeLocal,
    warn: opts.warn,
    loadLocal: (name) => findLocalCheckout(opts.home, name),
    async loadRemote(remote) {
      const dir = await fetcher.ensure(remote);
      try {
        return await loadConfig(dir);
      } catch (err) {
        if (!isSentryctlError(err)) throw err;
        throw failure(
          `Invalid config for dependency: ${remote.repoName} (${remote.repoLink}) on ${remote.branch}`,
          { details: err.message },
        );
      }
    },
  });
}
