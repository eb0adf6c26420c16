// `sentryctl init [DIR] [--dev] [--no-clobber] [--force]` (Sentry's `sentry init`, SPEC §2).

import type { Command } from "../command.ts";

export const initCommand: Command = {
  words: ["init"],
  summary: "Initialize a new configuration directory (config.yml and sentry.conf.ts)",
  args: "[DIR]",
  description: [
    "Writes config.yml (with a new 50-character system.secret-key) and then sentry.conf.ts into",
    "DIR (default: --config, $SENTRY_CONF, or ~/.sentry). An existing file is asked about on a",
    "terminal; without one, init refuses unless --no-clobber (keep it) or --force (overwrite).",
  ].join("\n"),
  positionals: { min: 0, max: 1 },
  options: {
    dev: { type: "boolean", help: "use settings more conducive to local development" },
    "no-clobber": { type: "boolean", help: "don't ask to overwrite existing config; keep it" },
    force: { type: "boolean", help: "overwrite existing files without asking" },
  },
  async run(ctx, args) {
    const { configDirFor } = await import("../../settings/discover.ts");
    const { initConfigDir } = await import("../../settings/init-files.ts");
    const { isInteractive } = await import("../output.ts");
    const { confirm } = await import("../prompt.ts");
    const { env, home } = ctx.inputs;
    const dir = configDirFor(args.positionals[0] ?? ctx.flags.config, env, home).dir;
    await initConfigDir({
      dir,
      dev: Boolean(args.values.dev),
      noClobber: Boolean(args.values["no-clobber"]),
      force: Boolean(args.values.force),
      interactive: isInteractive(ctx.inputs),
      confirm: (question) => confirm(question, ctx.inputs.stdout, ctx.inputs.stdin()),
      report: (line) => ctx.inputs.stdout.write(`${line}\n`),
    });
    return 0;
  },
};
