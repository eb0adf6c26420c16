// What `toggle` does besides recording the runtime: a service switched back to containerized
// while it runs standalone must be stopped first (devservices refuses, exit 0).

import type { DevservicesConfig } from "../../devservices/config.ts";
import { stateDir } from "../../devservices/paths.ts";
import { DevservicesState, type Runtime } from "../../devservices/state.ts";
import type { DevContext } from "./context.ts";

/** False when the toggle must not happen (devservices' "nothing to do" cases). */
export function toggleEffects(
  ctx: DevContext,
  service: DevservicesConfig,
  desired: Runtime,
): Promise<boolean> {
  const state = new DevservicesState(stateDir(ctx.inputs.env, ctx.inputs.home));
  if (desired === "containerized" && state.active().has(service.serviceName)) {
    ctx.warn(`${service.serviceName} is running, please stop it first`);
    return Promise.resolve(false);
  }
  return Promise.resolve(true);
}
