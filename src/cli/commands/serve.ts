// `sentryctl serve [--bind ADDR]`: the status server in the foreground (SPEC §7). Prints the
// DSN, the one-time dashboard link and where the token lives; Ctrl-C/SIGTERM stop it (exit 0).

import type { Command, CommandContext } from "../command.ts";

// The server's allocator setting (docs/status-server.md "Memory allocator"). Bun's allocator,
// mimalloc, hands the pages of freed memory back to the system after a few milliseconds and
// faults them in again on the next allocations: under ingest, one `madvise` call per envelope
// and close to a third of the server's CPU (a client posting one envelope after another:
// 128 µs per envelope against 88 µs with the pages kept, bench/ingest.ts's envelopes). A
// long-running server keeps them: its memory stays near its peak. It is read only while the
// runtime starts, so `serve` relaunches itself with it (same pid and streams); a value the user
// set is kept.
const SERVER_ALLOCATOR_ENV = { MIMALLOC_PURGE_DELAY: "-1" };

/** `serve --link`: a new one-time link from the server already running (found as `tail` does). */
async function printFreshLink(ctx: CommandContext, bindFlag: unknown): Promise<number> {
  const state = await ctx.chain.throughLevel("validated");
  const { stateDirFor } = await import("../../settings/state-dir.ts");
  const { requestDashboardLink } = await import("../../status/link-client.ts");
  const options = (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
  const link = await requestDashboardLink({
    stateDir: stateDirFor(state.location, ctx.inputs.home),
    bind: typeof bindFlag === "string"
      ? bindFlag
      : String(options["status.bind"] ?? "127.0.0.1:8990"),
    fetch,
  });
  ctx.inputs.stdout.write(`Dashboard (one-time link): ${link}\n`);
  return 0;
}

export const serveCommand: Command = {
  words: ["serve"],
  summary: "Run the status server: dashboard, Sentry-style API, event inbox",
  description: [
    "Serves the dashboard, /api/0/… and an ingest endpoint that Sentry SDKs and Spotlight",
    "clients can send to. Binds to loopback by default (status.bind); answers only to allowed",
    "Host names (status.allowed-hosts); everything but /health, /metrics and ingest needs the",
    "token from <state dir>/status-token, or the cookie set by the one-time link printed here.",
    "Spotlight's sidecar routes are served too (GET /stream, /envelope/ID, /clear,",
    "/contextlines, /open, /mcp); --spotlight listens on Spotlight's own 127.0.0.1:8969 so its",
    "clients and SDKs with `spotlight: true` find it. The inbox is kept in the state directory",
    "and survives a restart.",
    "While it runs, its address is recorded in <state dir>/status-server.json for `api`.",
    "`serve --link` prints a fresh one-time link for the server already running (the unused",
    "previous link stops working); it starts no server.",
  ].join("\n"),
  positionals: { min: 0, max: 0 },
  options: {
    bind: {
      type: "string",
      value: "ADDR",
      help: "listen address, HOST:PORT (default status.bind, 127.0.0.1:8990)",
    },
    spotlight: {
      type: "boolean",
      help: "listen on Spotlight's default address, 127.0.0.1:8969",
    },
    link: {
      type: "boolean",
      help: "print a fresh one-time dashboard link for the running server, then exit",
    },
  },
  async run(ctx, args) {
    if (args.values.link === true) {
      return await printFreshLink(
        ctx,
        args.values.spotlight === true ? "127.0.0.1:8969" : args.values.bind,
      );
    }
    const spotlight = args.values.spotlight === true;
    if (spotlight && args.values.bind !== undefined) {
      const { usageError } = await import("../../errors.ts");
      throw usageError("--spotlight and --bind both set the listen address", {
        hint: "use one of them",
      });
    }
    if (ctx.inputs.env.MIMALLOC_PURGE_DELAY === undefined) {
      ctx.inputs.relaunch?.(SERVER_ALLOCATOR_ENV);
    }
    const state = await ctx.chain.throughLevel("validated");
    const { isLoopback } = await import("../../status/bind.ts");
    const { connectDocker } = await import("../../docker/connect.ts");
    const err = ctx.inputs.stderr;
    const docker = await connectDocker(ctx.inputs.env, ctx.inputs.home).catch((e: Error) => {
      err.write(`warning: ${e.message}\nwarning: serving without Docker: no services shown\n`);
      return undefined;
    });
    const { startStatusServer } = await import("../../status/start.ts");
    const { statusStartOptions } = await import("../../status/configure.ts");
    // A project file (-f, ./devservices/config.yml) is the stack the dashboard shows (SPEC §3a).
    const { hasStackFile } = await import("./common.ts");
    const loaded = hasStackFile(ctx)
      ? await (await import("../stack.ts")).loadStackFromFlags(ctx)
      : undefined;
    const file = loaded?.kind === "files" ? loaded.project : undefined;
    const opts = statusStartOptions(
      state,
      ctx.inputs,
      file?.name ?? ctx.flags.project,
      spotlight ? "127.0.0.1:8969" : args.values.bind as string | undefined,
      docker,
    );
    if (file) {
      const { projectStatusOptions } = await import("../../orchestrator/project/status.ts");
      Object.assign(opts, projectStatusOptions(file, docker));
      err.write(`Stack: ${file.configFiles.join(", ")}; project '${file.name}'\n`);
    }
    opts.warn = (message) => err.write(`warning: ${message}\n`);
    const bind = opts.bind;
    const started = await startStatusServer(opts).catch(async (e: Error) => {
      const { SentryctlError, isSentryctlError } = await import("../../errors.ts");
      if (isSentryctlError(e)) throw e;
      throw new SentryctlError(
        "failure",
        `cannot listen on ${bind.host}:${bind.port}: ${e.message}`,
        { hint: "choose another address with --bind HOST:PORT", cause: e },
      );
    });
    if (!isLoopback(bind.host)) {
      err.write(
        `warning: listening on ${bind.host}, not a loopback address: other machines can reach it\n`,
      );
    }
    // Where `api` finds this server (SPEC §6); removed below when it stops.
    const { recordServer } = await import("../../api/local-server.ts");
    let unrecord = () => {};
    try {
      unrecord = recordServer(opts.stateDir, started.url);
    } catch (e) {
      err.write(
        `warning: cannot record this server's address in ${opts.stateDir}: ${
          (e as Error).message
        }; \`sentryctl api\` needs --url ${new URL(started.url).origin}\n`,
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
        ctx.inputs.signals.off("SIGINT", stop);
        ctx.inputs.signals.off("SIGTERM", stop);
        resolve();
      };
      ctx.inputs.signals.on("SIGINT", stop);
      ctx.inputs.signals.on("SIGTERM", stop);
    });
    unrecord();
    await started.stop();
    return 0;
  },
};
