// `depends_on: condition: service_completed_successfully`: the one-shot must exit 0 before its
// dependents start. Another exit code fails naming the service and the code (exit 6).

import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";

export async function waitCompleted(
  engine: Engine,
  service: string,
  id: string,
  signal: AbortSignal,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  let delay = 50;
  while (!signal.aborted) {
    const found = await engine.inspectContainer(id);
    if (!found) {
      throw new SentryctlError("unhealthy", `${service} was removed before it completed`, {
        hint: "something else removed its container; run the command again",
      });
    }
    const state = found.State;
    if (!state.Running && !state.Restarting && state.Status !== "created") {
      if (state.ExitCode === 0) return;
      throw new SentryctlError(
        "unhealthy",
        `${service} did not complete successfully: exit code ${state.ExitCode}`,
        { hint: `see its output with 'sentryctl logs ${service}'` },
      );
    }
    await sleep(delay);
    delay = Math.min(500, delay * 2);
  }
}
