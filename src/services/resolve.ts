// Builds the effective service set (Sentry's `_prepare_containers`): the built-in catalog,
// overridden per service by `SENTRY_DEVSERVICES` from settings (deep-merge of `environment`,
// replace of other fields, `null` removes, new names add), then `only_if`, naming and the
// `{containers[x][name]}` templating of environment values.

import { configError, failure, type SentryctlError } from "../errors.ts";
import { echo } from "../lib/echo.ts";
import { BUILTIN_CATALOG } from "./catalog.ts";
import { configFilesFor, SERVICE_FILES } from "./config-files.ts";
import type { CatalogEntry, PortValue, ServiceSpec } from "./spec.ts";
import { specProblem } from "./validate-spec.ts";

export interface ResolvedService {
  name: string;
  containerName: string;
  spec: ServiceSpec;
  enabled: boolean;
  enabledBy?: string;
  /** Template references that could not be resolved; reported only if this service is used. */
  problems?: string[];
  /** Services this one's environment names through `{containers[x][…]}` (start them first). */
  references?: string[];
  /**
   * Files to copy into the container through the archive API before it starts (relay,
   * symbolicator, clickhouse and chartcuterie: config-files.ts; not bind-mounted, so remote
   * engines work); `path` is absolute inside the container. Computed on first read, so commands
   * that never start a container never touch the state directory.
   */
  files?: ServiceFile[];
}

export interface ServiceFile {
  path: string;
  content: string | Uint8Array;
  mode?: number;
}

export type ServiceSet = Map<string, ResolvedService>;

