// The containers of a plan, project by project, through the orchestrator's converge().

import { failure } from "../../errors.ts";
import type { Plan } from "../../devservices/resolve.ts";
import type { DevContext } from "./context.ts";

export function startContainers(_ctx: DevContext, plan: Plan): Promise<void> {
  const projects = plan.projects.filter((p) => p.services.length > 0).map((p) => p.name);
  // converge() (issue 17) is the one way containers are made; it has not landed yet.
  return Promise.reject(
    failure(`starting containers (${projects.join(", ")}) is not available in this build yet`, {
      hint: "'devservices up --dry-run' prints the plan",
    }),
  );
}
