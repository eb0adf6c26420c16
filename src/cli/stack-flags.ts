// The global flags that choose a stack (`-f/--file FILE`, repeatable, `--project-directory DIR`,
// `--env-file FILE`) are recognised only before the command (SPEC §1): after it, `-f` is the
// command's own (`logs -f`, `api -f`). They are taken out of argv here, before the command is
// resolved, so that their values are not mistaken for command words.

import { usageError } from "../errors.ts";

export interface StackFlags {
  files: string[];
  projectDirectory?: string;
  envFile?: string;
}

/** Globals before the command that take a value, so the value is not read as the command. */
const OTHER_VALUED = new Set(["--config", "--project"]);

export function splitStackFlags(argv: readonly string[]): { flags: StackFlags; rest: string[] } {
  const flags: StackFlags = { files: [] };
  const rest: string[] = [];
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined || (v.startsWith("-") && v !== "-")) {
      throw usageError(`${flag} needs a value`, {
        hint: `e.g. sentryctl ${flag} ${flag === "--project-directory" ? "DIR" : "FILE"} up`,
      });
    }
    return v;
  };
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--" || !token.startsWith("-") || token === "-") break;
    const eq = token.indexOf("=");
    const name = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    const inline = token.startsWith("--") && eq > 0 ? token.slice(eq + 1) : undefined;
    if (name === "-f" || name === "--file") flags.files.push(inline ?? value(name));
    else if (/^-f./.test(token)) flags.files.push(token.slice(2));
    else if (name === "--project-directory") flags.projectDirectory = inline ?? value(name);
    else if (name === "--env-file") flags.envFile = inline ?? value(name);
    else {
      rest.push(token);
      if (OTHER_VALUED.has(token) && i + 1 < argv.length) rest.push(argv[++i]!);
    }
  }
  for (const empty of [...flags.files, flags.projectDirectory, flags.envFile]) {
    if (empty === "") {
      throw usageError("an empty path was given to -f, --project-directory or --env-file");
    }
  }
  return { flags, rest: [...rest, ...argv.slice(i)] };
}