export function containerNameFor(project: string, service: string): string {
  return `${project}_${service}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Applies one override to a spec. `environment` merges key by key (null deletes a key). */
export function applyOverride(
  base: ServiceSpec | undefined,
  override: Record<string, unknown>,
  name: string,
): ServiceSpec {
  const merged: Record<string, unknown> = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(override)) {
    if (key === "environment" && isMapping(value)) {
      const env: Record<string, unknown> = { ...(base?.environment ?? {}) };
      for (const [k, v] of Object.entries(value)) {
        if (v === null) delete env[k];
        else env[k] = v;
      }
      merged.environment = env;
    } else if (value === null) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  checkFieldTypes(merged, name);
  if (merged.image === undefined || merged.image === "") {
    throw configError(`SENTRY_DEVSERVICES['${echo(name)}'] has no image`, {
      hint: "a service that is not in the built-in catalog needs at least `image`",
    });
  }
  return merged as unknown as ServiceSpec;
}

type FieldKind = "string" | "number" | "boolean" | "list" | "mapping" | "string or list";

/** The type each known field must have; a wrong type is named as such, not as "missing". */
const FIELD_KINDS: Record<string, FieldKind> = {
  image: "string",
  command: "string or list",
  entrypoint: "string or list",
  environment: "mapping",
  ports: "mapping",
  volumes: "mapping",
  ulimits: "list",
  platform: "string",
  only_if: "boolean",
  depends_on: "list",
  healthcheck: "mapping",
  with_devserver: "boolean",
  restart_policy: "string",
  extra_hosts: "mapping",
  labels: "mapping",
  stop_grace_period: "number",
};

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isMapping(value)) return "a mapping";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return `a ${typeof value}`;
}

function matches(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "list":
      return Array.isArray(value);
    case "mapping":
      return isMapping(value);
    case "string or list":
      return typeof value === "string" || Array.isArray(value);
  }
}

function checkFieldTypes(spec: Record<string, unknown>, name: string): void {
  for (const [field, kind] of Object.entries(FIELD_KINDS)) {
    const value = spec[field];
    if (value === undefined || matches(value, kind)) continue;
    throw configError(
      `SENTRY_DEVSERVICES['${echo(name)}'].${field} has the wrong type: expected a ${kind}, got ${
        kindOf(value)
      }`,
      { hint: `write ${field} as a ${kind} in the settings file` },
    );
  }
}

export function resolveServices(
  settings: Record<string, unknown>,
  options: Record<string, unknown>,
  env: Record<string, string | undefined>,
  project: string,
  catalog: Record<string, CatalogEntry> = BUILTIN_CATALOG,
  /** Write missing default config files into the state directory (commands that create). */
  writeFiles = true,
): ServiceSet {
  const overrides = settings.SENTRY_DEVSERVICES ?? {};
  if (!isMapping(overrides)) {
    throw configError("SENTRY_DEVSERVICES must be a mapping of service names to overrides");
  }
  const specs = new Map<string, { spec: ServiceSpec; enabledBy?: string }>();
  for (const [name, entry] of Object.entries(catalog)) {
    specs.set(name, { spec: entry.build(settings, options, env), enabledBy: entry.enabledBy });
  }
  for (const [name, override] of Object.entries(overrides)) {
    if (override === null) {
      specs.delete(name);
      continue;
    }
    if (!isMapping(override)) {
      throw configError(
        `SENTRY_DEVSERVICES['${echo(name)}'] must be a mapping, got ${
          Array.isArray(override) ? "a list" : typeof override
        }`,
      );
    }
    const current = specs.get(name);
    specs.set(name, {
      spec: applyOverride(current?.spec, override, name),
      enabledBy: current?.enabledBy,
    });
  }
  const services: ServiceSet = new Map();
  for (const [name, { spec, enabledBy }] of specs) {
    // Also what the catalog built from settings and the environment (SENTRY_RELAY_PORT, …).
    const problem = specProblem(name, spec as unknown as Record<string, unknown>);
    if (problem) {
      throw configError(`${problem.key}: ${problem.why}`, {
        hint: "fix SENTRY_DEVSERVICES (or the setting the service is built from)",
      });
    }
    services.set(name, {
      name,
      containerName: containerNameFor(project, name),
      spec,
      enabled: spec.only_if !== false,
      enabledBy,
    });
  }
  for (const service of services.values()) {
    const problems: string[] = [];
    const references = new Set<string>();
    service.spec = {
      ...service.spec,
      environment: renderEnvironment(
        service.spec.environment,
        services,
        project,
        problems,
        references,
      ),
    };
    if (problems.length > 0) service.problems = problems;
    references.delete(service.name);
    if (references.size > 0) service.references = [...references].sort();
    if (SERVICE_FILES[service.name]) {
      attachFiles(service, settings, services, project, writeFiles);
    }
  }
  return services;
}

/** `files` as a memoized getter (see ResolvedService.files); assigning replaces it. */
function attachFiles(
  service: ResolvedService,
  settings: Record<string, unknown>,
  services: ServiceSet,
  project: string,
  writeFiles: boolean,
): void {
  let files: ResolvedService["files"];
  let computed = false;
  Object.defineProperty(service, "files", {
    enumerable: true,
    configurable: true,
    get() {
      if (!computed) {
        const problems: string[] = [];
        files = configFilesFor(
          service.name,
          settings,
          (text) => renderTemplate(text, services, project, problems),
          writeFiles,
        );
        if (problems.length > 0) {
          throw configError(
            `the config files of '${service.name}' cannot be rendered: ${problems.join("; ")}`,
          );
        }
        computed = true;
      }
      return files;
    },
    set(value: ResolvedService["files"]) {
      files = value;
      computed = true;
    },
  });
}

/** Host address of a port value: `["0.0.0.0", 80]` → `0.0.0.0`, otherwise loopback. */
export function portHost(value: PortValue): string {
  return Array.isArray(value) ? value[0] : "127.0.0.1";
}
export function portNumber(value: PortValue): string {
  return String(Array.isArray(value) ? value[1] : value);
}

const PLACEHOLDER = /\{containers\[([^\]]+)\]\[(name|ports)\](?:\[([^\]]+)\]\[(0|1)\])?\}/g;

/**
 * Renders `{containers[kafka][name]}` and `{containers[kafka][ports][9092/tcp][0]}`. Names are
 * always known (`<project>_<service>`); a port of a service that is not there is recorded as a
 * problem, reported only when the service that refers to it is started.
 */
export function renderTemplate(
  value: string,
  services: ServiceSet,
  project: string,
  problems: string[],
  references?: Set<string>,
): string {
  return value.replace(
    PLACEHOLDER,
    (whole, service: string, field: string, port?: string, index?: string) => {
      references?.add(service);
      if (field === "name") {
        return services.get(service)?.containerName ??
          containerNameFor(project, service);
      }
      const bound = port ? services.get(service)?.spec.ports?.[port] : undefined;
      if (bound === undefined) {
        problems.push(`${whole}: service '${service}' publishes no port ${port ?? "(none named)"}`);
        return whole;
      }
      return index === "0" ? portHost(bound) : portNumber(bound);
    },
  );
}

function renderEnvironment(
  environment: ServiceSpec["environment"],
  services: ServiceSet,
  project: string,
  problems: string[],
  references: Set<string>,
): ServiceSpec["environment"] {
  if (!environment) return environment;
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(environment)) {
    out[key] = typeof value === "string"
      ? renderTemplate(value, services, project, problems, references)
      : value;
  }
  return out;
}

/** The service to run, or the "not known or not enabled" error of Sentry, exit 1. */
export function selectService(
  services: ServiceSet,
  name: string,
  skipOnlyIf: boolean,
): ResolvedService {
  const service = services.get(name);
  if (service && (service.enabled || skipOnlyIf)) {
    if (service.problems) {
      throw configError(
        `service '${echo(name)}' cannot be configured: ${service.problems.join("; ")}`,
        {
          hint: "fix the environment templates in SENTRY_DEVSERVICES",
        },
      );
    }
    return service;
  }
  throw unknownServiceError(services, name);
}

/**
 * Sentry's "not known or not enabled" error for `name`: the available services and, for a
 * disabled one, the setting that enables it. Every command that takes service names uses it.
 */
export function unknownServiceError(services: ServiceSet, name: string): SentryctlError {
  const service = services.get(name);
  const available = [...services.values()].filter((s) => s.enabled).map((s) => s.name).sort();
  const lines = ["Services that are available:", ...available.map((n) => `  ${n}`)];
  let hint: string | undefined;
  if (service && !service.enabled) {
    hint =
      `'${echo(name)}' is disabled by settings; it is enabled by ${
        service.enabledBy ?? "its only_if condition"
      }` +
      ", or run it anyway with --skip-only-if";
  }
  return failure(`Service \`${echo(name)}\` is not known or not enabled.`, {
    details: lines.join("\n"),
    hint,
  });
}

/**
 * Checks names given on a command line: each must be an enabled service or one with a
 * container in the project (`present`: run with --skip-only-if, or from an older config).
 */
export function checkServiceNames(
  services: ServiceSet,
  names: readonly string[],
  present: Iterable<string> = [],
): void {
  const found = new Set(present);
  for (const name of names) {
    if (services.get(name)?.enabled || found.has(name)) continue;
    throw unknownServiceError(services, name);
  }
}
