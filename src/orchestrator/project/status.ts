// A project file's services for the status server (`serve`, SPEC §3a): the dashboard and
// /api/0/ list the file's services under compose's container names, and Start on a service
// without a container creates it through the project's own path (projectUp: build, env_file,
// depends_on…), as `sentryctl -f FILE up NAME` does, without waiting for health.

import type { LoadedProject } from "../../compose/types.ts";
import type { Engine } from "../../docker/engine.ts";
import { SILENT } from "../reporter.ts";
import { projectFileScope, type StackScope } from "../scope.ts";
import { projectUp } from "./lifecycle.ts";
import { projectServices } from "./services.ts";
import type { ResolvedService, ServiceSet } from "../../services/resolve.ts";

export interface ProjectStatusOptions {
  /** The project's containers whoever made them: compose's project label (SPEC §3a). */
  scope: StackScope;
  serviceNames: string[];
  serviceImages: Record<string, string>;
  services: ServiceSet;
  containerName(service: string): string;
  create?: (service: string) => Promise<void>;
}

export function projectStatusOptions(
  project: LoadedProject,
  engine: Engine | undefined,
): ProjectStatusOptions {
  const services = projectServices(project);
  const list: ResolvedService[] = [...services.values()];
  return {
    scope: projectFileScope(project.name),
    serviceNames: list.map((s) => s.name),
    serviceImages: Object.fromEntries(list.map((s) => [s.name, s.spec.image])),
    services,
    containerName: (name) => services.get(name)?.containerName ?? `${project.name}-${name}-1`,
    create: engine
      ? async (name) => {
        await projectUp(engine, project, {
          names: [name],
          recreate: false,
          pull: "missing",
          wait: false,
          build: false,
          dryRun: false,
          reporter: SILENT,
        });
      }
      : undefined,
  };
}
