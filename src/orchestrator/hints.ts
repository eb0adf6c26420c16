// What to do next, for Docker failures a newcomer meets first. A bare "the Docker Engine API
// answered HTTP 500" says nothing useful; these hints say what went wrong and which setting or
// command fixes it. Pure functions of the failure, so they are unit-tested with literal text.

import { echo } from "../lib/echo.ts";
import { registryOf } from "../lib/image-ref.ts";

/**
 * The way out of any pull failure: another image for the service, in the settings file (by its
 * path when known: the file in use, or where a new one would be read from).
 */
export function otherImageHint(service: string, settingsFile = "sentry.conf.yml"): string {
  return `point the service at another image: SENTRY_DEVSERVICES: {${
    echo(service)
  }: {image: …}} in ${settingsFile}`;
}

/** A pull that failed for want of the registry (offline, unknown host, 5xx). */
export function pullFailureHint(image: string, other: string): string {
  return `check network access to ${
    echo(registryOf(image), 200)
  } (and 'docker login' for a private registry), or ${other}`;
}

/** HTTP 409 on create: the container name is taken (by something created meanwhile). */
export function createConflictHint(containerName: string, engineMessage: string): string {
  const inUseBy = /by container "?([0-9a-f]{12,64})"?/.exec(engineMessage)?.[1];
  return `the name '${containerName}' is already used by ${
    inUseBy ? `container ${inUseBy.slice(0, 12)}` : "another container"
  }; remove it with 'docker rm -f ${containerName}', or use another --project`;
}

/** HTTP 400 on create: the engine rejected the container settings derived from the spec. */
export function badRequestHint(service: string, engineMessage: string): string {
  return `Docker rejected the container settings (${
    echo(engineMessage, 160)
  }); check SENTRY_DEVSERVICES['${echo(service)}'] (image, command, ports, volumes, platform)`;
}
