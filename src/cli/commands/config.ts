// `sentryctl config show|get|set|validate|generate-secret-key` (Sentry's `sentry config`, SPEC §2).
// `get` runs the chain only as far as the effective options, legacy settings included (no option
// or snuba validators, no Docker, no SDK).

import type { Command } from "../command.ts";
import { configStackCommand } from "./config-stack.ts";

export const configShowCommand: Command = {
  words: ["config", "show"],
  summary: "Show every effective option and setting (secrets redacted)",
  description:
    "Runs the whole chain first, so derived values and warnings are those of a real run.",
  options: {
    origin: {
      type: "boolean",
      help: "show where each value came from (file:line, env var, default)",
    },
    json: { type: "boolean", help: "print one JSON document on stdout" },
  },
  async run(ctx, args) {
    const state = await ctx.chain.throughLevel("full");
    const { describeConfig, renderJson, renderText } = await import("../../settings/show.ts");
    const view = describeConfig(state, ctx.inputs.env);
    const withOrigin = Boolean(args.values.origin);
    ctx.inputs.stdout.write(
      args.values.json ? renderJson(view, withOrigin) : renderText(view, withOrigin),
    );
    return 0;
  },
};

export const configGetCommand: Command = {
  words: ["config", "get"],
  summary: "Print the effective value of an option (or an UPPERCASE setting)",
  args: "KEY",
  description: "Strings print as they are; other values as JSON.",
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const key = args.positionals[0]!;
    const { effectiveValue } = await import("../../bootstrap/effective-value.ts");
    const value = await effectiveValue(ctx.chain, key, ctx.inputs.env);
    ctx.inputs.stdout.write(`${typeof value === "string" ? value : JSON.stringify(value)}\n`);
    return 0;
  },
};

export const configSetCommand: Command = {
  words: ["config", "set"],
  summary: "Set an option in config.yml, keeping its comments and key order",
  args: "KEY VALUE",
  description:
    "VALUE is converted to the option's type (integer, boolean, YAML for mappings and lists).",
  positionals: { min: 2, max: 2 },
  async run(ctx, args) {
    const [key, text] = args.positionals as [string, string];
    const { coerceOption, optionsFileFor } = await import("../../settings/lookup.ts");
    const { setOptionInFile } = await import("../../settings/edit.ts");
    const { loadYaml } = await import("../../formats/yaml-lib.ts");
    await loadYaml(); // mappings and lists are read as YAML; the edit keeps the file's comments
    const { value, float } = coerceOption(key, text);
    setOptionInFile(optionsFileFor(ctx.flags.config, ctx.inputs.env, ctx.inputs.home), key, value, {
      float,
    });
    return 0;
  },
};

export const configValidateCommand: Command = {
  words: ["config", "validate"],
  summary: "Run the whole settings chain and report problems (exit 0 or 3)",
  async run(ctx) {
    const state = await ctx.chain.configure();
    const where = state.location ? state.location.dir : "built-in defaults";
    const count = state.warnings.length;
    ctx.inputs.stdout.write(
      `Configuration OK: ${where}${count ? ` (${count} warning${count > 1 ? "s" : ""})` : ""}\n`,
    );
    return 0;
  },
};

export const configGenerateSecretKeyCommand: Command = {
  words: ["config", "generate-secret-key"],
  summary: "Print a new random secret key for system.secret-key",
  async run(ctx) {
    const { generateSecretKey } = await import("../../settings/secret-key.ts");
    ctx.inputs.stdout.write(`${generateSecretKey()}\n`);
    return 0;
  },
};

export const CONFIG_COMMANDS: readonly Command[] = [
  configShowCommand,
  configGetCommand,
  configSetCommand,
  configValidateCommand,
  configGenerateSecretKeyCommand,
  configStackCommand,
];
