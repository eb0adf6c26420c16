// `sentryctl tail [errors|traces|logs|attachments|all] [--format human|json|logfmt|md]`
// (SPEC §7a): follows the status server's inbox in the terminal, one line per item, until
// Ctrl-C (exit 0).

import { usageError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { interruptSignal } from "./common.ts";

export const tailCommand: Command = {
  words: ["tail"],
  summary: "Follow the status server's inbox: one line per error, trace, log or attachment",
  args: "[errors|traces|logs|attachments|all]…",
  description: [
    "Connects to the status server's GET /stream (the address a running `serve` recorded in the",
    "state directory, else status.bind, or --url), prints what the inbox holds, then each item",
    "as it arrives, one line each; log batches give one line per record. Ctrl-C stops (exit 0).",
    "Works against Spotlight's sidecar too (--url http://localhost:8969).",
  ].join("\n"),
  positionals: { min: 0, max: 5 },
  options: {
    format: {
      type: "string",
      short: "f",
      value: "FMT",
      help: "human (default), json, logfmt or md",
    },
    url: {
      type: "string",
      value: "URL",
      help: "the server's origin, e.g. http://127.0.0.1:8990",
    },
  },
  async run(ctx, args) {
    const { TAIL_FORMATS, TAIL_KINDS } = await import("../../status/tail-format.ts");
    type Kind = (typeof TAIL_KINDS)[number];
    type Format = (typeof TAIL_FORMATS)[number];
    const words = args.positionals.map((p) => p.toLowerCase());
    for (const w of words) {
      if (!(TAIL_KINDS as readonly string[]).includes(w)) {
        throw usageError(`unknown kind '${w}'`, { hint: `use ${TAIL_KINDS.join(", ")}` });
      }
    }
    const format = String(args.values.format ?? "human").toLowerCase();
    if (!(TAIL_FORMATS as readonly string[]).includes(format)) {
      throw usageError(`unknown format '${format}'`, { hint: `use ${TAIL_FORMATS.join(", ")}` });
    }
    const kinds = new Set<Kind>(words.length > 0 ? words as Kind[] : ["all"]);
    let origin: string;
    if (args.values.url !== undefined) {
      try {
        origin = new URL(String(args.values.url)).origin;
      } catch {
        throw usageError(`--url '${args.values.url}' is not a URL`);
      }
    } else {
      const state = await ctx.chain.throughLevel("validated");
      const { stateDirFor } = await import("../../settings/state-dir.ts");
      const { candidateOrigins, findStatusServer } = await import("../../status/locate.ts");
      const options = (state.settings.SENTRY_OPTIONS ?? {}) as Record<string, unknown>;
      const candidates = candidateOrigins(
        stateDirFor(state.location, ctx.inputs.home),
        String(options["status.bind"] ?? "127.0.0.1:8990"),
      );
      // None answering: the first is named in the error below.
      origin = await findStatusServer(candidates, fetch, 1000) ?? candidates[0]!;
    }
    const { followStream } = await import("../../status/tail.ts");
    const interrupt = interruptSignal(ctx.inputs.signals);
    try {
      await followStream({
        origin,
        kinds,
        format: format as Format,
        fetch,
        write: (line) => ctx.inputs.stdout.write(line),
        warn: (m) => ctx.inputs.stderr.write(`warning: ${m}\n`),
        signal: interrupt.signal,
        clock: ctx.inputs.clock,
      });
    } finally {
      interrupt.dispose();
    }
    return 0;
  },
};
