// The command table. Commands are plain data; their implementations are imported lazily in
// `run`, so `--version` and `--help` never load Docker or the SDK.

import type { Command } from "../command.ts";
import { attachCommand } from "./attach.ts";
import { CONFIG_COMMANDS } from "./config.ts";
import { initCommand } from "./init.ts";
import { runCommand } from "./run-script.ts";
import { withCommand } from "./with.ts";

export const COMMANDS: readonly Command[] = [
  attachCommand,
  initCommand,
  ...CONFIG_COMMANDS,
  withCommand,
  runCommand,
];
