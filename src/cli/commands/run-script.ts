// `sentryctl run [--with LIST] [--interpreter P] FILE [ARGS…]` (SPEC §4): runs `P FILE ARGS…`
// inside `with`. Options missing on the command line are read from FILE's own
// `#!/usr/bin/env -S sentryctl run …` line, so `sentryctl run FILE` equals executing FILE.

import { readFileSync } from "node:fs";
import { parseFlags } from "../flags.ts";
import type { Command } from "../command.ts";
import { usageError } from "../../errors.ts";
import { executeWith, invocationFrom, WITH_OPTIONS } from "./with.ts";

const RUN_OPTIONS = {
  with: {
    type: "string" as const,
    multiple: true,
    value: "LIST",
    help: "services to start, comma-separated (repeatable)",
  },
  interpreter: {
    type: "string" as const,
    value: "P",
    help: "program that runs FILE (default sh)",
  },
  ...WITH_OPTIONS,
};

function firstLine(path: string): string {
  let text: string;
  try {
    // 4 KiB is plenty for a `#!` line (Linux reads at most 256 bytes of it).
    text = readFileSync(path, { encoding: "latin1", flag: "r" }).slice(0, 4096);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(
      `cannot read '${path}': ${code === "ENOENT" ? "no such file" : code ?? String(err)}`,
    );
  }
  const nl = text.indexOf("\n");
  return nl >= 0 ? text.slice(0, nl) : text;
}

export const runCommand: Command = {
  words: ["run"],
  summary: "Run a script with dev services up (for '#!/usr/bin/env -S sentryctl run --with …')",
  args: "FILE [ARGS…]",
  description: [
    "Runs 'P FILE ARGS…' (P is --interpreter, default sh) inside 'sentryctl with'. FILE is passed",
    "unchanged, so $0, __file__ and line numbers are right. Options not given on the command",
    "line come from FILE's first line, e.g.",
    "  #!/usr/bin/env -S sentryctl run --with redis,kafka --interpreter python3",
    "Where env has no -S (BusyBox), call 'sentryctl run FILE' yourself.",
  ].join("\n"),
  positionals: { min: 0, max: 0 },
  restFromFirstPositional: true,
  options: RUN_OPTIONS,
  async run(ctx, args) {
    const [file, ...rest] = args.rest;
    if (!file) {
      throw usageError("'run' needs FILE", {
        hint: "usage: sentryctl run [--with LIST] [--interpreter P] FILE [ARGS…]",
      });
    }
    const { serviceList, shebangOptions } = await import("../../ci/shebang.ts");
    const fromFile = shebangOptions(firstLine(file)) ?? [];
    let shebang;
    try {
      shebang = parseFlags(fromFile, RUN_OPTIONS, false).values as Record<string, unknown>;
    } catch (err) {
      throw usageError(
        `the '#!' line of '${file}' has options 'run' does not know: ${(err as Error).message}`,
      );
    }
    // The command line wins over the file's own line, option by option.
    const values = { ...shebang };
    for (const [k, v] of Object.entries(args.values)) if (v !== undefined) values[k] = v;
    const services = serviceList((values.with as string[] | undefined) ?? []);
    const interpreter = (values.interpreter as string | undefined) ?? "sh";
    return await executeWith(
      ctx,
      invocationFrom({ ...args, values: values as typeof args.values }, services, [
        interpreter,
        file,
        ...rest,
      ]),
    );
  },
};
