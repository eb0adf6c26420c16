// `sentryctl up [SERVICE…]`: start the stack in dependency order and wait until healthy (SPEC §3).

import { usageError } from "../../errors.ts";
import type { Command } from "../command.ts";
import {
  interruptSignal,
  probeMemo,
  progressReporter,
  settingsImageHint,
  stack,
  strings,
} from "./common.ts";

const PULL = ["missing", "always", "never"] as const;

export const upCommand: Command = {
  words: ["up"],
  summary: "Start services (default: every enabled one) and wait until they are healthy",
  args: "[SERVICE…]",
  description: [
    "Creates the <project> network and volumes, pulls missing images, and starts the services in",
    "dependency order (depends_on and {containers[x][name]} templates), independent ones in",
    "parallel. A running container whose definition is unchanged is reused; one that drifted or",
    "stopped is recreated. Then every probe must pass: a service that does not become healthy",
    "is named with its probe output and last log lines, and its dependents are not started",
    "(exit 6). Named services bypass only_if, as in Sentry.",
  ].join("\n"),
  positionals: { min: 0, max: Infinity },
  options: {
    exclude: {
      type: "string",
      multiple: true,
      value: "SERVICE",
      help: "leave this service out (repeatable)",
    },
    "skip-only-if": { type: "boolean", help: "include services that settings disable" },
    recreate: { type: "boolean", help: "recreate containers even when unchanged" },
    pull: {
      type: "string",
      value: "WHEN",
      default: "missing",
      help: "pull images: missing (default), always, never",
    },
    "no-wait": { type: "boolean", help: "do not wait for probes" },
    timeout: { type: "string", value: "SECS", help: "overall limit for everything to be healthy" },
    "dry-run": { type: "boolean", help: "print what would be done, change nothing" },
    build: { type: "boolean", help: "project files: build images of services with build:" },
    profile: {
      type: "string",
      multiple: true,
      value: "NAME",
      help: "project files: activate a profile (repeatable; default $COMPOSE_PROFILES)",
    },
    json: {
      type: "boolean",
      help: "print the services as one JSON document (the same shape as ps --json)",
    },
  },
  async run(ctx, args) {
    const pull = String(args.values.pull);
    if (!(PULL as readonly string[]).includes(pull)) {
      throw usageError(`--pull must be one of ${PULL.join(", ")}, not '${pull}'`);
    }
    let timeoutSeconds: number | undefined;
    if (args.values.timeout !== undefined) {
      timeoutSeconds = Number(args.values.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        throw usageError(
          `--timeout takes a positive number of seconds, not '${args.values.timeout}'`,
        );
      }
    }
    const { loadStackFromFlags } = await import("../stack.ts");
    const profiles = strings(args.values.profile);
    const loaded = await loadStackFromFlags(ctx, {
      profiles: profiles.length > 0 ? profiles : undefined,
      services: args.positionals,
    });
    if (loaded.kind === "files") {
      const { projectUpCommand } = await import("./project-up.ts");
      return await projectUpCommand(ctx, loaded, {
        names: args.positionals,
        recreate: Boolean(args.values.recreate),
        pull: pull as (typeof PULL)[number],
        wait: !args.values["no-wait"],
        build: Boolean(args.values.build),
        timeoutSeconds,
        dryRun: Boolean(args.values["dry-run"]),
        json: Boolean(args.values.json),
      });
    }
    if (args.values.build || profiles.length > 0) {
      throw usageError("--build and --profile need a project file", {
        hint: "pass -f FILE before the command, or run in a directory with devservices/config.yml",
      });
    }
    const started = ctx.inputs.clock.now();
    const { services, engine } = await stack(ctx, "validated", true);
    const { up } = await import("../../orchestrator/stack.ts");
    const { SILENT } = await import("../../orchestrator/reporter.ts");
    const dryRun = Boolean(args.values["dry-run"]);
    const interrupt = interruptSignal(ctx.inputs.signals);
    try {
      const names = args.positionals;
      const reporter = dryRun ? SILENT : await progressReporter(
        ctx,
        names.length > 0
          ? names
          : [...services.values()].filter((s) => s.enabled).map((s) => s.name),
      );
      const result = await up(engine, services, {
        project: ctx.flags.project,
        names,
        exclude: strings(args.values.exclude),
        skipOnlyIf: Boolean(args.values["skip-only-if"]),
        recreate: Boolean(args.values.recreate),
        pull: pull as (typeof PULL)[number],
        wait: !args.values["no-wait"],
        timeoutSeconds,
        dryRun,
        reporter,
        signal: interrupt.signal,
        clock: ctx.inputs.clock,
        memo: await probeMemo(ctx),
        imageHint: await settingsImageHint(ctx),
      });
      if (dryRun) {
        ctx.inputs.stdout.write(result.text);
        return 0;
      }
      if (args.values.json) {
        const { projectStatus } = await import("../../orchestrator/service-status.ts");
        const { catalogScope } = await import("../../orchestrator/scope.ts");
        const wanted = new Set(result.desired.map((d) => d.name));
        const waited = new Set(
          result.plan.services.filter((s) => s.ops.some((o) => o.op === "wait-healthy")).map((s) =>
            s.service
          ),
        );
        const statuses =
          (await projectStatus(engine, catalogScope(ctx.flags.project), ctx.inputs.clock.now()))
            .filter((s) => wanted.has(s.service))
            // A probe that just passed is health, whatever Docker's own check has yet to say.
            .map((
              s,
            ) => (waited.has(s.service) && s.state === "running"
              ? { ...s, health: "healthy" as const }
              : s)
            );
        ctx.inputs.stdout.write(JSON.stringify(statuses, null, 2) + "\n");
      } else {
        const seconds = ((ctx.inputs.clock.now() - started) / 1000).toFixed(1);
        ctx.inputs.stderr.write(`> ${result.desired.length} service(s) up in ${seconds}s\n`);
      }
      return 0;
    } finally {
      interrupt.dispose();
    }
  },
};
