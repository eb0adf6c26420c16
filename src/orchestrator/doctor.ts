// What `doctor` checks against an engine: images missing, host ports held by something other
// than the service's own container, containers holding our names that are not the stack's, and
// the stack's containers with who made them (a project file's may be docker compose's).

import type { Engine } from "../docker/engine.ts";
import type { VersionInfo } from "../docker/types.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { portNumber } from "../services/resolve.ts";
import { registryOf } from "../lib/image-ref.ts";
import { byText } from "../lib/order.ts";
import { containerName } from "./observe.ts";
import { describePortOwner } from "./port-owner.ts";
import { listMembers, type MadeBy, madeBy, type StackScope } from "./scope.ts";

/** `Docker 20.10.24 (API 1.41, linux/amd64)` or `Podman 4.3.1 (…)`. */
export function engineName(v: VersionInfo): string {
  const podman = v.Components?.find((c) => /podman/i.test(c.Name));
  const name = podman ? "Podman" : "Docker";
  const version = podman?.Version ?? v.Version;
  return `${name} ${version} (API ${v.ApiVersion}, ${v.Os}/${v.Arch})`;
}

export interface ProjectContainer {
  service: string;
  container: string;
  state: string;
  madeBy: MadeBy;
}

export interface StackReport {
  missingImages: string[];
  portConflicts: string[];
  foreign: string[];
  /** The stack's service containers (by its scope), whoever made them. */
  containers: ProjectContainer[];
}

export async function checkStack(
  engine: Engine,
  /** Whose containers (./scope.ts): a project file's include what docker compose made. */
  scope: StackScope,
  all: readonly ResolvedService[],
): Promise<StackReport> {
  const { project, ownerLabel } = scope;
  // Names are checked for every known service; images and ports only for enabled ones.
  const services = all;
  const enabled = new Set(all.filter((s) => s.enabled).map((s) => s.name));
  const images = [...new Set(all.filter((s) => s.enabled).map((s) => s.spec.image))].sort();
  const [present, containers, members] = await Promise.all([
    Promise.all(images.map(async (i) => (await engine.inspectImage(i)) !== undefined)),
    Promise.all(services.map((s) => engine.inspectContainer(s.containerName))),
    listMembers(engine, scope),
  ]);
  // A service's container is found by the stack's labels, whatever its name (compose 1.x names
  // them `<project>_<service>_1`): a running one is the one that holds the service's ports.
  const running = new Set(
    members.filter((m) => m.summary.State === "running").map((m) => m.service),
  );
  const foreign: string[] = [];
  const portConflicts: string[] = [];
  await Promise.all(services.map(async (s, i) => {
    const existing = containers[i];
    const owner = existing?.Config.Labels?.[ownerLabel];
    if (existing && owner !== project) {
      const whose = !scope.composeRules
        ? "is not sentryctl's"
        : owner
        ? `belongs to compose project '${owner}', not '${project}'`
        : `belongs to no compose project`;
      foreign.push(
        `${s.containerName} (${existing.Id.slice(0, 12)}) ${whose}; ` +
          `remove it with 'docker rm -f ${s.containerName}' or use --project`,
      );
    }
    if (!enabled.has(s.name)) return;
    // The service's own running container holds its ports by design.
    if (running.has(s.name)) return;
    for (const value of Object.values(s.spec.ports ?? {})) {
      const port = Number(portNumber(value));
      if (!Number.isInteger(port) || port <= 0) continue;
      const owner = await describePortOwner(engine, port);
      if (owner) portConflicts.push(`port ${port} (${s.name}) is held by ${owner}`);
    }
  }));
  return {
    missingImages: images.filter((_, i) => !present[i]),
    portConflicts: portConflicts.sort(),
    foreign: foreign.sort(),
    containers: members
      .map((m) => ({
        service: m.service,
        container: containerName(m.summary),
        state: m.summary.State,
        madeBy: madeBy(m.summary.Labels),
      }))
      .sort((a, b) => byText(a.service, b.service) || byText(a.container, b.container)),
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
