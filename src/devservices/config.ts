// A repo's `devservices/config.yml` as getsentry/devservices reads it: the
// `x-sentry-service-config` block (version, service_name, dependencies, modes,
// healthcheck_timeout), `x-programs`, and the names of the compose services. Validation runs in
// devservices' order and fails with its exact messages (users and scripts match on them).

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LoadedProject } from "../compose/types.ts";
import { configError, type SentryctlError } from "../errors.ts";
import { reprString } from "../lib/python.ts";

export const CONFIG_DIR_NAME = "devservices";
export const CONFIG_FILE_NAME = "config.yml";
export const DEFAULT_HEALTHCHECK_TIMEOUT = 180;

export interface RemoteConfig {
  repoName: string;
  branch: string;
  repoLink: string;
  mode: string;
}

/** devservices' three kinds: `service` (remote repo), `compose`, `supervisor` (an x-program). */
export type DependencyType = "service" | "compose" | "supervisor";

export interface Dependency {
  name: string;
  description: string;
  type: DependencyType;
  remote?: RemoteConfig;
}

export interface ProgramSpec {
  name: string;
  command: string;
  /** Restart when it exits (supervisor's autorestart; devservices' default is true). */
  autorestart: boolean;
  environment: Record<string, string>;
}

export interface DevservicesConfig {
  /** The repo (the directory holding `devservices/`). */
  repoDir: string;
  configPath: string;
  version: number;
  serviceName: string;
  dependencies: Map<string, Dependency>;
  modes: Map<string, string[]>;
  healthcheckTimeout: number;
  programs: Map<string, ProgramSpec>;
  /** Compose service names, in file order. */
  composeServices: string[];
  /** The compose reader's project, when read from a file. */
  project?: LoadedProject;
}

const VALID_VERSIONS = [0.1];
const DEPENDENCY_KEYS = new Set(["description", "remote"]);
const REMOTE_KEYS = ["repo_name", "branch", "repo_link"] as const;

/** Raised with devservices' own message; the devservices command line prints it as is. */
function invalid(message: string, details?: string) {
  return configError(message, { details });
}

export function configPathOf(repoDir: string): string {
  return join(repoDir, CONFIG_DIR_NAME, CONFIG_FILE_NAME);
}

/**
 * Reads and validates `<repoDir>/devservices/config.yml` (or `path`, from `-c`) through the
 * compose reader (src/compose): its model's services and `x-` blocks.
 */
