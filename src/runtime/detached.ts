// Starts a program that outlives the request that asked for it (an editor opened from the
// status server): no shell, no stdio, not waited for. Resolves once it started, rejects when
// it could not (missing program), so the caller can say so.

import { spawn } from "node:child_process";

export function launchDetached(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv;
    if (!command) return reject(new Error("nothing to run"));
    const child = spawn(command, args, {
      detached: true,
      stdio: "ignore",
      shell: false,
      env: Object.fromEntries(
        Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
