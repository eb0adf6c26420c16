// `serve [ARGS…]`, `foreground PROGRAM`, and the hidden `__supervise DIR` (the detached programs
// supervisor that `up` starts).

import { failure } from "../../errors.ts";
import type { DevservicesConfig } from "../../devservices/config.ts";
import { runForeground } from "../../devservices/foreground.ts";
import { programsDir, stateDir } from "../../devservices/paths.ts";
import { findService } from "../../devservices/services.ts";
import { DevservicesState } from "../../devservices/state.ts";
import { request, tryRequest } from "../../devservices/supervisor/protocol.ts";
import type { DevContext } from "./context.ts";
import { programSpotlightEnv } from "./spotlight-env.ts";

async function here(ctx: DevContext): Promise<DevservicesConfig> {
  const { cwd, home } = ctx.inputs;
  return await findService({ cwd, home, configFile: ctx.configFile, command: "serve" });
}

export async function serve(ctx: DevContext): Promise<number> {
  const service = await here(ctx);
  const devserver = service.programs.get("devserver");
  if (!devserver) {
    throw failure(
      `Error when getting devserver command: Program devserver not found in config`,
    );
  }
  return await runForeground({
    command: devserver.command,
    args: ctx.positionals,
    cwd: service.repoDir,
    env: {
      ...ctx.inputs.env,
      ...await programSpotlightEnv(ctx.inputs.env, ctx.inputs.home, fetch),
      ...devserver.environment,
    },
    stdinIsTTY: ctx.inputs.stdinIsTTY,
    platform: process.platform,
    signals: ctx.inputs.signals,
  });
}

export async function foreground(ctx: DevContext): Promise<number> {
  const name = ctx.positionals[0]!;
  const service = await here(ctx);
  const program = service.programs.get(name);
  if (!service.dependencies.has(name) || !program) {
    throw failure(`Program ${name} does not exist in the service's config`);
  }
  const { env, home } = ctx.inputs;
  const entry = new DevservicesState(stateDir(env, home)).active().get(service.serviceName);
  if (!entry) {
    ctx.warn(`${service.serviceName} is not running`);
    return 0;
  }
  const listed = entry.modes.some((m) => service.modes.get(m)?.includes(name));
  if (!listed) {
    throw failure(
      `Program ${name} is not running in any active modes of ${service.serviceName}`,
    );
  }
  const dir = programsDir(stateDir(env, home), service.serviceName);
  ctx.info(`Stopping ${name} in supervisor`);
  const stopped = await tryRequest(dir, { op: "stop", program: name, foreground: true });
  if (stopped && !stopped.ok) {
    throw failure(`Error stopping ${name} in supervisor: ${stopped.error}`);
  }
  ctx.info(`Starting ${name} in foreground`);
  let status: number;
  try {
    status = await runForeground({
      command: program.command,
      args: [],
      cwd: entry.repoDir || service.repoDir,
      env: { ...env, ...await programSpotlightEnv(env, home, fetch), ...program.environment },
      stdinIsTTY: ctx.inputs.stdinIsTTY,
      platform: process.platform,
      signals: ctx.inputs.signals,
    });
  } finally {
    if (stopped) {
      ctx.info(`Restarting ${name} in background`);
      await request(dir, { op: "start", program: name });
    }
  }
  return status === 130 ? 0 : status;
}

/** The supervisor process itself: runs until `down` (or SIGTERM) shuts it down. */
export async function supervise(ctx: DevContext): Promise<number> {
  const { runDaemon } = await import("../../devservices/supervisor/daemon.ts");
  await runDaemon({ dir: ctx.positionals[0]!, signals: ctx.inputs.signals });
  return 0;
}
