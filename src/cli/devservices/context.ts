// The shape of a devservices command and what it receives (its own small table: devservices'
// grammar differs from sentryctl's).

import type { ProcessInputs } from "../../runtime/io.ts";
import type { OptionSpec } from "../command.ts";

export interface DevContext {
  inputs: ProcessInputs;
  /** `-c/--config PATH`. */
  configFile?: string;
  values: Record<string, unknown>;
  positionals: string[];
  color: boolean;
  info(line: string): void;
  warn(line: string): void;
  success(line: string): void;
}

export interface DevCommand {
  name: string;
  aliases?: string[];
  summary: string;
  args?: string;
  options?: Record<string, OptionSpec>;
  /** [min, max] positionals. */
  positionals?: [number, number];
  /** Left out of the usage text. */
  hidden?: boolean;
  /** Every argument goes to the command untouched (`serve ARGS…`). */
  passThrough?: boolean;
  run(ctx: DevContext): Promise<number>;
}
