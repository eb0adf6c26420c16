// Terminal decisions in one place: colour only on a TTY without NO_COLOR or CI, and whether a
// session is interactive (prompts, live progress lines).

import type { ProcessInputs } from "./io.ts";

export type Color = "red" | "green" | "yellow" | "cyan" | "dim" | "bold";
const CODES: Record<Color, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export function isInteractive(inputs: ProcessInputs): boolean {
  return inputs.stdinIsTTY && inputs.stdoutIsTTY && !isCI(inputs.env);
}

export function isCI(env: Record<string, string | undefined>): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

export function colorEnabled(inputs: ProcessInputs, stream: "stdout" | "stderr"): boolean {
  if (inputs.env.NO_COLOR !== undefined && inputs.env.NO_COLOR !== "") return false;
  if (isCI(inputs.env)) return false;
  return stream === "stdout" ? inputs.stdoutIsTTY : inputs.stderrIsTTY;
}

export function paint(enabled: boolean, color: Color, text: string): string {
  if (!enabled) return text;
  const [open, close] = CODES[color];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}
