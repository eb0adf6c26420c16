// The command table. Commands are plain data; their implementations are imported lazily in
// `run`, so `--version` and `--help` never load Docker or the SDK.

import type { Command } from "../command.ts";
import { attachCommand } from "./attach.ts";

export const COMMANDS: readonly Command[] = [attachCommand];
