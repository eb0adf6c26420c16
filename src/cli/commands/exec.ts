// `sentryctl exec SERVICE [--] CMD…`: run a command in the service's running container with
// our stdio attached; its exit code becomes ours (SPEC §3). With a terminal on stdin and stdout
// the command gets one too (raw mode here, resized with ours), as `docker exec -it` would.

import { usageError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { stack } from "./common.ts";

export const execCommand: Command = {
  words: ["exec"],
  summary: "Run a command in a service's container; exits with the command's exit code",
  args: "SERVICE",
  description:
    "stdin is passed to the command (its end is the command's end of input); output is streamed " +
    "back, stdout to stdout and stderr to stderr. On a terminal the command gets a terminal too.",
  positionals: { min: 1, max: 1 },
  acceptsRest: true,
  restAfterPositionals: 1,
  async run(ctx, args) {
    const service = args.positionals[0]!;
    const cmd = args.rest;
    if (cmd.length === 0) {
      throw usageError(`'exec ${service}' needs a command to run`, {
        hint: `e.g. sentryctl exec ${service} -- sh -c 'echo hi'`,
      });
    }
    const { services, scope, engine } = await stack(ctx, "docker");
    const [{ projectStatus }, { checkServiceNames }] = await Promise.all([
      import("../../orchestrator/service-status.ts"),
      import("../../services/resolve.ts"),
    ]);
    if (!services.get(service)?.enabled) {
      const present = await projectStatus(engine, scope, ctx.inputs.clock.now());
      checkServiceNames(services, [service], present.map((s) => s.service));
    }
    const { execIn } = await import("../../orchestrator/exec.ts");
    const tty = ctx.inputs.stdinIsTTY && ctx.inputs.stdoutIsTTY;
    const stdin = ctx.inputs.stdin();
    if (tty) stdin.setRawMode?.(true);
    try {
      return await execIn(engine, scope, service, cmd, ctx.inputs, {
        input: {
          chunks: stdin,
          tty,
          size: ctx.inputs.terminal.size,
          onResize: ctx.inputs.terminal.onResize,
        },
        clock: ctx.inputs.clock,
      });
    } finally {
      if (tty) stdin.setRawMode?.(false);
      // The command is over: stop reading our stdin (a terminal would keep the process alive).
      stdin.pause();
    }
  },
};
