// What Docker would refuse or silently change, checked before any container is planned (SPEC §2,
// issue 19 item 13): service names that cannot be part of a container name, host and container
// ports that are not port numbers, environment keys that Docker would split (`B=C` becomes
// `B="C=…"`) or that hold control characters. Each problem names the key path and why; the
// caller adds the file.

import { echo } from "../lib/echo.ts";

export interface SpecProblem {
  /** `SENTRY_DEVSERVICES['redis'].ports['6379/tcp']` */
  key: string;
  why: string;
}

/** Docker's container-name alphabet (the name becomes `<project>_<service>`). */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CONTAINER_PORT = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const show = (
  value: unknown,
) => (typeof value === "string" ? `'${echo(value)}'` : echo(JSON.stringify(value)));
const keyOf = (service: string, ...rest: string[]) =>
  `SENTRY_DEVSERVICES['${echo(service)}']${rest.join("")}`;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function serviceNameProblem(name: string): SpecProblem | undefined {
  if (SERVICE_NAME.test(name)) return undefined;
  return {
    key: keyOf(name),
    why: "a service name may hold only letters, digits, '_', '.' and '-', starting with a " +
      "letter or digit (it becomes part of the container name)",
  };
}

function portInRange(text: string): boolean {
  const n = Number(text);
  return /^\d{1,5}$/.test(text) && n >= 1 && n <= 65535;
}

/** A host port: an integer 1–65535 or its decimal string. */
function hostPortProblem(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) {
    return undefined;
  }
  if (typeof value === "string" && portInRange(value)) return undefined;
  return `host port ${show(value)} is not a port number (an integer from 1 to 65535)`;
}

function portValueProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return hostPortProblem(value);
  if (value.length !== 2) {
    return `expected a host port or [host address, host port], got a list of ${value.length}`;
  }
  const [host, port] = value;
  if (typeof host !== "string" || host === "" || /[\s/]/.test(host) || CONTROL.test(host)) {
    return `host address ${show(host)} is not an address`;
  }
  return hostPortProblem(port);
}

function portsProblem(service: string, ports: Record<string, unknown>): SpecProblem | undefined {
  for (const [containerPort, value] of Object.entries(ports)) {
    const at = keyOf(service, `.ports['${echo(containerPort)}']`);
    const m = CONTAINER_PORT.exec(containerPort);
    if (!m || !portInRange(m[1]!)) {
      return {
        key: at,
        why: `container port ${show(containerPort)} is not PORT or PORT/tcp|udp|sctp (1–65535)`,
      };
    }
    if (value === null) continue; // removes the binding in an override
    const why = portValueProblem(value);
    if (why) return { key: at, why };
  }
  return undefined;
}

function environmentProblem(
  service: string,
  environment: Record<string, unknown>,
): SpecProblem | undefined {
  for (const [name, value] of Object.entries(environment)) {
    const at = keyOf(service, `.environment['${echo(name)}']`);
    if (name === "") return { key: at, why: "an environment variable needs a name" };
    if (name.includes("=")) {
      return { key: at, why: "an environment variable name cannot contain '='" };
    }
    if (CONTROL.test(name)) {
      return { key: at, why: "an environment variable name cannot contain control characters" };
    }
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      if (typeof value === "string" && value.includes("\u0000")) {
        return { key: at, why: "an environment value cannot contain a NUL character" };
      }
      continue;
    }
    return {
      key: at,
      why: `an environment value must be a string, number, boolean or null, got ${
        Array.isArray(value) ? "a list" : isMapping(value) ? "a mapping" : typeof value
      }`,
    };
  }
  return undefined;
}

/**
 * The first problem in one service's spec or override (fields that are absent are not checked;
 * wrong field types are resolve.ts's `checkFieldTypes`).
 */
export function specProblem(name: string, spec: Record<string, unknown>): SpecProblem | undefined {
  const named = serviceNameProblem(name);
  if (named) return named;
  if (typeof spec.image === "string" && (/\s/.test(spec.image) || CONTROL.test(spec.image))) {
    return {
      key: keyOf(name, ".image"),
      why: `image ${show(spec.image)} contains whitespace or control characters`,
    };
  }
  if (isMapping(spec.ports)) {
    const p = portsProblem(name, spec.ports);
    if (p) return p;
  }
  if (isMapping(spec.environment)) return environmentProblem(name, spec.environment);
  return undefined;
}

/** The first problem among `SENTRY_DEVSERVICES` overrides as a settings file gives them. */
export function devservicesProblem(overrides: unknown): SpecProblem | undefined {
  if (!isMapping(overrides)) return undefined; // resolve.ts names a non-mapping
  for (const [name, override] of Object.entries(overrides)) {
    if (override === null) continue; // removes a catalog service: any name may be removed
    const named = serviceNameProblem(name);
    if (named) return named;
    if (!isMapping(override)) continue;
    const problem = specProblem(name, override);
    if (problem) return problem;
  }
  return undefined;
}
