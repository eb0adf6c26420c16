// The catalog's naming scheme as a Stack: containers `<project>_<service>`, one network named
// after the project, volumes `<project>_<volume>`, everything carrying our project label (SPEC §3).

import { configError } from "../errors.ts";
import { dependenciesOf } from "../services/graph.ts";
import type { ResolvedService } from "../services/resolve.ts";
import { planContainer } from "./container-config.ts";
import type { Owner } from "./labels.ts";
import { catalogLayout, type Stack, type StackService } from "./stack-model.ts";

export function catalogServices(
  services: readonly ResolvedService[],
  project: string,
  owner: Owner,
  session?: string,
): StackService[] {
  const names = new Set(services.map((s) => s.name));
  return services.map((s) => {
    if (s.problems) {
      throw configError(`service '${s.name}' cannot be configured: ${s.problems.join("; ")}`, {
        hint: "fix the environment templates in SENTRY_DEVSERVICES",
      });
    }
    return {
      name: s.name,
      container: planContainer(s, { project, foreground: owner !== "up", owner, session }),
      after: dependenciesOf(s, names),
      healthcheck: s.spec.healthcheck,
    };
  });
}

/** The resolved services (in dependency order) as the catalog's stack. */
export function catalogStack(
  services: readonly ResolvedService[],
  project: string,
  owner: Owner,
  session?: string,
): Stack {
  return catalogLayout(project, catalogServices(services, project, owner, session));
}
