// `sentryctl attach SERVICE`: run one dev service in the foreground (SPEC §3).

import type { Command } from "../command.ts";
import { sinceToUnix } from "../duration.ts";
import { settingsImageHint } from "./common.ts";

export const attachCommand: Command = {
  words: ["attach"],
  summary: "Run one service in the foreground, following its logs; Ctrl-C stops and removes it",
  args: "SERVICE",
  description: [
    "Starts (or reuses) the container <project>_<SERVICE> on the <project> network, prints the",
    "last --since of its logs and follows them. Ctrl-C or SIGTERM stops and removes the container",
    "and keeps its volumes (exit 0); a container it found running is left running (detached).",
    "A second signal ends attach at once (exit 130). If the container exits by itself it is left",
    "stopped (see 'sentryctl logs') and its exit code is returned. A closed stdout stops it (141).",
  ].join("\n"),
  positionals: { min: 1, max: 1 },
  options: {
    "skip-only-if": { type: "boolean", help: "run the service even if settings disable it" },
    since: {
      type: "string",
      value: "DUR",
      default: "20s",
      help: "how much back-log to print first (default 20s)",
    },
    status: {
      type: "string",
      value: "ADDR",
      optionalValue: true,
      help: "also run the status server while attached, on ADDR or (without one) status.bind",
    },
  },
  async run(ctx, args) {
    const name = args.positionals[0]!;
    const sinceUnix = sinceToUnix(String(args.values.since), ctx.inputs.clock.now());
    const state = await ctx.chain.throughLevel("validated");
    const { resolveServices, selectService } = await import("../../services/resolve.ts");
    const { loadStackFromFlags } = await import("../stack.ts");
    const loaded = await loadStackFromFlags(ctx, { services: [name] });
    let services;
    if (loaded.kind === "files") {
      ctx.flags.project = loaded.project.name;
      const { projectServices } = await import("../../orchestrator/project/services.ts");
      services = projectServices(loaded.project);
    } else {
      services = resolveServices(
        state.settings,
        state.settings.SENTRY_OPTIONS as Record<string, unknown>,
        ctx.inputs.env,
        ctx.flags.project,
      );
    }
    const service = selectService(services, name, Boolean(args.values["skip-only-if"]));
    const { dockerForCommand } = await import("../docker.ts");
    const { attachService } = await import("../../orchestrator/attach.ts");
    const { lineReporter } = await import("../../orchestrator/reporter.ts");
    const { GuardedOutput } = await import("../../orchestrator/guarded-output.ts");
    const docker = await dockerForCommand(ctx);
    // Guarded before the first progress line: a closed stderr is a stop request, not a crash.
    const stdout = new GuardedOutput(ctx.inputs.stdout, "stdout");
    const stderr = new GuardedOutput(ctx.inputs.stderr, "stderr");
    // A project file's dashboard shows the file's services by the project's containers (SPEC §3a).
    const fileStatus = args.values.status !== undefined && loaded.kind === "files"
      ? (await import("../../orchestrator/project/status.ts")).projectStatusOptions(
        loaded.project,
        docker,
      )
      : undefined;
    const status = args.values.status === undefined
      ? undefined
      : await (await import("../../status/embed.ts")).embedStatus(
        state,
        ctx.inputs,
        ctx.flags.project,
        String(args.values.status),
        docker,
        fileStatus,
      );
    const stack = loaded.kind === "files"
      ? await (await import("../../orchestrator/project/lifecycle.ts")).stackOf(
        docker,
        loaded.project,
        "attach",
      )
      : undefined;
    try {
      return await attachService(docker, service, {
        stack,
        project: ctx.flags.project,
        sinceUnix,
        stdout,
        stderr,
        report: lineReporter(stderr),
        signals: ctx.inputs.signals,
        exitNow: (code) => ctx.inputs.exit(code),
        imageHint: await settingsImageHint(ctx),
        clock: ctx.inputs.clock,
      });
    } finally {
      await status?.stop();
    }
  },
};
