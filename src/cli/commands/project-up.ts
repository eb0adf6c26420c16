// `up` on a project file (SPEC §3a): the loaded model through converge, with `--build` and the
// profiles the reader applied. The catalog's `up` stays in up.ts.

import type { LoadedStack } from "../stack.ts";
import type { CommandContext } from "../command.ts";
import type { PullPolicy } from "../../orchestrator/operations.ts";
import { connect, interruptSignal, probeMemo, progressReporter } from "./common.ts";

export interface ProjectUpArgs {
  names: string[];
  recreate: boolean;
  pull: PullPolicy;
  wait: boolean;
  build: boolean;
  timeoutSeconds?: number;
  dryRun: boolean;
  json: boolean;
}

export async function projectUpCommand(
  ctx: CommandContext,
  loaded: Extract<LoadedStack, { kind: "files" }>,
  args: ProjectUpArgs,
): Promise<number> {
  const started = ctx.inputs.clock.now();
  const engine = await connect(ctx);
  const { projectUp } = await import("../../orchestrator/project/lifecycle.ts");
  const { SILENT } = await import("../../orchestrator/reporter.ts");
  const interrupt = interruptSignal(ctx.inputs.signals);
  try {
    const names = args.names.length > 0 ? args.names : Object.keys(loaded.project.model.services);
    const reporter = args.dryRun ? SILENT : await progressReporter(ctx, names);
    const result = await projectUp(engine, loaded.project, {
      names: args.names,
      recreate: args.recreate,
      pull: args.pull,
      wait: args.wait,
      build: args.build,
      timeoutSeconds: args.timeoutSeconds,
      dryRun: args.dryRun,
      reporter,
      signal: interrupt.signal,
      clock: ctx.inputs.clock,
      memo: args.dryRun ? undefined : await probeMemo(ctx),
    });
    if (args.dryRun) {
      ctx.inputs.stdout.write(result.text);
      return 0;
    }
    if (args.json) {
      const { projectStatus } = await import("../../orchestrator/service-status.ts");
      const wanted = new Set(result.stack.services.map((s) => s.name));
      const statuses = (await projectStatus(engine, result.stack, ctx.inputs.clock.now()))
        .filter((s) => wanted.has(s.service));
      ctx.inputs.stdout.write(JSON.stringify(statuses, null, 2) + "\n");
    } else {
      const seconds = ((ctx.inputs.clock.now() - started) / 1000).toFixed(1);
      ctx.inputs.stderr.write(
        `> ${result.stack.services.length} service(s) of project '${loaded.project.name}' up in ${seconds}s\n`,
      );
    }
    return 0;
  } finally {
    interrupt.dispose();
  }
}
