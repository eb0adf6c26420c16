// `sentryctl with SERVICE… [--reuse] [--keep] [--timeout S] [--dry-run --json] -- CMD [ARGS…]`
// (SPEC §4). The shared glue for `run` lives here too: resolve the services, pick the project,
// build the session label, and hand over to src/ci/with.ts.

import type { Command, CommandContext, OptionSpec, ParsedArgs } from "../command.ts";
import type { LoadedProject } from "../../compose/types.ts";
import type { Engine } from "../../docker/engine.ts";
import { usageError } from "../../errors.ts";
import type { ConfigState } from "../../settings/state.ts";

export const WITH_OPTIONS: Record<string, OptionSpec> = {
  reuse: {
    type: "boolean",
    help:
      "use the normal project (--project) and its ports: start what is missing, tear nothing down",
  },
  keep: { type: "boolean", help: "leave the isolated project behind after CMD exits" },
  timeout: {
    type: "string",
    value: "S",
    help: "seconds to wait for the services to be healthy (default 180)",
  },
  "dry-run": { type: "boolean", help: "print what would be started and exported; start nothing" },
  json: { type: "boolean", help: "with --dry-run: one JSON document on stdout" },
};

export interface WithInvocation {
  services: string[];
  command: string;
  args: string[];
  reuse: boolean;
  keep: boolean;
  timeoutSeconds?: number;
  dryRun: boolean;
  json: boolean;
}

export function parseTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || Number(text) <= 0) {
    throw usageError(`--timeout needs a number of seconds greater than 0, got '${text}'`);
  }
  return Number(text);
}

export function invocationFrom(
  args: ParsedArgs,
  services: string[],
  argv: string[],
): WithInvocation {
  if (args.values.json && !args.values["dry-run"]) {
    throw usageError("--json goes with --dry-run (while CMD runs, stdout is CMD's)");
  }
  if (args.values.keep && args.values.reuse) {
    throw usageError("--keep and --reuse do not go together", {
      hint: "--reuse never tears anything down",
    });
  }
  return {
    services,
    command: argv[0] ?? "",
    args: argv.slice(1),
    reuse: Boolean(args.values.reuse),
    keep: Boolean(args.values.keep),
    timeoutSeconds: parseTimeout(args.values.timeout),
    dryRun: Boolean(args.values["dry-run"]),
    json: Boolean(args.values.json),
  };
}