export async function loadConfig(
  repoDir: string,
  path = configPathOf(repoDir),
  env: Record<string, string | undefined> = {},
): Promise<DevservicesConfig> {
  if (!existsSync(path)) throw invalid(`No devservices configuration found in ${path}`);
  const { loadProject } = await import("../compose/index.ts");
  let project: LoadedProject;
  try {
    project = await loadProject({ files: [path], env, cwd: repoDir });
  } catch (err) {
    const message = (err as Error).message;
    throw invalid(`Error parsing config file: ${message}`, (err as SentryctlError).details);
  }
  const data = { ...project.model.extensions, services: project.model.services };
  return { ...parseConfig(data, repoDir, path), project };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Python's repr of a set of strings, as devservices' messages show it: `{'a', 'b'}`. */
function pySet(items: string[]): string {
  return `{${items.map(reprString).join(", ")}}`;
}

/** Validates parsed YAML (exported for tests that build configs in memory). */
export function parseConfig(data: unknown, repoDir: string, path: string): DevservicesConfig {
  if (!isMap(data) || !("x-sentry-service-config" in data)) {
    throw invalid("Config file does not contain 'x-sentry-service-config' key");
  }
  const raw = isMap(data["x-sentry-service-config"]) ? data["x-sentry-service-config"] : {};
  const composeServices = isMap(data.services) ? Object.keys(data.services) : [];
  const programs = parsePrograms(data["x-programs"]);

  const dependencies = new Map<string, Dependency>();
  const rawDeps = isMap(raw.dependencies) ? raw.dependencies : {};
  for (const [name, value] of Object.entries(rawDeps)) {
    const dep = isMap(value) ? value : {};
    const unexpected = Object.keys(dep).filter((k) => !DEPENDENCY_KEYS.has(k));
    if (unexpected.length > 0) {
      throw invalid(`Unexpected key(s) in dependency '${name}': ${pySet(unexpected)}`);
    }
    const description = typeof dep.description === "string" ? dep.description : "";
    if (dep.remote === undefined || dep.remote === null) {
      const type: DependencyType | undefined = programs.has(name)
        ? "supervisor"
        : composeServices.includes(name)
        ? "compose"
        : undefined;
      if (!type) {
        throw invalid(
          `Dependency '${name}' is not remote but is not defined in docker-compose services or x-programs`,
        );
      }
      dependencies.set(name, { name, description, type });
      continue;
    }
    dependencies.set(name, { name, description, type: "service", remote: parseRemote(dep.remote) });
  }

  const version = raw.version;
  if (version === undefined || version === null || version === 0 || version === "") {
    throw invalid("Version is required in service config");
  }
  if (typeof version !== "number" || !VALID_VERSIONS.includes(version)) {
    throw invalid(`Invalid version '${String(version)}' in service config`);
  }
  const serviceName = raw.service_name;
  if (typeof serviceName !== "string" || serviceName === "") {
    throw invalid("Service name is required in service config");
  }
  const rawModes = isMap(raw.modes) ? raw.modes : {};
  if (!("default" in rawModes)) throw invalid("Default mode is required in service config");
  const modes = new Map<string, string[]>();
  for (const [mode, services] of Object.entries(rawModes)) {
    if (!Array.isArray(services)) throw invalid(`Services in mode '${mode}' must be a list`);
    for (const service of services) {
      if (!dependencies.has(String(service))) {
        throw invalid(
          `Service '${String(service)}' in mode '${mode}' is not defined in dependencies`,
        );
      }
    }
    modes.set(mode, services.map(String));
  }
  let healthcheckTimeout = DEFAULT_HEALTHCHECK_TIMEOUT;
  if (raw.healthcheck_timeout !== undefined && raw.healthcheck_timeout !== null) {
    const t = raw.healthcheck_timeout;
    if (typeof t !== "number" || !Number.isInteger(t) || t <= 0) {
      throw invalid("healthcheck_timeout must be a positive integer");
    }
    healthcheckTimeout = t;
  }
  return {
    repoDir,
    configPath: path,
    version,
    serviceName,
    dependencies,
    modes,
    healthcheckTimeout,
    programs,
    composeServices,
  };
}

function parseRemote(value: unknown): RemoteConfig {
  // devservices builds RemoteConfig(**remote); Python's TypeError names what is wrong.
  const remote = isMap(value) ? value : {};
  const extra = Object.keys(remote).filter(
    (k) => !(REMOTE_KEYS as readonly string[]).includes(k) && k !== "mode",
  );
  if (extra.length > 0) {
    throw invalid(
      `Error parsing service dependencies: RemoteConfig.__init__() got an unexpected keyword argument '${
        extra[0]
      }'`,
    );
  }
  const missing = REMOTE_KEYS.filter((k) => remote[k] === undefined);
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1
      ? names[0]
      : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    throw invalid(
      `Error parsing service dependencies: RemoteConfig.__init__() missing ${missing.length} required positional argument${
        missing.length === 1 ? "" : "s"
      }: ${list}`,
    );
  }
  return {
    repoName: String(remote.repo_name),
    branch: String(remote.branch),
    repoLink: String(remote.repo_link),
    mode: remote.mode === undefined || remote.mode === null ? "default" : String(remote.mode),
  };
}

function parsePrograms(value: unknown): Map<string, ProgramSpec> {
  const programs = new Map<string, ProgramSpec>();
  if (!isMap(value)) return programs;
  for (const [name, raw] of Object.entries(value)) {
    const spec = isMap(raw) ? raw : {};
    if (typeof spec.command !== "string" || spec.command.trim() === "") {
      throw invalid(`Program '${name}' in x-programs has no command`);
    }
    const env: Record<string, string> = {};
    if (isMap(spec.environment)) {
      for (const [k, v] of Object.entries(spec.environment)) env[k] = String(v ?? "");
    }
    programs.set(name, {
      name,
      command: spec.command,
      autorestart: spec.autorestart === undefined ? true : spec.autorestart !== false &&
        spec.autorestart !== "false",
      environment: env,
    });
  }
  return programs;
}
