// The plan of a service that `up` started, made again from what the state records: its modes,
// offline (remote dependencies from the cache, as `up` left them), with the services toggled to
// run locally. `down`, `status` and `logs` all need it; one function so they cannot disagree.

import type { DevservicesConfig } from "../../devservices/config.ts";
import { planForModes } from "../../devservices/planner.ts";
import type { DependencyPlan } from "../../devservices/resolve.ts";
import type { DevservicesState } from "../../devservices/state.ts";
import type { DevContext } from "./context.ts";

export function replan(
  ctx: DevContext,
  service: DevservicesConfig,
  modes: string[],
  state: DevservicesState,
  opts: { excludeLocal?: boolean; warn?: (line: string) => void } = {},
): Promise<DependencyPlan> {
  const { env, home } = ctx.inputs;
  return planForModes(service, modes, {
    home,
    env,
    offline: true,
    excludeLocal: opts.excludeLocal ?? false,
    localRuntime: state.localServices(),
    warn: opts.warn ?? ctx.warn,
  });
}
