// `sentryctl exec SERVICE [--] CMD…`: run a command in the service's running container; its
// output is ours and its exit code becomes ours (SPEC §3). Stdin is not connected.

import { failure } from "../../errors.ts";
import type { Command } from "../command.ts";
import { connect } from "./common.ts";

export const execCommand: Command = {
  words: ["exec"],
  summary: "Run a command in a service's container; exits with the command's exit code",
  args: "SERVICE",
  description:
    "Output is streamed back (stdout to stdout, stderr to stderr); stdin is not connected.",
  positionals: { min: 1, max: 1 },
  acceptsRest: true,
  restAfterPositionals: 1,
  async run(ctx, args) {
    const service = args.positionals[0]!;
    const cmd = args.rest;
    if (cmd.length === 0) {
      throw failure(`'exec ${service}' needs a command to run`, {
        hint: `e.g. sentryctl exec ${service} -- sh -c 'echo hi'`,
      });
    }
    const engine = await connect(ctx);
    const { execIn } = await import("../../orchestrator/exec.ts");
    return await execIn(engine, ctx.flags.project, service!, cmd, ctx.inputs);
  },
};
