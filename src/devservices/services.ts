// Finding a service as devservices does: no name → `./devservices/config.yml`; a name → the repo
// in the devenv code root whose service_name matches (case-insensitively). Also the list of every
// repo in the code root that has a devservices config (`list-services -a`).

import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { failure } from "../errors.ts";
import { configPathOf, type DevservicesConfig, loadConfig } from "./config.ts";
import { codeRoot } from "./paths.ts";

export interface FindInput {
  name?: string;
  cwd: string;
  home: string;
  /** `-c/--config PATH`: this file, whose repo is the directory above its own. */
  configFile?: string;
  /** The command, for devservices' "Please specify a service (i.e. `devservices up sentry`)". */
  command: string;
}

/** Every repo directly under the code root with a devservices config, by directory name. */
export function codeRootRepos(home: string): string[] {
  const root = codeRoot(home);
  if (!root) return [];
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  return names.map((n) => join(root, n)).filter((dir) => existsSync(configPathOf(dir)));
}

/** Every service in the code root (configs that fail validation are left out). */
export async function codeRootServices(home: string): Promise<DevservicesConfig[]> {
  const loaded = await Promise.all(
    codeRootRepos(home).map((dir) => loadConfig(dir).catch(() => undefined)),
  );
  return loaded.filter((c): c is DevservicesConfig => c !== undefined);
}

export async function findService(input: FindInput): Promise<DevservicesConfig> {
  if (input.configFile) {
    const path = resolve(input.cwd, input.configFile);
    return await loadConfig(dirname(dirname(path)), path);
  }
  if (input.name === undefined) {
    const path = configPathOf(input.cwd);
    if (!existsSync(path)) {
      throw failure(
        `No devservices configuration found in ${path}. Please specify a service (i.e. \`devservices ${input.command} sentry\`) or run the command from a directory with a devservices configuration.`,
      );
    }
    return await loadConfig(input.cwd);
  }
  const wanted = input.name.toLowerCase();
  // The current repo first: it may live outside the code root.
  if (existsSync(configPathOf(input.cwd))) {
    const here = await loadConfig(input.cwd).catch(() => undefined);
    if (here && here.serviceName.toLowerCase() === wanted) return here;
  }
  const services = await codeRootServices(input.home);
  const match = services.find((s) => s.serviceName.toLowerCase() === wanted);
  if (match) return match;
  throw failure(
    `Service '${input.name}' not found.\nSupported services:\n${
      services.map((s) => `- ${s.serviceName}`).join("\n")
    }`,
  );
}

/** The checkout of a service in the code root (for a dependency toggled to run locally). */
export async function findLocalCheckout(
  home: string,
  serviceName: string,
): Promise<DevservicesConfig | undefined> {
  const services = await codeRootServices(home);
  return services.find((s) => s.serviceName === serviceName);
}
