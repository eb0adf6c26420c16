// The Docker connection of a command that talks to Docker: connect, then remove orphaned
// session containers (SPEC §4) before doing anything else. Commands that need no Docker never
// import this module, so they never pay for either.

import type { Engine } from "../docker/engine.ts";
import type { SweptContainer } from "../ci/orphans.ts";
import type { CommandContext } from "./command.ts";

export async function dockerForCommand(ctx: CommandContext): Promise<Engine> {
  const { engine, sweep } = await dockerWithSweep(ctx);
  await sweep;
  return engine;
}

/**
 * The engine at once and the orphan sweep as a promise, for commands that only look (`ps`):
 * they list while the sweep lists, and look again only if it removed something.
 */
export async function dockerWithSweep(
  ctx: CommandContext,
): Promise<{ engine: Engine; sweep: Promise<SweptContainer[]> }> {
  const { connectDocker } = await import("../docker/connect.ts");
  const engine = await connectDocker(ctx.inputs.env, ctx.inputs.home);
  return { engine, sweep: removeOrphans(ctx, engine) };
}

export async function removeOrphans(ctx: CommandContext, docker: Engine) {
  const { sweepOrphans } = await import("../ci/orphans.ts");
  const { hostView } = await import("../runtime/session.ts");
  const swept = await sweepOrphans(docker, hostView());
  for (const s of swept) {
    ctx.inputs.stderr.write(
      s.failed
        ? `> Could not remove orphaned container '${s.name}' (owner ${describe(s.reason)}): ` +
          `${s.failed}\n`
        : `> Removed orphaned container '${s.name}' (owner ${describe(s.reason)})\n`,
    );
  }
  return swept.filter((s) => !s.failed);
}

function describe(reason: string): string {
  return reason === "rebooted"
    ? "from before a reboot"
    : reason === "pid-reused"
    ? "process gone, pid reused"
    : "process gone";
}

/** `down --orphans`: only the orphan sweep, saying what it found. */
export async function downOrphans(ctx: CommandContext): Promise<number> {
  const swept = await (await dockerWithSweep(ctx)).sweep;
  if (swept.length === 0) ctx.inputs.stderr.write("> No orphaned containers\n");
  return 0;
}
