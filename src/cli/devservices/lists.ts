// `list-services [-a]`, `list-dependencies [SERVICE]`, `toggle [SERVICE] local|containerized`:
// devservices' texts, on stdout.

import { failure } from "../../errors.ts";
import { codeRoot, stateDir } from "../../devservices/paths.ts";
import { codeRootServices } from "../../devservices/services.ts";
import { DevservicesState, type Runtime } from "../../devservices/state.ts";
import { reprString } from "../../lib/python.ts";
import type { DevContext } from "./context.ts";
import { loadTarget } from "./up.ts";

function stateOf(ctx: DevContext): DevservicesState {
  return new DevservicesState(stateDir(ctx.inputs.env, ctx.inputs.home));
}

export async function listServices(ctx: DevContext): Promise<number> {
  const out = (line: string) => ctx.inputs.stdout.write(`${line}\n`);
  if (codeRoot(ctx.inputs.home) === undefined) {
    throw failure(
      "Could not find the code root: set [devenv] coderoot in ~/.config/sentry-devenv/config.ini",
    );
  }
  const services = await codeRootServices(ctx.inputs.home);
  if (services.length === 0) {
    ctx.warn("No services found");
    return 0;
  }
  const data = stateOf(ctx).read();
  const all = Boolean(ctx.values.all);
  const running = (name: string) => name in data.started || name in data.starting;
  const shown = all ? services : services.filter((s) => running(s.serviceName));
  out(all ? "Services installed locally:" : "Running services:");
  for (const s of shown) {
    const name = s.serviceName;
    const status = name in data.starting
      ? "starting"
      : name in data.started
      ? "started"
      : "stopped";
    const modes = (data.starting[name] ?? data.started[name])?.modes ?? [];
    out(`- ${name}`);
    out(`  modes: [${modes.map(reprString).join(", ")}]`);
    out(`  status: ${status}`);
    out(`  location: ${s.repoDir}`);
  }
  if (!all && services.length > shown.length) {
    out(
      `\n${services.length - shown.length} stopped service(s) not shown. Use --all/-a to see them.`,
    );
  }
  return 0;
}

export async function listDependencies(ctx: DevContext): Promise<number> {
  const service = await loadTarget(ctx, "list-dependencies");
  const out = (line: string) => ctx.inputs.stdout.write(`${line}\n`);
  if (service.dependencies.size === 0) {
    out(`No dependencies found for ${service.serviceName}`);
    return 0;
  }
  out(`Dependencies of ${service.serviceName}:`);
  for (const dep of service.dependencies.values()) out(`- ${dep.name} : ${dep.description}`);
  return 0;
}

const RUNTIMES: readonly Runtime[] = ["local", "containerized"];

export async function toggle(ctx: DevContext): Promise<number> {
  const args = [...ctx.positionals];
  const last = args[args.length - 1];
  let desired: Runtime | undefined;
  if (last !== undefined && (RUNTIMES as readonly string[]).includes(last)) {
    desired = last as Runtime;
    args.pop();
  } else if (args.length === 2) {
    throw failure(
      `argument runtime: invalid choice: ${
        reprString(String(last))
      } (choose from 'local', 'containerized')`,
    );
  }
  const service = await loadTarget({ ...ctx, positionals: args }, "toggle");
  const name = service.serviceName;
  const state = stateOf(ctx);
  const current = state.runtimeOf(name);
  desired ??= current === "local" ? "containerized" : "local";
  if (current === desired) {
    ctx.warn(`${name} is already running in ${desired} runtime`);
    return 0;
  }
  const { toggleEffects } = await import("./toggle-effects.ts");
  const proceed = await toggleEffects(ctx, service, desired);
  if (!proceed) return 0;
  await state.update((d) => {
    d.runtime[name] = desired;
  });
  ctx.success(`${name} is now running in ${desired} runtime`);
  return 0;
}
