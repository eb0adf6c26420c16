// `devservices up` without --dry-run: bringing the plan's projects up on the engine.

import type { DevservicesConfig } from "../../devservices/config.ts";
import type { Plan } from "../../devservices/resolve.ts";
import { failure } from "../../errors.ts";
import type { DevContext } from "./context.ts";

export function bringUp(
  _ctx: DevContext,
  _root: DevservicesConfig,
  _mode: string,
  _plan: Plan,
): Promise<number> {
  // Containers go through the orchestrator's converge() (issue 17), not landed yet.
  return Promise.reject(
    failure("starting containers is not available in this build yet", {
      hint: "'devservices up --dry-run' prints the plan",
    }),
  );
}
