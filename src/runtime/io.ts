// The process's inputs and outputs as plain values: commands and modules receive these instead
// of reading `process.*`, so tests (and the status server) can pass their own.

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
