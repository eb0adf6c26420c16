// What devservices' programs get from a local status server (SPEC §7a): `SENTRY_SPOTLIGHT` and
// a local `SENTRY_DSN`, exactly as `with`/`run` export them and only when a server answers.
// devservices' command line has no settings chain, so the server is found from the state
// directory alone: the address a running `serve` recorded there, then `status.bind` from its
// `config.yml`, then the default bind. A variable the user already set wins; so does one a
// program's own `environment` sets (the supervisor lays that over this env).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadYamlMapping } from "../../formats/yaml-file.ts";
import { configDirFor, OPTIONS_FILE } from "../../settings/discover.ts";
import {
  candidateOrigins,
  type Fetch,
  findStatusServer,
  spotlightEnv,
} from "../../status/locate.ts";

const DEFAULT_BIND = "127.0.0.1:8990";

/** `status.bind` of the state directory's `config.yml`, or the default (unreadable: default). */
export async function configuredBind(stateDir: string): Promise<string> {
  const path = join(stateDir, OPTIONS_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return DEFAULT_BIND;
  }
  try {
    const value = (await loadYamlMapping(path, text)).values["status.bind"];
    return typeof value === "string" || typeof value === "number" ? String(value) : DEFAULT_BIND;
  } catch {
    // A broken config.yml is reported by the commands that read the settings, not here.
    return DEFAULT_BIND;
  }
}

/** The variables to add to the programs' env: none when both are set or no server answers. */
export async function programSpotlightEnv(
  env: Record<string, string | undefined>,
  home: string,
  fetchFn: Fetch,
): Promise<Record<string, string>> {
  if (env.SENTRY_SPOTLIGHT && env.SENTRY_DSN) return {};
  const { dir } = configDirFor(undefined, env, home);
  const origin = await findStatusServer(candidateOrigins(dir, await configuredBind(dir)), fetchFn);
  return origin ? spotlightEnv(origin, env) : {};
}
