// What `doctor` checks against an engine: images missing, host ports held by something other
// than the service's own container, and containers holding our names without our label.

import type { Engine } from "../docker/engine.ts";
import type { VersionInfo } from "../docker/types.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { portNumber } from "../services/resolve.ts";
import { registryOf } from "../lib/image-ref.ts";
import { LABELS } from "./labels.ts";
import { describePortOwner } from "./port-owner.ts";

/** `Docker 20.10.24 (API 1.41, linux/amd64)` or `Podman 4.3.1 (…)`. */
export function engineName(v: VersionInfo): string {
  const podman = v.Components?.find((c) => /podman/i.test(c.Name));
  const name = podman ? "Podman" : "Docker";
  const version = podman?.Version ?? v.Version;
  return `${name} ${version} (API ${v.ApiVersion}, ${v.Os}/${v.Arch})`;
}

export interface StackReport {
  missingImages: string[];
  portConflicts: string[];
  foreign: string[];
}

export async function checkStack(
  engine: Engine,
  project: string,
  all: readonly ResolvedService[],
  /** The label whose value makes a container the project's (compose's for project files). */
  ownerLabel: string = LABELS.project,
): Promise<StackReport> {
  // Names are checked for every known service; images and ports only for enabled ones.
  const services = all;
  const enabled = new Set(all.filter((s) => s.enabled).map((s) => s.name));
  const images = [...new Set(all.filter((s) => s.enabled).map((s) => s.spec.image))].sort();
  const [present, containers] = await Promise.all([
    Promise.all(images.map(async (i) => (await engine.inspectImage(i)) !== undefined)),
    Promise.all(services.map((s) => engine.inspectContainer(s.containerName))),
  ]);
  const foreign: string[] = [];
  const portConflicts: string[] = [];
  await Promise.all(services.map(async (s, i) => {
    const existing = containers[i];
    if (existing && existing.Config.Labels?.[ownerLabel] !== project) {
      foreign.push(
        `${s.containerName} (${existing.Id.slice(0, 12)}) is not sentryctl's; ` +
          `remove it with 'docker rm -f ${s.containerName}' or use --project`,
      );
    }
    const ownRunning = existing?.State.Running &&
      existing.Config.Labels?.[ownerLabel] === project;
    if (!enabled.has(s.name)) return;
    for (const value of Object.values(s.spec.ports ?? {})) {
      const port = Number(portNumber(value));
      if (!Number.isInteger(port) || port <= 0) continue;
      // The service's own running container holds its ports by design.
      if (ownRunning) continue;
      const owner = await describePortOwner(engine, port);
      if (owner) portConflicts.push(`port ${port} (${s.name}) is held by ${owner}`);
    }
  }));
  return {
    missingImages: images.filter((_, i) => !present[i]),
    portConflicts: portConflicts.sort(),
    foreign: foreign.sort(),
  };
}

export interface RegistryReport {
  registry: string;
  images: string[];
  /** The images the registry did not give. */
  failed: string[];
  /** The engine's words for the first image that failed; undefined when every image resolves. */
  error?: string;
}

/**
 * For images that are missing, whether their registries answer with them, asked through the
 * engine (it is the one that pulls). A registry that does not answer within `timeoutMs` fails.
 */
export async function checkRegistries(
  engine: Engine,
  images: readonly string[],
  timeoutMs = 10_000,
): Promise<RegistryReport[]> {
  const results = await Promise.all(images.map(async (image) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const error = await engine.checkRegistry(image, signal).catch((err: Error) =>
      signal.aborted ? `no answer within ${timeoutMs / 1000}s` : err.message
    );
    return { image, error };
  }));
  const byRegistry = new Map<string, RegistryReport>();
  for (const { image, error } of results) {
    const registry = registryOf(image);
    const report: RegistryReport = byRegistry.get(registry) ?? { registry, images: [], failed: [] };
    report.images.push(image);
    if (error) report.failed.push(image);
    if (error && !report.error) report.error = error;
    byRegistry.set(registry, report);
  }
  return [...byRegistry.values()].sort((a, b) => (a.registry < b.registry ? -1 : 1));
}
