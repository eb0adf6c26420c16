// The command table. Commands are plain data; their implementations are imported lazily in
// `run`, so `--version` and `--help` never load Docker or the SDK.

import type { Command } from "../command.ts";
import { apiCommand } from "./api.ts";
import { attachCommand } from "./attach.ts";
import { CONFIG_COMMANDS } from "./config.ts";
import { createuserCommand } from "./createuser.ts";
import { initCommand } from "./init.ts";
import { PERMISSIONS_COMMANDS } from "./permissions.ts";
import { serveCommand } from "./serve.ts";

export const COMMANDS: readonly Command[] = [
  attachCommand,
  initCommand,
  ...CONFIG_COMMANDS,
  createuserCommand,
  ...PERMISSIONS_COMMANDS,
  apiCommand,
  serveCommand,
];
