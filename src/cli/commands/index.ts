// The command table. Commands are plain data; their implementations are imported lazily in
// `run`, so `--version` and `--help` never load Docker or the SDK.

import type { Command } from "../command.ts";
import { apiCommand } from "./api.ts";
import { attachCommand } from "./attach.ts";
import { CONFIG_COMMANDS } from "./config.ts";
import { createuserCommand } from "./createuser.ts";
import { doctorCommand } from "./doctor.ts";
import { downCommand, rmCommand } from "./down.ts";
import { execCommand } from "./exec.ts";
import { healthcheckCommand } from "./healthcheck.ts";
import { initCommand } from "./init.ts";
import { logsCommand } from "./logs.ts";
import { PERMISSIONS_COMMANDS } from "./permissions.ts";
import { psCommand, statusCommand } from "./ps.ts";
import { sendEventCommand } from "./send-event.ts";
import { serveCommand } from "./serve.ts";
import { tailCommand } from "./tail.ts";
import { runCommand } from "./run-script.ts";
import { upCommand } from "./up.ts";
import { withCommand } from "./with.ts";

export const COMMANDS: readonly Command[] = [
  attachCommand,
  upCommand,
  downCommand,
  rmCommand,
  psCommand,
  statusCommand,
  logsCommand,
  execCommand,
  healthcheckCommand,
  doctorCommand,
  initCommand,
  ...CONFIG_COMMANDS,
  createuserCommand,
  ...PERMISSIONS_COMMANDS,
  apiCommand,
  serveCommand,
  tailCommand,
  sendEventCommand,
  withCommand,
  runCommand,
];
