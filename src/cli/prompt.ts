// A yes/no question on the terminal, as Click's `confirm` (default No): `<question> [y/N]: `.

import { createInterface } from "node:readline/promises";
import type { StdinStream, Writer } from "../runtime/io.ts";

export function parseAnswer(answer: string, fallback = false): boolean | undefined {
  const word = answer.trim().toLowerCase();
  if (word === "") return fallback;
  if (["y", "yes"].includes(word)) return true;
  if (["n", "no"].includes(word)) return false;
  return undefined;
}

/** Asks until the answer is yes or no; the end of input counts as the default (No). */
export async function confirm(
  question: string,
  out: Writer,
  input: StdinStream,
): Promise<boolean> {
  const rl = createInterface({ input, terminal: false });
  const closed = new Promise<undefined>((resolve) => rl.once("close", () => resolve(undefined)));
  try {
    for (;;) {
      out.write(`${question} [y/N]: `);
      const line = await Promise.race([rl.question(""), closed]);
      if (line === undefined) return false;
      const answer = parseAnswer(line);
      if (answer !== undefined) return answer;
      out.write("Error: invalid input\n");
    }
  } finally {
    rl.close();
  }
}
