// `sentryctl serve [--bind ADDR]`: the status server in the foreground (SPEC §7). Prints the
// DSN, the one-time dashboard link and where the token lives; Ctrl-C/SIGTERM stop it (exit 0).

import type { Command } from "../command.ts";

export const serveCommand: Command = {
  words: ["serve"],
  summary: "Run the status server: dashboard, Sentry-style API, event inbox",
  description: [
    "Serves the dashboard, /api/0/… and an ingest endpoint that Sentry SDKs and Spotlight",
    "clients can send to. Binds to loopback by default (status.bind); answers only to allowed",
    "Host names (status.allowed-hosts); everything but /health, /metrics and ingest needs the",
    "token from <state dir>/status-token, or the cookie set by the one-time link printed here.",
  ].join("\n"),
  positionals: { min: 0, max: 0 },
  options: {
    bind: {
      type: "string",
      value: "ADDR",
      help: "listen address, HOST:PORT (default status.bind, 127.0.0.1:8990)",
    },
  },
  async run(ctx, args) {
    const state = await ctx.chain.throughLevel("validated");
    const options = (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
    const { parseBind, isLoopback } = await import("../../status/bind.ts");
    const bind = parseBind(
      String(args.values.bind ?? options["status.bind"] ?? "127.0.0.1:8990"),
    );
    const { resolveServices, containerNameFor } = await import("../../services/resolve.ts");
    const services = resolveServices(state.settings, options, ctx.inputs.env, ctx.flags.project);
    const { connectDocker } = await import("../../docker/connect.ts");
    const err = ctx.inputs.stderr;
    const docker = await connectDocker(ctx.inputs.env, ctx.inputs.home).catch((e: Error) => {
      err.write(`warning: ${e.message}\nwarning: serving without Docker: no services shown\n`);
      return undefined;
    });
    const { startStatusServer, defaultStateDir } = await import("../../status/start.ts");
    const allowed = options["status.allowed-hosts"];
    const started = await startStatusServer({
      bind,
      stateDir: defaultStateDir(state.location?.dir, ctx.inputs.home),
      project: ctx.flags.project,
      serviceNames: [...services.values()].filter((s) => s.enabled).map((s) => s.name),
      containerName: (name) => containerNameFor(ctx.flags.project, name),
      allowedHosts: Array.isArray(allowed) ? allowed.map(String) : [],
      docker,
    }).catch(async (e: Error) => {
      const { SentryctlError, isSentryctlError } = await import("../../errors.ts");
      if (isSentryctlError(e)) throw e;
      throw new SentryctlError(
        "failure",
        `cannot listen on ${bind.host}:${bind.port}: ${e.message}`,
        {
          hint: "choose another address with --bind HOST:PORT",
          cause: e,
        },
      );
    });
    if (!isLoopback(bind.host)) {
      err.write(
        `warning: listening on ${bind.host}, not a loopback address: other machines can reach it\n`,
      );
    }
    const out = ctx.inputs.stdout;
    out.write(
      `Status server on ${started.url}\n` +
        `DSN: ${started.dsn}\n` +
        `Dashboard (one-time link): ${started.link}\n` +
        `Token file: ${started.tokenPath}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await started.stop();
    return 0;
  },
};
