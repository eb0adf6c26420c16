// `depends_on: condition: service_completed_successfully`: the one-shot must exit 0 before its
// dependents start. Another exit code fails naming the service and the code (exit 6).

import type { Engine } from "../../docker/engine.ts";
import { SentryctlError } from "../../errors.ts";
import type { Clock } from "../../runtime/clock.ts";
import { backoff, poll } from "../../runtime/poll.ts";

/** The one-shot's state is looked at again after 50 ms, then twice as long, up to 0.5 s. */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 500;

export async function waitCompleted(
  engine: Engine,
  service: string,
  id: string,
  signal: AbortSignal,
  clock: Clock,
): Promise<void> {
  // Interrupted: the run checks its signal before the next step and says so.
  await poll(async () => {
    const found = await engine.inspectContainer(id);
    if (!found) {
      throw new SentryctlError("unhealthy", `${service} was removed before it completed`, {
        hint: "something else removed its container; run the command again",
      });
    }
    const state = found.State;
    if (!state.Running && !state.Restarting && state.Status !== "created") {
      if (state.ExitCode === 0) return true;
      throw new SentryctlError(
        "unhealthy",
        `${service} did not complete successfully: exit code ${state.ExitCode}`,
        { hint: `see its output with 'sentryctl logs ${service}'` },
      );
    }
    return undefined;
  }, { every: backoff({ first: FIRST_POLL_MS, max: MAX_POLL_MS }), signal, clock })
    .catch((err: unknown) => {
      if (!signal.aborted) throw err;
    });
}
