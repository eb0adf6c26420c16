// What every command receives: the process's inputs as plain values (never read from globals
// further down), and the state the initializer chain builds up.

import type { ConfigLocation } from "../settings/discover.ts";
import type { Settings } from "../settings/defaults.ts";

export interface Writer {
  write(data: string | Uint8Array): unknown;
}

export interface ProcessInputs {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
  stdout: Writer;
  stderr: Writer;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
}

export interface GlobalFlags {
  config?: string;
  project: string;
  verbose: boolean;
}

/** The state the chain fills in, step by step. */
export interface ConfigState {
  /** Undefined when no config directory exists: the embedded defaults apply. */
  location?: ConfigLocation;
  /** Django-style settings: UPPERCASE names. */
  settings: Settings;
  /** The raw `config.yml` mapping, as read. */
  fileOptions: Record<string, unknown>;
  /** Warnings already printed, kept for `config validate` and tests. */
  warnings: string[];
}