async function localStatusEnv(
  ctx: CommandContext,
  state: ConfigState,
): Promise<Record<string, string>> {
  const env = ctx.inputs.env;
  if (env.SENTRY_SPOTLIGHT && env.SENTRY_DSN) return {};
  const { stateDirFor } = await import("../../settings/state-dir.ts");
  const { candidateOrigins, findStatusServer, spotlightEnv } = await import(
    "../../status/locate.ts"
  );
  const options = (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
  const stateDir = stateDirFor(state.location, ctx.inputs.home);
  const origins = candidateOrigins(stateDir, String(options["status.bind"] ?? "127.0.0.1:8990"));
  const origin = await findStatusServer(origins, fetch);
  return origin ? spotlightEnv(origin, env) : {};
}

export async function executeWith(ctx: CommandContext, inv: WithInvocation): Promise<number> {
  // The engine is reached (and orphans swept) while the settings are read: both are needed,
  // neither depends on the other. `--dry-run` and a run without services never touch Docker.
  let docker: Promise<Engine> | undefined;
  if (!inv.dryRun && inv.services.length > 0) {
    const { dockerForCommand } = await import("../docker.ts");
    docker = dockerForCommand(ctx);
    docker.catch(() => {}); // awaited below; a settings error must not leave it unhandled
  }
  const state = await ctx.chain.throughLevel("validated");
  // A status server that answers gets the child's events (SPEC §7a): looked up meanwhile.
  const statusEnv = inv.dryRun ? undefined : localStatusEnv(ctx, state);
  const { resolveServices, selectService } = await import("../../services/resolve.ts");
  const { newWithProject } = await import("../../ci/project.ts");
  // A project file (-f, ./devservices/config.yml) is the stack instead of the catalog (SPEC §3a).
  const file = await projectFile(ctx, inv.services);
  const project = inv.reuse ? (file?.name ?? ctx.flags.project) : newWithProject();
  let services;
  if (file) {
    const { projectServices } = await import("../../orchestrator/project/services.ts");
    services = projectServices(file);
    const { checkServiceNames } = await import("../../services/resolve.ts");
    checkServiceNames(services, inv.services, []);
  } else {
    services = resolveServices(
      state.settings,
      state.settings.SENTRY_OPTIONS as Record<string, unknown>,
      ctx.inputs.env,
      project,
    );
    // Named services run even if settings disable them, as with `up SERVICE`.
    for (const name of inv.services) selectService(services, name, true);
  }
  const { selectWith } = await import("../../ci/docker-stack.ts");
  const chosen = selectWith(services, inv.services);
  const timeoutSeconds = inv.timeoutSeconds ?? 180;

  if (inv.dryRun) {
    const { dryRunDocument, dryRunText } = await import("../../ci/dry-run.ts");
    const doc = dryRunDocument({
      project,
      isolated: !inv.reuse,
      keep: inv.keep,
      timeoutSeconds,
      chosen,
      command: inv.command ? [inv.command, ...inv.args] : [],
    });
    ctx.inputs.stdout.write(inv.json ? `${JSON.stringify(doc, null, 2)}\n` : dryRunText(doc));
    return 0;
  }

  const { runWith, NO_SERVICES } = await import("../../ci/with.ts");
  const { runForwardingSignals } = await import("../../runtime/spawn.ts");
  const deps = {
    runChild: runForwardingSignals,
    signals: ctx.inputs.signals,
    // A terminal's Ctrl-C reaches the child directly (same process group): do not double it.
    forward: ctx.inputs.stdinIsTTY
      ? ["SIGTERM", "SIGHUP"] as const
      : ["SIGINT", "SIGTERM", "SIGHUP"] as const,
    env: ctx.inputs.env,
    cwd: ctx.inputs.cwd,
    stderr: ctx.inputs.stderr,
    statusEnv,
  };
  const request = {
    project,
    isolated: !inv.reuse,
    keep: inv.keep,
    services: inv.services,
    command: inv.command,
    args: inv.args,
    timeoutSeconds,
  };
  // No services (`run --with ''`, a plain script): no Docker at all.
  if (inv.services.length === 0) {
    return await runWith({ ...request, isolated: false }, { ...deps, stack: NO_SERVICES });
  }
  const { EngineStack } = await import("../../ci/docker-stack.ts");
  const { lineReporter } = await import("../../orchestrator/reporter.ts");
  const { currentSession, formatSession } = await import("../../runtime/session.ts");
  const engine = await docker!;
  // Plain lines, also on a terminal: CMD writes to the same terminal right after.
  const report = lineReporter(ctx.inputs.stderr, { phases: true });
  // A kept project has no session label: it must outlive this process without being an orphan.
  const session = !inv.reuse && !inv.keep ? formatSession(currentSession()) : undefined;
  if (!inv.reuse) report.step(`Project '${project}'`);
  let stack;
  if (file) {
    const { ProjectFileStack } = await import("../../ci/project-stack.ts");
    stack = new ProjectFileStack(engine, file, report);
  } else stack = new EngineStack(engine, services, report, ctx.inputs.clock);
  return await runWith({ ...request, session }, { ...deps, stack });
}

/** The project file the stack flags or the directory name, if any (loaded with its warnings). */
async function projectFile(
  ctx: CommandContext,
  services: readonly string[],
): Promise<LoadedProject | undefined> {
  const { hasStackFile } = await import("./common.ts");
  if (!hasStackFile(ctx)) return undefined;
  const { loadStackFromFlags } = await import("../stack.ts");
  const loaded = await loadStackFromFlags(ctx, { services });
  return loaded.kind === "files" ? loaded.project : undefined;
}

export const withCommand: Command = {
  words: ["with"],
  summary: "Run a command with dev services up; an isolated, throw-away stack by default (CI)",
  args: "SERVICE…",
  description: [
    "Starts the services (and what they depend on) in their own project sentry-with-<8 hex> on",
    "ephemeral 127.0.0.1 ports, waits until they are healthy, runs CMD with SENTRY_<SVC>_HOST,",
    "SENTRY_<SVC>_PORT, SENTRY_<SVC>_PORT_<containerport>, SENTRY_REDIS_URL, SENTRY_POSTGRES_URL",
    "and SENTRY_KAFKA_BOOTSTRAP_SERVERS in its environment, forwards SIGINT/SIGTERM to it, removes",
    "everything it created, and exits with CMD's status (128+N if CMD died of signal N).",
  ].join("\n"),
  positionals: { min: 1, max: Infinity },
  acceptsRest: true,
  options: WITH_OPTIONS,
  async run(ctx, args) {
    const { serviceList } = await import("../../ci/shebang.ts");
    const services = serviceList(args.positionals);
    if (args.rest.length === 0 && !args.values["dry-run"]) {
      throw usageError("'with' needs a command after '--'", {
        hint: "usage: sentryctl with SERVICE… [flags] -- CMD [ARGS…]",
      });
    }
    return await executeWith(ctx, invocationFrom(args, services, args.rest));
  },
};
