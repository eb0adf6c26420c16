// `sentryctl logs [SERVICE…] [-f] [--tail N] [--since DUR] [--timestamps]` (SPEC §3).

import { usageError } from "../../errors.ts";
import type { StackScope } from "../../orchestrator/scope.ts";
import type { Command } from "../command.ts";
import { sinceToUnix } from "../duration.ts";
import { connect, interruptSignal, loadScope, loadStackServices } from "./common.ts";

export const logsCommand: Command = {
  words: ["logs"],
  summary: "Print services' logs (all of the project when none is named), prefixed 'service |'",
  args: "[SERVICE…]",
  description: "With -f, keeps following, also across container restarts and recreations.",
  positionals: { min: 0, max: Infinity },
  options: {
    follow: { type: "boolean", short: "f", help: "keep following" },
    tail: { type: "string", value: "N", help: "only the last N lines of each container" },
    since: { type: "string", value: "DUR", help: "only lines since DUR ago (20s, 5m) or a time" },
    timestamps: { type: "boolean", short: "t", help: "show timestamps" },
  },
  async run(ctx, args) {
    let tail: number | undefined;
    if (args.values.tail !== undefined && args.values.tail !== "all") {
      tail = Number(args.values.tail);
      if (!Number.isInteger(tail) || tail < 0) {
        throw usageError(`--tail takes a number of lines, not '${args.values.tail}'`);
      }
    }
    const since = args.values.since === undefined
      ? undefined
      : sinceToUnix(String(args.values.since), ctx.inputs.clock.now());
    const engine = await connect(ctx);
    let scope: StackScope;
    if (args.positionals.length > 0) {
      const [loaded, { projectStatus }, { checkServiceNames }] = await Promise.all([
        loadStackServices(ctx, "docker"),
        import("../../orchestrator/service-status.ts"),
        import("../../services/resolve.ts"),
      ]);
      scope = loaded.scope;
      const present = await projectStatus(engine, scope, ctx.inputs.clock.now());
      checkServiceNames(loaded.services, args.positionals, present.map((s) => s.service));
    } else scope = await loadScope(ctx);
    const { showLogs } = await import("../../orchestrator/logs.ts");
    const interrupt = interruptSignal(ctx.inputs.signals);
    try {
      const shown = await showLogs(engine, {
        scope,
        names: args.positionals,
        follow: Boolean(args.values.follow),
        tail,
        since,
        timestamps: Boolean(args.values.timestamps),
        stdout: ctx.inputs.stdout,
        stderr: ctx.inputs.stderr,
        signal: interrupt.signal,
        clock: ctx.inputs.clock,
      });
      const missing = args.positionals.filter((n) => !shown.includes(n));
      if (missing.length > 0 && !args.values.follow) {
        ctx.inputs.stderr.write(
          `No container for ${missing.join(", ")} in project '${ctx.flags.project}'\n`,
        );
        return 1;
      }
      return 0;
    } finally {
      interrupt.dispose();
    }
  },
};
