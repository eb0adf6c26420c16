// `sentryctl send-event [-m MESSAGE] [--level LEVEL]`: sends one event through the configured
// SDK chain (SENTRY_SDK_CONFIG dsn / relay_dsn, SENTRY_DEV_DSN), prints its id on stdout and one
// line per transport on stderr: name, DSN host, outcome. Exit 0 when at least one DSN took it.
//
// Test hook (documented in the README): with SENTRYCTL_INTERNAL_CRASH=1 the command throws an
// unexpected error after the chain has run, to check crash reporting end to end.

import type { Command } from "../command.ts";
import { configError, failure, usageError } from "../../errors.ts";

const EVENT_LEVELS = ["fatal", "error", "warning", "log", "info", "debug"] as const;
type Level = (typeof EVENT_LEVELS)[number];

export const sendEventCommand: Command = {
  words: ["send-event"],
  summary: "Send a test event through the configured SDK DSNs and say where it went",
  description:
    "Runs the whole chain, captures one message event and flushes it (at most 2 s). stdout: the\n" +
    "event id. stderr: one line per transport (upstream = SENTRY_SDK_CONFIG.dsn, relay =\n" +
    "relay_dsn or the internal project) with the DSN host and what happened.",
  options: {
    message: { type: "string", short: "m", value: "MESSAGE", help: "event message" },
    level: {
      type: "string",
      value: "LEVEL",
      help: `one of ${EVENT_LEVELS.join(", ")} (default info)`,
    },
    count: { type: "string", value: "N", help: "send N events (default 1), one id per line" },
    statsd: {
      type: "string",
      value: "LINE",
      help: "attach a statsd item (e.g. 'x:1|c') to the envelope: checks the upstream filter",
    },
  },
  async run(ctx, args) {
    const level = (args.values.level as string | undefined) ?? "info";
    if (!(EVENT_LEVELS as readonly string[]).includes(level)) {
      throw usageError(`unknown level '${level}'`, {
        hint: `use one of ${EVENT_LEVELS.join(", ")}`,
      });
    }
    const countText = (args.values.count as string | undefined) ?? "1";
    const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
    if (!(count >= 1 && count <= 1000)) {
      throw usageError(`--count must be an integer from 1 to 1000, got '${countText}'`);
    }
    await ctx.chain.configure();
    if (ctx.inputs.env.SENTRYCTL_INTERNAL_CRASH === "1") crashForTests();
    const { FLUSH_TIMEOUT_MS } = await import("../../telemetry/index.ts");
    const sdk = ctx.chain.telemetry.sdk;
    if (!sdk) {
      throw configError("no DSN configured: there is nowhere to send the event", {
        hint:
          "set SENTRY_SDK_CONFIG: {dsn: …} (and relay_dsn) in sentry.conf.yml, or SENTRY_DEV_DSN",
      });
    }
    const message = (args.values.message as string | undefined) ??
      "This is a test event sent by sentryctl send-event";
    const statsd = args.values.statsd as string | undefined;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(sdk.captureMessage(message, level as Level, { statsd }));
      // Let each event reach its transports before the next one (rate limits apply in order).
      if (count > 1) await sdk.flush(FLUSH_TIMEOUT_MS);
    }
    await sdk.flush(FLUSH_TIMEOUT_MS);
    let delivered = 0;
    for (const id of ids) {
      ctx.inputs.stdout.write(`${id}\n`);
      for (const t of sdk.report(id)) {
        const outcome = t.outcome === "sending" ? "no answer within 2 s" : t.outcome;
        if (outcome.startsWith("sent")) delivered++;
        ctx.inputs.stderr.write(`${t.name} ${t.host} ${outcome}\n`);
      }
    }
    if (delivered === 0) {
      throw failure("the event reached no DSN", { hint: "see the transport lines above" });
    }
    return 0;
  },
};

/** A real unexpected error with a stack (the crash test hook). */
function crashForTests(): never {
  const broken = JSON.parse("null") as { field: { value: number } };
  // A TypeError thrown from inside sentryctl, as a bug would throw it.
  return broken.field.value as never;
}
