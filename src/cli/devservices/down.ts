// `devservices down [SERVICE] [--exclude-local]`: stop the service's programs and containers and
// every dependency project no other running service needs, saying which stay and for whom.

import type { Engine } from "../../docker/engine.ts";
import type { DevservicesConfig } from "../../devservices/config.ts";
import { stopProject } from "../../devservices/containers.ts";
import { programsDir, stateDir } from "../../devservices/paths.ts";

import type { DependencyPlan } from "../../devservices/resolve.ts";
import { findService } from "../../devservices/services.ts";
import { decideDown } from "../../devservices/shared.ts";
import { DevservicesState } from "../../devservices/state.ts";
import { stopSupervisor } from "../../devservices/supervisor/launch.ts";
import { engineFor } from "./engine.ts";
import { replan } from "./replan.ts";
import type { DevContext } from "./context.ts";
import { loadTarget } from "./up.ts";

/** Plans (from the cache, never fetching) of every active service but `except`. */
export async function activePlans(
  ctx: DevContext,
  state: DevservicesState,
  except?: string,
): Promise<Map<string, DependencyPlan>> {
  const { home, cwd } = ctx.inputs;
  const out = new Map<string, DependencyPlan>();
  for (const [name, entry] of state.active()) {
    if (name === except) continue;
    const config = await findService({ name, cwd, home, command: "down" }).catch(() => undefined);
    // devservices drops entries whose repo is gone (#302); we leave them out of the count.
    if (!config) continue;
    const plan = await replan(ctx, config, entry.modes, state, { warn: () => {} })
      .catch(() => undefined);
    if (plan) out.set(name, plan);
  }
  return out;
}

/** Stops one service's projects that nothing else needs; answers whether it was running. */
export async function bringDown(
  ctx: DevContext,
  service: DevservicesConfig,
  state: DevservicesState,
  engine: () => Promise<Engine>,
): Promise<boolean> {
  const name = service.serviceName;
  const entry = state.active().get(name);
  if (!entry) return false;
  ctx.warn(`Stopping ${name}`);
  const plan = await replan(ctx, service, entry.modes, state, {
    excludeLocal: Boolean(ctx.values["exclude-local"]),
  });
  const decision = decideDown(plan, await activePlans(ctx, state, name));
  for (const [project, needers] of decision.leave) {
    ctx.info(`Leaving '${project}' running: needed by ${needers.map((n) => `'${n}'`).join(", ")}`);
  }
  for (const projectName of decision.stop) {
    const project = plan.projects.find((p) => p.name === projectName)!;
    if (await stopSupervisor(programsDir(state.dir, projectName), ctx.inputs.clock)) {
      ctx.info(`Stopped programs of ${projectName}`);
    }
    if (project.services.length > 0) {
      const stopped = await stopProject(await engine(), projectName);
      for (const c of stopped) ctx.info(`Stopped ${c}`);
    }
  }
  await state.update((d) => {
    delete d.started[name];
    delete d.starting[name];
  });
  return true;
}

export async function down(ctx: DevContext): Promise<number> {
  const service = await loadTarget(ctx, "down");
  const state = new DevservicesState(stateDir(ctx.inputs.env, ctx.inputs.home));
  if (!(await bringDown(ctx, service, state, engineFor(ctx)))) {
    ctx.warn(`${service.serviceName} is not running`);
    return 0;
  }
  ctx.success(`${service.serviceName} stopped`);
  return 0;
}
