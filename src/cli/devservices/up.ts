// `devservices up [SERVICE] [--mode M] [--exclude-local] [--dry-run [--json]] [--offline]`.

import { failure } from "../../errors.ts";
import type { DevservicesConfig } from "../../devservices/config.ts";
import { stateDir } from "../../devservices/paths.ts";
import { planFor } from "../../devservices/planner.ts";
import { type DependencyPlan, modeMissing, planDocument } from "../../devservices/resolve.ts";
import { findService } from "../../devservices/services.ts";
import { DevservicesState } from "../../devservices/state.ts";
import type { DevContext } from "./context.ts";

export async function loadTarget(ctx: DevContext, command: string): Promise<DevservicesConfig> {
  const name = ctx.positionals[0];
  if (name !== undefined && ctx.configFile !== undefined) {
    throw failure("Cannot specify both a service name and a config file");
  }
  const { cwd, home } = ctx.inputs;
  return await findService({ name, cwd, home, configFile: ctx.configFile, command });
}

export async function planOf(
  ctx: DevContext,
  root: DevservicesConfig,
  mode: string,
  offline: boolean,
): Promise<DependencyPlan> {
  const { env, home } = ctx.inputs;
  const state = new DevservicesState(stateDir(env, home));
  return await planFor(root, mode, {
    home,
    env,
    offline,
    excludeLocal: Boolean(ctx.values["exclude-local"]),
    localRuntime: state.localServices(),
    warn: ctx.warn,
  });
}

function planText(plan: DependencyPlan): string {
  return plan.projects.map((p) => {
    const parts = [`${p.name} (mode: ${p.modes.join(",")}${p.kind === "local" ? ", local" : ""})`];
    parts.push(`  services: ${p.services.length ? p.services.join(", ") : "-"}`);
    parts.push(`  programs: ${p.programs.length ? p.programs.join(", ") : "-"}`);
    return parts.join("\n");
  }).join("\n") + "\n";
}

export async function up(ctx: DevContext): Promise<number> {
  const root = await loadTarget(ctx, "up");
  const mode = String(ctx.values.mode ?? "default");
  if (!root.modes.has(mode)) throw modeMissing(root, mode);
  const dryRun = Boolean(ctx.values["dry-run"]);
  if (!dryRun) ctx.warn(`Starting '${root.serviceName}' in mode: '${mode}'`);
  const plan = await planOf(ctx, root, mode, Boolean(ctx.values.offline));
  if (dryRun) {
    ctx.inputs.stdout.write(
      ctx.values.json ? JSON.stringify(planDocument(plan), null, 2) + "\n" : planText(plan),
    );
    return 0;
  }
  const { bringUp } = await import("./up-run.ts");
  return await bringUp(ctx, root, mode, plan);
}
