// Execute's failures told the way a user can act on them: a create conflict or rejected setting,
// a pull the registry refused, a start whose port someone else holds, several failures as one.

import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import type { ContainerPlan } from "../container-config.ts";
import type { PortBindings } from "../operations.ts";
import type { ServiceOutcome } from "./types.ts";
import { badRequestHint, createConflictHint, otherImageHint, pullFailureHint } from "../hints.ts";
import { describePortOwner } from "../port-owner.ts";

/** One failure as is; several as the first, with the others listed. */
export function combined(failures: ServiceOutcome[]): unknown {
  if (failures.length === 1) return failures[0]!.error;
  const pulls = failures.filter((f) => isPullFailure(f.error));
  if (pulls.length === failures.length) return pullsFailed(pulls);
  const first = failures[0]!.error;
  const others = failures.slice(1).map((f) =>
    `  also failed: ${f.service}: ${(f.error as Error).message}`
  );
  if (first instanceof SentryctlError) {
    return new SentryctlError(first.category, first.message, {
      cause: first.cause,
      hint: first.hint,
      statusCode: first.statusCode,
      reason: first.reason,
      details: [first.details, ...others].filter(Boolean).join("\n"),
    });
  }
  return first;
}

function isPullFailure(err: unknown): err is SentryctlError {
  return err instanceof SentryctlError && err.message.startsWith("Docker could not pull image");
}

/**
 * Several pulls failed (a registry out of reach fails every image at once): each service's line
 * already gave the registry's words, so the error counts them and gives one hint.
 */
function pullsFailed(failures: ServiceOutcome[]): SentryctlError {
  const first = failures[0]!.error as SentryctlError;
  const services = failures.map((f) => f.service).join(", ");
  return new SentryctlError(
    first.category,
    `${failures.length} images could not be pulled (${services}): ${engineWords(first.message)}`,
    { cause: first.cause, hint: first.hint, statusCode: first.statusCode, reason: first.reason },
  );
}

/** A create that failed: what the conflict or the rejected setting is, not only the status. */
export function createError(err: unknown, service: string, c: ContainerPlan): unknown {
  if (!(err instanceof SentryctlError)) return err;
  const hint = err.reason === "conflict"
    ? createConflictHint(c.name, err.message)
    : err.reason === "bad_request"
    ? badRequestHint(service, engineWords(err.message))
    : err.reason === "not_found"
    ? `is the image '${c.body.Image}' available?`
    : err.hint;
  return new SentryctlError(err.category, err.message, {
    cause: err.cause,
    statusCode: err.statusCode,
    reason: err.reason,
    hint,
  });
}

/** The engine's own words from `Docker could not …: <words>`. */
function engineWords(message: string): string {
  const colon = message.indexOf(": ");
  return colon >= 0 ? message.slice(colon + 2) : message;
}

/** A failed pull: the registry's own words (exit 5) and what to do about it. */
export function pullError(
  err: unknown,
  service: string,
  image: string,
  imageHint: (service: string) => string = otherImageHint,
): unknown {
  if (!(err instanceof SentryctlError)) return err;
  const other = imageHint(service);
  const hint = err.reason === "not_found"
    ? `check the image name and tag (the registry does not have it), or ${other}`
    : err.reason === "denied"
    ? `log in to the registry ('docker login') or check the image name, or ${other}`
    : pullFailureHint(image, other);
  return new SentryctlError("docker_api", err.message, {
    cause: err.cause,
    statusCode: err.statusCode,
    reason: err.reason,
    hint,
  });
}

/**
 * A start that failed while one of its host ports is held by something else: say who holds it.
 * Decided by looking at the ports (containers publishing them, listening processes), not by
 * reading the engine's message.
 */
export async function explainStartFailure(
  engine: Engine,
  err: unknown,
  container: string,
  bindings: PortBindings,
): Promise<unknown> {
  if (!(err instanceof SentryctlError) || err.category !== "docker_api") return err;
  for (const binding of Object.values(bindings).flat()) {
    const port = Number(binding.HostPort);
    if (!Number.isInteger(port) || port <= 0) continue;
    const owner = await describePortOwner(engine, port);
    if (!owner) continue;
    return new SentryctlError(
      "docker_api",
      `Cannot start '${container}': port ${port} is already in use by ${owner}`,
      {
        cause: err,
        statusCode: err.statusCode,
        reason: err.reason,
        hint: owner.startsWith("container")
          ? "stop that container, or override the service's ports in SENTRY_DEVSERVICES"
          : "stop the process holding the port, or override the service's ports in SENTRY_DEVSERVICES",
      },
    );
  }
  return err;
}
